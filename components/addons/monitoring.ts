/**
 * kube-prometheus-stack: the Prometheus Operator and its CRDs, Prometheus, Alertmanager, Grafana,
 * kube-state-metrics and node-exporter, in the namespace `monitoring` (Pod Security `restricted`), with
 * node-exporter alone in `monitoring-node-exporter` (`privileged`: it needs the host's network, PIDs
 * and filesystem).
 *
 * Prometheus picks up ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules from every
 * namespace, whatever their labels. Prometheus, Alertmanager and Grafana keep their data on gp3 volumes.
 * Alertmanager sends to the receivers of the config (PagerDuty pages for critical alerts only; Slack, when
 * configured, hears every alert; {@link alertmanagerConfig} has the routing tree), whose credentials live
 * in a Kubernetes Secret mounted as files: no credential is ever in the Helm values.
 * Grafana's admin password is generated and kept in a Secret too.
 *
 * The release installs the monitoring CRDs (ServiceMonitor, PrometheusRule, ...): every component that
 * creates one depends on {@link Monitoring.release}. Helm never upgrades those CRDs: the README says how.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertingConfig, MonitoringConfig } from "../../config";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { secretInput } from "../../config/unknown";
import { CHARTS, GRAFANA_XRAY_PLUGIN } from "../../versions";
import { DEFAULT_STORAGE_CLASS } from "../eks/storageClass";
import { httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import type { AccountContext } from "../policyDocument";
import { PRIORITY_CLASSES } from "../priorities";
import { WorkloadRole } from "../eks/workloadIdentity";
import { GRAFANA_SERVICE_ACCOUNT, cloudWatchDataSource, grafanaReadPolicy, xrayDataSource } from "./grafanaAccess";
import { alertmanagerConfig, receiverChoice, RECEIVER_FILES, RECEIVERS_SECRET, type ReceiverChoice } from "./alertmanagerConfig";

/** Names other components and the runbooks rely on. */
export const MONITORING = {
    namespace: "monitoring",
    /** node-exporter's namespace; the policy pack exempts exactly this name from the restricted standard. */
    nodeExporterNamespace: "monitoring-node-exporter",
    releaseName: "kube-prometheus-stack",
    /** Secret with Grafana's admin user and password (`admin.existingSecret`). */
    grafanaAdminSecret: "grafana-admin",
    /** Secret with the receivers' credentials, mounted into Alertmanager (`alertmanagerSpec.secrets`). */
    receiversSecret: RECEIVERS_SECRET,
} as const;

const defaults = {
    /** Per-pod sizes; Prometheus's memory grows with the number of series. */
    prometheusResources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "3Gi" } },
    alertmanagerResources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    grafanaResources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    operatorResources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    /** Generated Grafana admin password length. */
    passwordLength: 32,
};

/** The class of every pod of the chart but node-exporter's. */
const observability = { priorityClassName: PRIORITY_CLASSES.observability.name };

/** The platform's add-ons run on the system nodes. */
const onSystemNodes = {
    nodeSelector: { [NODE_PURPOSE_LABEL]: "system" },
    tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
};

const podSecurityContext = (uid: number) => ({
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: "RuntimeDefault" },
});

const containerSecurityContext = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

