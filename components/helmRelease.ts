/**
 * The one way the platform installs a Helm chart: a `helm.sh/v3` Release of a pinned chart version from
 * an HTTPS repository, with an explicit release name (service-account names and IRSA trust policies are
 * derived from it) in a namespace the program created, through the cluster's Kubernetes provider.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartPin } from "../versions";
import type { PriorityClasses } from "./eks/priorityClasses";
import type { PlatformNamespace } from "./platformNamespace";

const defaults = {
    /** Helm's 300 s is short for a first install on fresh nodes (image pulls, webhook certificates). */
    timeoutSeconds: 600,
    /** Roll a failed upgrade back (prod turns it on). */
    atomic: false,
    /** Release history kept as Secrets in the namespace. */
    maxHistory: 10,
};

const EXACT_VERSION = /^v?\d+\.\d+\.\d+$/;

/** Arguments of {@link helmRelease}. */
export interface HelmReleaseArgs {
    /** The pinned chart (from versions.ts). */
    chart: ChartPin;
    /** Helm release name; charts derive object and service-account names from it. */
    releaseName: string;
    /** Namespace, created by the program beforehand (so its Pod Security labels apply). */
    namespace: pulumi.Input<string>;
    /** Chart values. */
    values: pulumi.Input<Record<string, unknown>>;
    /** Seconds Helm waits for the release to become ready. Defaults to 600. */
    timeoutSeconds?: number;
    /** Roll back a failed install or upgrade and delete what it created. Defaults to false. */
    atomic?: boolean;
    /**
     * Skip the chart's crds/ directory (Helm installs it on the first install only and never upgrades it), for
     * a chart whose CRDs another release owns. Unset: Helm's default, the CRDs are installed.
     */
    skipCrds?: boolean;
}

/**
 * What every add-on component (a chart in its own namespace) is given, besides its own settings. Why each
 * add-on comes after what it does is said where index.ts and the Eks component create them.
 */
export interface AddonInstallArgs {
    /** Roll back a failed install or upgrade (prod). */
    atomic: boolean;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** What must be installed first (the releases whose webhooks or CRDs the add-on needs, its nodes). */
    after: pulumi.Input<pulumi.Resource>[];
    /** Pod Security Standards release of the add-on's namespace: the cluster's minor, such as "v1.36". */
    podSecurityVersion: string;
    /** The cluster's PriorityClasses: the add-on's namespaces pass them on, so its pods wait for them. */
    priorityClasses: PriorityClasses;
}

/**
 * Where Helm fetches a chart from: an HTTPS repository is `repositoryOpts.repo` with the chart's name; an OCI
 * chart is the reference `oci://<registry>/<path>/<chart>` itself (Helm has no OCI repositories to name).
 */
export function chartSource(pin: ChartPin): Pick<k8s.helm.v3.ReleaseArgs, "chart" | "repositoryOpts"> {
    return pin.repository.startsWith("oci://") ? { chart: `${pin.repository}/${pin.chart}` } : { chart: pin.chart, repositoryOpts: { repo: pin.repository } };
}

/** The Release's inputs for a chart. Throws unless the chart version is exact and the repository HTTPS or OCI. */
export function helmReleaseArgs(args: HelmReleaseArgs): k8s.helm.v3.ReleaseArgs {
    if (!EXACT_VERSION.test(args.chart.version)) {
        throw new Error(`chart ${args.chart.chart}: version ${JSON.stringify(args.chart.version)} is not an exact version`);
    }
    if (!/^(https|oci):\/\//.test(args.chart.repository)) {
        throw new Error(`chart ${args.chart.chart}: repository ${args.chart.repository} is not https:// or oci://`);
    }
    const atomic = args.atomic ?? defaults.atomic;
    return {
        name: args.releaseName,
        ...chartSource(args.chart),
        version: args.chart.version,
        namespace: args.namespace,
        createNamespace: false,
        values: args.values,
        timeout: args.timeoutSeconds ?? defaults.timeoutSeconds,
        atomic,
        cleanupOnFail: atomic,
        maxHistory: defaults.maxHistory,
        ...(args.skipCrds === undefined ? {} : { skipCrds: args.skipCrds }),
    };
}

/** Arguments of {@link helmRelease}: a release goes into a {@link PlatformNamespace}, never a bare name. */
export interface HelmInstallArgs extends Omit<HelmReleaseArgs, "namespace"> {
    /** The release's namespace; the release waits for it, its ResourceQuota and its LimitRange. */
    namespace: PlatformNamespace;
    /** Other namespaces the chart puts pods in (kube-prometheus-stack's node-exporter); waited for the same way. */
    podsAlsoIn?: PlatformNamespace[];
}

/**
 * Installs a chart. The Kubernetes provider is required: no release may go to an ambient kubeconfig. The
 * release depends on each of its namespaces' {@link PlatformNamespace.ready} (Namespace, ResourceQuota,
 * LimitRange), so no pod of the chart is admitted before the defaults and the quota are in place.
 */
export function helmRelease(
    name: string,
    args: HelmInstallArgs,
    opts: Omit<pulumi.CustomResourceOptions, "dependsOn"> & { provider: pulumi.ProviderResource; dependsOn?: pulumi.Input<pulumi.Resource>[] },
): k8s.helm.v3.Release {
    const { namespace, podsAlsoIn = [], ...release } = args;
    const namespaces = [namespace, ...podsAlsoIn];
    return new k8s.helm.v3.Release(name, helmReleaseArgs({ ...release, namespace: namespace.namespace.metadata.name }), {
        ...opts,
        dependsOn: [...namespaces.flatMap((n) => n.ready), ...(opts.dependsOn ?? [])],
    });
}
