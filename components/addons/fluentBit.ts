/**
 * Fluent Bit: ships every container's and every node's logs to CloudWatch Logs, so a pod's logs outlive
 * the pod. A DaemonSet on every node (the system group and the nodes Karpenter launches: it tolerates every
 * taint), its namespace, a service-account role that may write to exactly the three log groups the program
 * made (components/addons/kubernetesLogGroups.ts), a ServiceMonitor, and the pipeline of fluentBitConfig.ts.
 *
 * Why the upstream `fluent-bit` chart and not AWS's `aws-for-fluent-bit`: both run the same C
 * `cloudwatch_logs` output, but aws-for-fluent-bit 0.2.0 renders its own pipeline from a few flags (with
 * `autoCreateGroup: true` and region us-east-1 by default) and has no way to route log classes to groups
 * of the program's, no filesystem buffer settings and no ServiceMonitor; fluent-bit takes the pipeline as
 * text, so every setting above is the program's and reviewed here (charts-and-addons.md).
 *
 * Pod Security: the namespace `logging` enforces `privileged`, the only level that admits hostPath volumes
 * (baseline forbids them all). Fluent Bit reads /var/log (container logs and the journal) read-only and
 * writes only its state directory (tail offsets, the disk buffer) on the node; the namespace holds nothing
 * else, and the policy pack exempts exactly it. The container still drops every capability, never
 * escalates, and has a read-only root filesystem. It runs as uid 0 without any capability: the log files
 * are root's with mode 0640, which only their owner (or CAP_DAC_READ_SEARCH) may read.
 *
 * Its release waits for the system nodes, the log groups and the role; its ServiceMonitor (the chart's
 * own at fluent-bit-0.58.1, which the chart would skip without the CRD) for the monitoring release too
 * (chartMonitors.ts). Nothing waits for it.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, FLUENT_BIT_IMAGE } from "../../versions";
import { PROMETHEUS_PEER } from "../apps/networkPolicies";
import { WorkloadRole } from "../eks/workloadIdentity";
import { KUBE_DNS, dnsFlows, httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { PRIORITY_CLASSES } from "../priorities";
import { FLUENT_BIT_METRICS_PORT, FLUENT_BIT_STATE_DIR, fluentBitPipeline } from "./fluentBitConfig";
import { KubernetesLogGroups } from "./kubernetesLogGroups";

/** Where Fluent Bit runs; the role trusts exactly its service account. */
export const FLUENT_BIT = {
    namespace: "logging",
    releaseName: "fluent-bit",
    serviceAccount: "fluent-bit",
} as const;

const defaults = {
    // Per node: a busy node ships a few MB/s; the disk buffer, not memory, absorbs an outage.
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
};

/** What Fluent Bit's values are made of. */
export interface FluentBitValuesInput {
    /** The stack's name prefix (the log groups). */
    readonly namePrefix: string;
    /** The stack's region. */
    readonly region: string;
    /** ARN of its role. */
    readonly roleArn: pulumi.Input<string>;
}