function volumeClaim(sizeGiB: number): Record<string, unknown> {
    return {
        volumeClaimTemplate: {
            spec: { storageClassName: DEFAULT_STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${sizeGiB}Gi` } } },
        },
    };
}

/** What the chart values are made of. */
export interface MonitoringValuesInput {
    /** Sizing from the config. */
    readonly monitoring: MonitoringConfig;
    /** Which receivers exist. */
    readonly receivers: ReceiverChoice;
    /** Prod: two Alertmanagers and disruption budgets. */
    readonly isProd: boolean;
    /** Grafana's AWS read access: its role and the region its CloudWatch data source reads. */
    readonly grafanaAws: { readonly roleArn: pulumi.Input<string>; readonly region: string };
}

/** The chart values (every key exists in the chart's values.yaml or its Grafana subchart's; a test checks it). */
export function monitoringValues(input: MonitoringValuesInput): Record<string, unknown> {
    const { monitoring, receivers, isProd } = input;
    const hasReceivers = receivers.slack !== undefined || receivers.pagerDuty;
    const spreadOverZones = { podAntiAffinity: "soft", podAntiAffinityTopologyKey: "topology.kubernetes.io/zone" };
    return {
        // The EKS control plane is not scrapable: no monitors and no alerts for its parts. kube-proxy (the
        // EKS add-on) serves metrics on 127.0.0.1 only.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        defaultRules: {
            rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, windows: false },
        },
        prometheusOperator: {
            resources: defaults.operatorResources,
            ...observability,
            ...onSystemNodes,
            // The certificate Jobs of the admission webhook (hooks of every install and upgrade).
            admissionWebhooks: { patch: { ...observability, ...onSystemNodes } },
        },
        prometheus: {
            podDisruptionBudget: { enabled: monitoring.prometheusReplicas > 1 },
            prometheusSpec: {
                replicas: monitoring.prometheusReplicas,
                retention: `${monitoring.retentionDays}d`,
                retentionSize: `${monitoring.retentionSizeGiB}GiB`,
                storageSpec: volumeClaim(monitoring.storageGiB),
                // Monitors and rules from every namespace, whatever their labels (not only `release: <name>`).
                ruleSelectorNilUsesHelmValues: false,
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                resources: defaults.prometheusResources,
                ...observability,
                securityContext: podSecurityContext(1000),
                ...spreadOverZones,
                ...onSystemNodes,
            },
        },
        alertmanager: {
            podDisruptionBudget: { enabled: isProd },
            config: alertmanagerConfig(receivers),
            alertmanagerSpec: {
                replicas: isProd ? 2 : 1,
                storage: volumeClaim(monitoring.alertmanagerStorageGiB),
                // Mounted at /etc/alertmanager/secrets/<name>/: the receivers read their credentials there.
                secrets: hasReceivers ? [MONITORING.receiversSecret] : [],
                resources: defaults.alertmanagerResources,
                ...observability,
                securityContext: podSecurityContext(1000),
                ...spreadOverZones,
                ...onSystemNodes,
            },
        },
        grafana: {
            admin: { existingSecret: MONITORING.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
            // One pod on a ReadWriteOnce volume: the old pod must release it before the new one starts.
            deploymentStrategy: { type: "Recreate" },
            persistence: {
                enabled: true,
                type: "pvc",
                storageClassName: DEFAULT_STORAGE_CLASS,
                accessModes: ["ReadWriteOnce"],
                size: `${monitoring.grafanaStorageGiB}Gi`,
            },
            // The chown init container runs as root with CHOWN and DAC_OVERRIDE, which the restricted
            // standard refuses; fsGroup already gives Grafana's user its volume.
            initChownData: { enabled: false },
            securityContext: podSecurityContext(472),
            containerSecurityContext: { ...containerSecurityContext, readOnlyRootFilesystem: false },
            sidecar: { securityContext: containerSecurityContext },
            resources: defaults.grafanaResources,
            // Its read-only AWS role (grafanaAccess.ts) and the CloudWatch and X-Ray data sources that use it;
            // the X-Ray plugin, pinned, installed from grafana.com before Grafana starts (GF_PLUGINS_PREINSTALL_SYNC).
            serviceAccount: {
                create: true,
                name: GRAFANA_SERVICE_ACCOUNT,
                annotations: { "eks.amazonaws.com/role-arn": input.grafanaAws.roleArn },
            },
            plugins: [`${GRAFANA_XRAY_PLUGIN.id}@${GRAFANA_XRAY_PLUGIN.version}`],
            additionalDataSources: [cloudWatchDataSource(input.grafanaAws.region), xrayDataSource(input.grafanaAws.region)],
            ...observability,
            ...onSystemNodes,
        },
        "kube-state-metrics": { ...observability },
        // A DaemonSet: on every node, before the pods it reports on.
        "prometheus-node-exporter": { namespaceOverride: MONITORING.nodeExporterNamespace, priorityClassName: PRIORITY_CLASSES.nodeAgents.name },
    };
}

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs extends AddonInstallArgs {
    /** Sizing of Prometheus, Alertmanager and Grafana. */
    monitoring: MonitoringConfig;
    /** Alert receivers (their secrets go into a Kubernetes Secret, never into values). */
    alerting: AlertingConfig;
    /** Prod: two Alertmanagers and disruption budgets. */
    isProd: boolean;
    /** What Grafana's read-only AWS role is made of (grafanaAccess.ts). */
    grafanaAccess: GrafanaAccessArgs;
}

/** What Grafana's AWS role and data source need. */
export interface GrafanaAccessArgs {
    /** The stack's name prefix (the log groups it may query, the role's Name tag). */
    readonly namePrefix: string;
    /** Region of the stack. */
    readonly region: string;
    /** Account, region and partition. */
    readonly account: pulumi.Input<AccountContext>;
    /** ARN of the cluster's OIDC provider. */
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    readonly issuer: pulumi.Input<string>;
}

/** kube-prometheus-stack with its namespaces and Secrets. */
export class Monitoring extends pulumi.ComponentResource {
    /** The Helm release; it installs the monitoring CRDs, so custom resources of those kinds depend on it. */
    public readonly release: k8s.helm.v3.Release;
    /** The namespace `monitoring`. */
    public readonly namespace: pulumi.Output<string>;
    /** Grafana's generated admin password (secret). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:Monitoring", name, {}, opts);
        const inCluster = { parent: this, provider: args.provider };
        const replicas = args.monitoring.prometheusReplicas;
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: MONITORING.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Prometheus replicas (250m/1Gi, limit 3Gi) plus the operator, two Alertmanagers, Grafana
                // and its sidecars, kube-state-metrics and the admission jobs, with room for a rollout.
                budget: {
                    requestsCpu: String(2 + replicas),
                    requestsMemory: `${4 + 2 * replicas}Gi`,
                    limitsMemory: `${8 + 6 * replicas}Gi`,
                    pods: 30,
                },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const nodeExporterNamespace = new PlatformNamespace(
            `${name}-node-exporter-namespace`,
            {
                namespace: MONITORING.nodeExporterNamespace,
                // hostNetwork, hostPID and hostPath mounts: only the privileged standard admits them. This
                // namespace holds node-exporter alone, and the policy pack exempts exactly it.
                podSecurity: "privileged",
                podSecurityVersion: args.podSecurityVersion,
                // One pod per node (LimitRange defaults: 100m/128Mi, limit 256Mi), for up to 60 nodes.
                budget: { requestsCpu: "6", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: 60 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );

        const access = args.grafanaAccess;
        const grafanaRole = new WorkloadRole(
            `${name}-grafana-role`,
            {
                oidcProviderArn: access.oidcProviderArn,
                issuer: access.issuer,
                namespace: MONITORING.namespace,
                serviceAccount: GRAFANA_SERVICE_ACCOUNT,
                purpose: "Grafana: read CloudWatch metrics, the Kubernetes log groups and X-Ray traces",
                namePrefix: access.namePrefix,
                policy: pulumi.output(access.account).apply((ctx) => grafanaReadPolicy(ctx, access.namePrefix)),
            },
            { parent: this },
        );

        const password = new random.RandomPassword(`${name}-grafana-admin-password`, { length: defaults.passwordLength, special: false }, { parent: this });
        const grafanaAdmin = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: { name: MONITORING.grafanaAdminSecret, namespace: namespace.namespace.metadata.name },
                type: "Opaque",
                stringData: { "admin-user": "admin", "admin-password": password.result },
            },
            inCluster,
        );

        const receiverData: Record<string, pulumi.Output<string>> = {};
        if (args.alerting.slack) {
            receiverData[RECEIVER_FILES.slackWebhookUrl.key] = secretInput<string>(args.alerting.slack.webhookUrl);
        }
        if (args.alerting.pagerDutyRoutingKey !== undefined) {
            receiverData[RECEIVER_FILES.pagerDutyRoutingKey.key] = secretInput<string>(args.alerting.pagerDutyRoutingKey);
        }
        const receiversSecret =
            Object.keys(receiverData).length === 0
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-alertmanager-receivers`,
                      {
                          metadata: { name: MONITORING.receiversSecret, namespace: namespace.namespace.metadata.name },
                          type: "Opaque",
                          stringData: receiverData,
                      },
                      inCluster,
                  );

        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.kubePrometheusStack,
                releaseName: MONITORING.releaseName,
                namespace,
                // node-exporter's DaemonSet (namespaceOverride) waits for its namespace's quota and limits too.
                podsAlsoIn: [nodeExporterNamespace],
                values: monitoringValues({
                    monitoring: args.monitoring,
                    receivers: receiverChoice(args.alerting),
                    isProd: args.isProd,
                    grafanaAws: { roleArn: grafanaRole.role.arn, region: args.grafanaAccess.region },
                }),
                atomic: args.atomic,
                // Prometheus volumes and the admission-webhook certificate job on fresh nodes take a while.
                timeoutSeconds: 900,
            },
            // The Secrets exist before the pods that mount them.
            { ...inCluster, dependsOn: [grafanaAdmin, grafanaRole, ...(receiversSecret ? [receiversSecret] : []), ...args.after] },
        );
        this.namespace = namespace.namespace.metadata.name;
        this.grafanaAdminPassword = pulumi.secret(password.result);
        this.registerOutputs({ releaseStatus: this.release.status, namespace: this.namespace });
    }
}

