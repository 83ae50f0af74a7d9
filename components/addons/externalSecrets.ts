/**
 * External Secrets Operator: copies secrets that AWS holds (Secrets Manager) into Kubernetes Secrets and
 * keeps them current, so the program never reads a secret value itself. Its namespace (Pod Security
 * `restricted`), the Helm release with its CRDs (templates of the chart, upgraded with it), hardened pods
 * on the system nodes, two replicas of the controller, webhook and cert-controller with disruption
 * budgets in prod (the controller and cert-controller elect a leader), and a ServiceMonitor for each.
 *
 * The operator has no AWS identity of its own: each SecretStore names a service account of its own
 * namespace whose IRSA role may read exactly the secrets that store serves (the database-admin store:
 * components/apps/masterCredentials.ts). The controller serves one namespace only (`scopedNamespace`,
 * with `scopedRBAC`: a Role there instead of a ClusterRole over every Secret of the cluster), and
 * cluster-wide stores and pushes back to the provider are off: nothing reaches a service account outside
 * its own namespace, and nothing writes to Secrets Manager.
 *
 * The ServiceMonitors are the program's, not the chart's: the chart's would need the Prometheus Operator's
 * CRD before the release, which would hold the operator (and the database-admin Jobs that wait for the
 * secrets it syncs) until the monitoring release is up. So the release waits only for the system nodes,
 * and the three ServiceMonitors (the chart's own selectors and port: its templates/servicemonitor.yaml at
 * helm-chart-2.9.0) come after both the release and the monitoring release. SecretStores and
 * ExternalSecrets depend on this release (its CRDs and its validating webhook).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { CHARTS } from "../../versions";
import { httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { PRIORITY_CLASSES } from "../priorities";
import { PROMETHEUS_PEER } from "../apps/networkPolicies";

/** Where the operator runs. The chart names its objects after the release (`external-secrets`, `external-secrets-webhook`, ...). */
export const EXTERNAL_SECRETS = {
    namespace: "external-secrets",
    releaseName: "external-secrets",
    serviceAccount: "external-secrets",
} as const;

/** The API version of the SecretStore and ExternalSecret objects the platform creates (the chart serves v1 only: `crds.unsafeServeV1Beta1` is off). */
export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";

/** The port the operator's webhook serves on in its pods: the chart's default `webhook.port` (the values leave it unset). */
export const EXTERNAL_SECRETS_WEBHOOK_PORT = 10250;

/** The port each component serves metrics on: the chart's default `metrics.listen.port` (the values leave it unset). */
export const EXTERNAL_SECRETS_METRICS_PORT = 8080;

