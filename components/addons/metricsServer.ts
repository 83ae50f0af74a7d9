/**
 * metrics-server: the resource metrics API (`metrics.k8s.io`) behind HorizontalPodAutoscalers and
 * `kubectl top`, in its own namespace (Pod Security `restricted`: the chart's pod runs as a non-root user
 * with every capability dropped, a read-only root filesystem and the runtime's seccomp profile).
 *
 * The API server reaches it through an APIService. Its certificate is chart-managed (`tls.type: helm`):
 * Helm generates it once, keeps it across upgrades, and puts its CA in the APIService, which therefore
 * verifies the server instead of skipping TLS verification. metrics-server verifies the kubelets'
 * certificates against the cluster CA (no `--kubelet-insecure-tls`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { CHARTS } from "../../versions";
import { podsOf, tcp, type NetworkFlow } from "../flows";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { PRIORITY_CLASSES } from "../priorities";

/** Where metrics-server runs. */
export const METRICS_SERVER = {
    namespace: "metrics-server",
    releaseName: "metrics-server",
    serviceAccount: "metrics-server",
} as const;

const defaults = {
    /**
     * Validity of the chart-generated certificate. Helm reuses it on every upgrade and never renews it:
     * the README says how to rotate it before it expires.
     */
    certificateDays: 3650,
    resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
};

/** The chart values (every key exists in the chart's values.yaml; a test checks it). */
export function metricsServerValues(input: { readonly isProd: boolean }): Record<string, unknown> {
    const podLabels = { "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": METRICS_SERVER.releaseName };
    return {
        replicas: input.isProd ? 2 : 1,
        podDisruptionBudget: input.isProd ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        serviceAccount: { create: true, name: METRICS_SERVER.serviceAccount },
        // The APIService trusts the chart's CA; nothing skips verification.
        apiService: { create: true, insecureSkipTLSVerify: false },
        tls: { type: "helm", helm: { lookup: true, certDurationDays: defaults.certificateDays } },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 1000,
            seccompProfile: { type: "RuntimeDefault" },
            capabilities: { drop: ["ALL"] },
        },
        resources: defaults.resources,
        // The chart's default is system-cluster-critical (see loadBalancerController.ts for why the platform's).
        priorityClassName: PRIORITY_CLASSES.platformCritical.name,
        nodeSelector: { [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: podLabels } },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: podLabels } },
        ],
    };
}

/** Arguments of {@link MetricsServer}. */
export interface MetricsServerArgs extends AddonInstallArgs {
    /** Prod: two replicas with a disruption budget. */
    isProd: boolean;
}

/** metrics-server in its own namespace. */
export class MetricsServer extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:MetricsServer", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: METRICS_SERVER.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Two replicas of 100m/200Mi (limit 400Mi), with room for a rolling update.
                budget: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 6 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.metricsServer,
                releaseName: METRICS_SERVER.releaseName,
                namespace,
                values: metricsServerValues({ isProd: args.isProd }),
                atomic: args.atomic,
            },
            { parent: this, provider: args.provider, dependsOn: args.after },
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/** The port metrics-server serves on in its pods: the chart's default `containerPort` (the values leave it unset). */
export const METRICS_SERVER_PORT = 10250;

/** metrics-server's flows: the API server proxies the metrics API to it; it reads every kubelet's resource metrics. */
export function metricsServerFlows(): NetworkFlow[] {
    const c = "MetricsServer";
    const pods = podsOf(METRICS_SERVER.namespace, { "app.kubernetes.io/name": "metrics-server" });
    return [
        tcp(
            "control-plane-to-metrics-server",
            c,
            { group: "cluster" },
            pods,
            METRICS_SERVER_PORT,
            "the APIService v1beta1.metrics.k8s.io (autoscalers, kubectl top)",
        ),
        tcp("metrics-server-to-kubelets", c, pods, { group: "node" }, 10250, "resource metrics of every node and pod"),
        tcp("metrics-server-to-api", c, pods, { group: "cluster" }, 443, "node discovery and authentication delegation"),
    ];
}