/** The port of the Prometheus Operator's admission webhook in its pod: the chart's default `prometheusOperator.tls.internalPort`. */
export const PROMETHEUS_OPERATOR_WEBHOOK_PORT = 10250;

/**
 * The monitoring stack's flows: the API server calls the operator's admission webhook (on by default in
 * the chart); Prometheus scrapes kubelets, node-exporter and the API server (applications declare their
 * own scrapes); Alertmanager reaches PagerDuty and Slack when they are configured.
 */
export function monitoringFlows(receivers: ReceiverChoice): NetworkFlow[] {
    const c = "Monitoring";
    const prometheus = podsOf(MONITORING.namespace, { "app.kubernetes.io/name": "prometheus" });
    const operator = podsOf(MONITORING.namespace, { app: "kube-prometheus-stack-operator" });
    const alertmanager = podsOf(MONITORING.namespace, { "app.kubernetes.io/name": "alertmanager" });
    return [
        tcp(
            "control-plane-to-prometheus-operator-webhook",
            c,
            { group: "cluster" },
            operator,
            PROMETHEUS_OPERATOR_WEBHOOK_PORT,
            "admission of PrometheusRules",
        ),
        tcp(
            "monitoring-to-api",
            c,
            podsOf(MONITORING.namespace),
            { group: "cluster" },
            443,
            "the operator, kube-state-metrics, Grafana's sidecars; Prometheus's discovery and API server scrapes",
        ),
        tcp("prometheus-to-kubelets", c, prometheus, { group: "node" }, 10250, "kubelet and cAdvisor metrics"),
        tcp("prometheus-to-node-exporter", c, prometheus, { group: "node" }, 9100, "node-exporter runs on the host network"),
        httpsToInternet(
            "grafana-to-cloudwatch",
            c,
            podsOf(MONITORING.namespace, { "app.kubernetes.io/name": "grafana" }),
            "CloudWatch metrics, Logs Insights and X-Ray queries of its data sources, STS AssumeRoleWithWebIdentity for its role; the pinned X-Ray plugin from grafana.com at start",
        ),
        ...(receivers.slack !== undefined || receivers.pagerDuty
            ? [httpsToInternet("alertmanager-to-receivers", c, alertmanager, "notifications to PagerDuty and Slack")]
            : []),
    ];
}