/** The chart values (every key exists in the chart's values.yaml; a test checks it). */
export function fluentBitValues(input: FluentBitValuesInput): Record<string, unknown> {
    return {
        kind: "DaemonSet",
        image: { repository: FLUENT_BIT_IMAGE.repository, tag: FLUENT_BIT_IMAGE.tag },
        testFramework: { enabled: false },
        serviceAccount: { create: true, name: FLUENT_BIT.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": input.roleArn } },
        // Reads pods, namespaces and nodes for the kubernetes filter's metadata.
        rbac: { create: true, nodeAccess: false },
        podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: defaults.resources,
        priorityClassName: PRIORITY_CLASSES.nodeAgents.name,
        // Every node: the system group's taint, Karpenter's, and any a pool adds.
        tolerations: [{ operator: "Exists" }],
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
        env: [
            { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
            { name: "AWS_REGION", value: input.region },
            { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
        ],
        // The Service (port http) serves the metrics; the ServiceMonitor is fluentBitServiceMonitorSpec's.
        serviceMonitor: { enabled: false },
        metricsPort: FLUENT_BIT_METRICS_PORT,
        config: fluentBitPipeline({ namePrefix: input.namePrefix, region: input.region }),
        // The chart's defaults minus /var/lib/docker/containers (containerd keeps logs under /var/log/pods),
        // plus the state directory, the one place it writes.
        daemonSetVolumes: [
            { name: "varlog", hostPath: { path: "/var/log" } },
            { name: "etcmachineid", hostPath: { path: "/etc/machine-id", type: "File" } },
            { name: "state", hostPath: { path: FLUENT_BIT_STATE_DIR, type: "DirectoryOrCreate" } },
        ],
        daemonSetVolumeMounts: [
            { name: "varlog", mountPath: "/var/log", readOnly: true },
            { name: "etcmachineid", mountPath: "/etc/machine-id", readOnly: true },
            { name: "state", mountPath: FLUENT_BIT_STATE_DIR },
        ],
    };
}

/**
 * The role's policy: create streams in and put events to the three log groups, nothing else (no group
 * creation, no retention change: the program owns both).
 */
export function fluentBitPolicy(logGroupArns: readonly string[]): PolicyDocument {
    return policyDocument(
        { Sid: "CreateStreamsInTheKubernetesLogGroups", Effect: "Allow", Action: "logs:CreateLogStream", Resource: [...logGroupArns] },
        {
            Sid: "PutEventsToTheKubernetesLogGroups",
            Effect: "Allow",
            Action: "logs:PutLogEvents",
            Resource: logGroupArns.map((arn) => `${arn}:log-stream:*`),
        },
    );
}

/** The chart's ServiceMonitor at fluent-bit-0.58.1 (templates/servicemonitor.yaml): its selector labels, port http, its metrics path. */
export function fluentBitServiceMonitorSpec(): Record<string, unknown> {
    return {
        jobLabel: "app.kubernetes.io/instance",
        namespaceSelector: { matchNames: [FLUENT_BIT.namespace] },
        selector: { matchLabels: { "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": FLUENT_BIT.releaseName } },
        endpoints: [{ port: "http", path: "/api/v2/metrics/prometheus" }],
    };
}

/** Arguments of {@link FluentBit}. */
export interface FluentBitArgs extends AddonInstallArgs {
    /** The stack's name prefix (log group names, the role's Name tag). */
    namePrefix: string;
    /** Region of the stack. */
    region: string;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** The stack's logs key. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the log groups, in days. */
    retentionDays: number;
    /** The release that installs the ServiceMonitor CRD: the ServiceMonitor waits for it. */
    monitoringRelease: pulumi.Resource;
}

/** Fluent Bit and the log groups it writes to. */
export class FluentBit extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;
    /** The log groups. */
    public readonly logGroups: KubernetesLogGroups;

    constructor(name: string, args: FluentBitArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:FluentBit", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: FLUENT_BIT.namespace,
                podSecurity: "privileged",
                podSecurityVersion: args.podSecurityVersion,
                // One pod per node (100m/128Mi, limit 512Mi), for up to 60 nodes.
                budget: { requestsCpu: "6", requestsMemory: "8Gi", limitsMemory: "30Gi", pods: 60 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        this.logGroups = new KubernetesLogGroups(
            `${name}-log-groups`,
            { namePrefix: args.namePrefix, retentionDays: args.retentionDays, kmsKeyArn: args.logsKeyArn },
            { parent: this },
        );
        const role = new WorkloadRole(
            `${name}-role`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: FLUENT_BIT.namespace,
                serviceAccount: FLUENT_BIT.serviceAccount,
                purpose: "Fluent Bit log shipping to the Kubernetes log groups",
                namePrefix: args.namePrefix,
                policy: pulumi.all(this.logGroups.groups.map((g) => g.arn)).apply((arns) => fluentBitPolicy(arns)),
            },
            { parent: this },
        );
        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.fluentBit,
                releaseName: FLUENT_BIT.releaseName,
                namespace,
                values: fluentBitValues({ namePrefix: args.namePrefix, region: args.region, roleArn: role.role.arn }),
                atomic: args.atomic,
            },
            // The groups exist before anything is shipped; the role keeps its policy until the release is gone.
            { parent: this, provider: args.provider, dependsOn: [role, this.logGroups, ...args.after] },
        );
        chartMonitor(
            `${name}-service-monitor`,
            {
                kind: "ServiceMonitor",
                name: FLUENT_BIT.releaseName,
                namespace: FLUENT_BIT.namespace,
                spec: fluentBitServiceMonitorSpec(),
                release: this.release,
                monitoringRelease: args.monitoringRelease,
                provider: args.provider,
            },
            this,
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/**
 * Fluent Bit's flows: the kubernetes filter reads pod metadata from the API; the outputs call CloudWatch
 * Logs, and the credential chain STS (AssumeRoleWithWebIdentity), over HTTPS; CoreDNS resolves them;
 * Prometheus scrapes its HTTP server.
 */
export function fluentBitFlows(): NetworkFlow[] {
    const c = "FluentBit";
    const pods = podsOf(FLUENT_BIT.namespace, { "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": FLUENT_BIT.releaseName });
    return [
        tcp("fluent-bit-to-api", c, pods, { group: "cluster" }, 443, "pod and namespace metadata for the kubernetes filter"),
        httpsToInternet(
            "fluent-bit-to-cloudwatch-logs",
            c,
            pods,
            "PutLogEvents and CreateLogStream to CloudWatch Logs, STS AssumeRoleWithWebIdentity for its role",
        ),
        ...dnsFlows("fluent-bit-to-kube-dns", c, pods, KUBE_DNS, "name resolution of the CloudWatch Logs and STS endpoints"),
        tcp(
            "prometheus-to-fluent-bit",
            c,
            podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels),
            pods,
            FLUENT_BIT_METRICS_PORT,
            "the ServiceMonitor's scrapes of /api/v2/metrics/prometheus",
        ),
    ];
}