/** Requests and memory limit of each component. */
const RESOURCES = {
    controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    webhook: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    certController: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const;

/** The chart renders these without its `enabled` key; `enabled` with no other key renders nothing. */
const POD_SECURITY_CONTEXT = { enabled: true, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const CONTAINER_SECURITY_CONTEXT = {
    enabled: true,
    runAsNonRoot: true,
    runAsUser: 1000,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** What the operator's values are made of. */
export interface ExternalSecretsValuesInput {
    /** Two replicas of each component with disruption budgets (prod). */
    readonly highlyAvailable: boolean;
    /** The one namespace whose SecretStores and ExternalSecrets the controller serves, and where its RBAC is. */
    readonly scopedNamespace: string;
}

/** The chart's `app.kubernetes.io/name` of each component (its selector labels). */
const COMPONENT_NAMES = { controller: "external-secrets", webhook: "external-secrets-webhook", certController: "external-secrets-cert-controller" } as const;

/** Hardening, resources, replicas and scheduling of one component: on the system nodes, spread over zones. */
function component(name: keyof typeof COMPONENT_NAMES, highlyAvailable: boolean): Record<string, unknown> {
    const labels = { "app.kubernetes.io/name": COMPONENT_NAMES[name], "app.kubernetes.io/instance": EXTERNAL_SECRETS.releaseName };
    return {
        replicaCount: highlyAvailable ? 2 : 1,
        podDisruptionBudget: highlyAvailable ? { enabled: true, minAvailable: 1 } : { enabled: false },
        podSecurityContext: POD_SECURITY_CONTEXT,
        securityContext: CONTAINER_SECURITY_CONTEXT,
        resources: RESOURCES[name],
        // Each component's own key (`priorityClassName`, `webhook.priorityClassName`, `certController.priorityClassName`).
        priorityClassName: PRIORITY_CLASSES.platformCritical.name,
        nodeSelector: { "kubernetes.io/os": "linux", [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
        ],
    };
}

/** The chart values (every key exists in the chart's values.yaml and they validate against its schema; tests check both). */
export function externalSecretsValues(input: ExternalSecretsValuesInput): Record<string, unknown> {
    return {
        installCRDs: true,
        ...component("controller", input.highlyAvailable),
        // One active controller and cert-controller whatever the replica count (the flag is the chart's for both).
        leaderElect: true,
        serviceAccount: { create: true, name: EXTERNAL_SECRETS.serviceAccount },
        // The controller watches one namespace and its RBAC is a Role there (the chart's scoped mode): it can
        // neither read nor write a Secret anywhere else. Cluster-wide kinds are off (a ClusterSecretStore could
        // name a service account of any namespace), and so are PushSecrets, which write to the provider.
        scopedNamespace: input.scopedNamespace,
        scopedRBAC: true,
        processClusterStore: false,
        processClusterExternalSecret: false,
        processClusterGenerator: false,
        processPushSecret: false,
        processClusterPushSecret: false,
        // The metrics Services the program's ServiceMonitors select (the chart makes them only with its own
        // ServiceMonitors or these switches).
        serviceMonitor: { enabled: false },
        metrics: { service: { enabled: true } },
        webhook: { ...component("webhook", input.highlyAvailable), metrics: { service: { enabled: true } } },
        certController: { ...component("certController", input.highlyAvailable), metrics: { service: { enabled: true } } },
    };
}

/** Arguments of {@link ExternalSecrets}. */
export interface ExternalSecretsArgs extends AddonInstallArgs {
    /** Two replicas of each component with disruption budgets (prod). */
    highlyAvailable: boolean;
    /**
     * The one namespace the controller serves (its Role is created there, so `after` must hold the
     * namespace): `database-admin`.
     */
    scopedNamespace: string;
    /** The release that installs the ServiceMonitor CRD: the operator's ServiceMonitors wait for it. */
    monitoringRelease: pulumi.Resource;
}

/**
 * The ServiceMonitor of each component, as the chart's templates/servicemonitor.yaml at helm-chart-2.9.0
 * makes them (its selector labels, port `metrics`, interval 30s, timeout 25s, honorLabels false), with the
 * metrics Services' labels the chart sets without its ServiceMonitors.
 */
export function externalSecretsServiceMonitors(): { name: string; spec: Record<string, unknown> }[] {
    return (Object.keys(COMPONENT_NAMES) as (keyof typeof COMPONENT_NAMES)[]).map((component) => ({
        name: `${COMPONENT_NAMES[component]}-metrics`,
        spec: {
            selector: { matchLabels: { "app.kubernetes.io/name": COMPONENT_NAMES[component], "app.kubernetes.io/instance": EXTERNAL_SECRETS.releaseName } },
            namespaceSelector: { matchNames: [EXTERNAL_SECRETS.namespace] },
            endpoints: [{ port: "metrics", interval: "30s", scrapeTimeout: "25s", honorLabels: false }],
        },
    }));
}

/** The External Secrets Operator in its own namespace. */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** The Helm release; SecretStores and ExternalSecrets depend on it (CRDs and webhook). */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:ExternalSecrets", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: EXTERNAL_SECRETS.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Two replicas of three components, and a surge of one each.
                budget: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "4Gi", pods: 10 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.externalSecrets,
                releaseName: EXTERNAL_SECRETS.releaseName,
                namespace,
                values: externalSecretsValues({ highlyAvailable: args.highlyAvailable, scopedNamespace: args.scopedNamespace }),
                atomic: args.atomic,
            },
            { parent: this, provider: args.provider, dependsOn: args.after },
        );
        for (const monitor of externalSecretsServiceMonitors()) {
            chartMonitor(
                `${name}-${monitor.name}`,
                {
                    kind: "ServiceMonitor",
                    name: monitor.name,
                    namespace: EXTERNAL_SECRETS.namespace,
                    spec: monitor.spec,
                    release: this.release,
                    monitoringRelease: args.monitoringRelease,
                    provider: args.provider,
                },
                this,
            );
        }
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/**
 * The operator's flows: the API server calls its webhook (admission of SecretStores and ExternalSecrets);
 * every component calls the Kubernetes API (the controller also requests the stores' service-account
 * tokens there); the controller calls STS (AssumeRoleWithWebIdentity) and Secrets Manager over HTTPS;
 * Prometheus scrapes the three components.
 */
export function externalSecretsFlows(): NetworkFlow[] {
    const c = "ExternalSecrets";
    const pods = (name: string) =>
        podsOf(EXTERNAL_SECRETS.namespace, { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": EXTERNAL_SECRETS.releaseName });
    const controller = pods(COMPONENT_NAMES.controller);
    return [
        tcp(
            "control-plane-to-external-secrets-webhook",
            c,
            { group: "cluster" },
            pods(COMPONENT_NAMES.webhook),
            EXTERNAL_SECRETS_WEBHOOK_PORT,
            "validation of SecretStores and ExternalSecrets",
        ),
        tcp(
            "external-secrets-to-api",
            c,
            podsOf(EXTERNAL_SECRETS.namespace),
            { group: "cluster" },
            443,
            "the controller writes the synced Secrets and requests service-account tokens; the cert-controller patches the webhook's CA",
        ),
        httpsToInternet(
            "external-secrets-to-secrets-manager",
            c,
            controller,
            "GetSecretValue on Secrets Manager, STS AssumeRoleWithWebIdentity for each store's role",
        ),
        tcp(
            "prometheus-to-external-secrets",
            c,
            podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels),
            podsOf(EXTERNAL_SECRETS.namespace),
            EXTERNAL_SECRETS_METRICS_PORT,
            "the ServiceMonitors scrape the controller, webhook and cert-controller",
        ),
    ];
}
