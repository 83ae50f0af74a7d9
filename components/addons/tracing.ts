/**
 * The trace pipeline: the applications send OTLP to a gateway collector, which routes each trace to one
 * sampler replica, which keeps errors, slow traces and a configured share of the rest, and sends them to
 * AWS X-Ray (tracingPipelines.ts says why two tiers). Two releases of the pinned opentelemetry-collector
 * chart (the contrib image) in the namespace `tracing` (Pod Security `restricted`: neither tier touches the
 * node), and one service-account role, the sampler's, that may only put trace segments.
 *
 * Why X-Ray and not Tempo: X-Ray is a managed, durable store the account already has, with no bucket,
 * compactor or query tier to run, size and upgrade; Grafana reads it through its X-Ray data source with a
 * read-only role. Tempo would keep traces longer than X-Ray's 30 days and cost less at high volume, at the
 * price of a stateful service on the cluster; a team that needs that can swap the sampler's exporter.
 *
 * Between the tiers and from the applications, OTLP is plaintext inside the cluster: the NetworkPolicies
 * of the applications allow only the gateway's two ports, and spans carry no credentials.
 *
 * Both releases wait for the system nodes only, the sampler's also for its role; their ServiceMonitors (the
 * chart's own at opentelemetry-collector-0.170.0) for the monitoring release too (chartMonitors.ts). Nothing
 * waits for them: an application that starts first buffers its spans, or drops them, and serves regardless.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TracingConfig } from "../../config";
import { CHARTS, OTEL_COLLECTOR_IMAGE } from "../../versions";
import { PROMETHEUS_PEER } from "../apps/networkPolicies";
import { WorkloadRole } from "../eks/workloadIdentity";
import { KUBE_DNS, dnsFlows, httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { PRIORITY_CLASSES } from "../priorities";
import {
    COLLECTOR_METRICS_PORT,
    OTLP_PORTS,
    TRACING,
    collectorPodLabels,
    gatewayConfig,
    gatewayPods,
    samplerConfig,
    type CollectorTier,
} from "./tracingPipelines";

const defaults = {
    gatewayResources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    // The sampler holds traces for the decision wait: memory, not CPU, is what it needs.
    samplerResources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    /** Gateway replicas in prod: the HPA's range (CPU at 70% of requests). */
    gatewayReplicas: { min: 2, max: 6 },
};

/** What one tier's chart values are made of. */
export interface CollectorValuesInput {
    /** Which tier. */
    readonly tier: CollectorTier;
    /** Highly available: several replicas, a PDB, and (the gateway) an HPA. */
    readonly highlyAvailable: boolean;
    /** The collector configuration (tracingPipelines.ts). */
    readonly config: Record<string, unknown>;
    /** The sampler's role, when the tier has one. */
    readonly roleArn?: pulumi.Input<string>;
}

/** The chart values of one tier (every key exists in the chart's strict values.schema.json; a test checks it). */
export function collectorValues(input: CollectorValuesInput): Record<string, unknown> {
    const gateway = input.tier === "gateway";
    const names = TRACING[input.tier];
    const replicas = input.highlyAvailable ? (gateway ? defaults.gatewayReplicas.min : 2) : 1;
    return {
        mode: "deployment",
        fullnameOverride: names.releaseName,
        image: { repository: OTEL_COLLECTOR_IMAGE.repository, tag: OTEL_COLLECTOR_IMAGE.tag },
        command: { name: OTEL_COLLECTOR_IMAGE.command },
        alternateConfig: input.config,
        // The gateway reads pod metadata (k8s_attributes: the preset adds the processor's RBAC); the sampler needs no API.
        presets: { kubernetesAttributes: { enabled: gateway } },
        serviceAccount: {
            create: true,
            name: names.serviceAccount,
            automountServiceAccountToken: gateway,
            annotations: input.roleArn === undefined ? {} : { "eks.amazonaws.com/role-arn": input.roleArn },
        },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: gateway ? defaults.gatewayResources : defaults.samplerResources,
        priorityClassName: PRIORITY_CLASSES.observability.name,
        ports: {
            otlp: { enabled: true, containerPort: OTLP_PORTS.grpc, servicePort: OTLP_PORTS.grpc, protocol: "TCP", appProtocol: "grpc" },
            "otlp-http": { enabled: gateway, containerPort: OTLP_PORTS.http, servicePort: OTLP_PORTS.http, protocol: "TCP" },
            "jaeger-compact": { enabled: false },
            "jaeger-thrift": { enabled: false },
            "jaeger-grpc": { enabled: false },
            zipkin: { enabled: false },
            metrics: { enabled: true, containerPort: COLLECTOR_METRICS_PORT, servicePort: COLLECTOR_METRICS_PORT, protocol: "TCP" },
        },
        // The sampler's Service is headless: its name resolves to every sampler pod, the gateway's routing ring.
        service: gateway ? { type: "ClusterIP" } : { type: "ClusterIP", clusterIP: "None" },
        replicaCount: replicas,
        ...(gateway && input.highlyAvailable
            ? {
                  autoscaling: {
                      enabled: true,
                      minReplicas: defaults.gatewayReplicas.min,
                      maxReplicas: defaults.gatewayReplicas.max,
                      targetCPUUtilizationPercentage: 70,
                  },
              }
            : {}),
        podDisruptionBudget: input.highlyAvailable ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        topologySpreadConstraints: input.highlyAvailable
            ? [
                  {
                      maxSkew: 1,
                      topologyKey: "topology.kubernetes.io/zone",
                      whenUnsatisfiable: "ScheduleAnyway",
                      labelSelector: { matchLabels: collectorPodLabels(input.tier) },
                  },
              ]
            : [],
        // The Service's metrics port; the ServiceMonitor is collectorServiceMonitorSpec's.
        serviceMonitor: { enabled: false },
    };
}

/**
 * The sampler's policy: put trace segments to X-Ray. PutTraceSegments supports no resource type (Service
 * Authorization Reference), so it is on `*`; the exporter calls nothing else (no telemetry records, no
 * centralized sampling: sampling is the collector's).
 */
export function xrayWritePolicy(): PolicyDocument {
    return policyDocument({ Sid: "PutTraceSegments", Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" });
}

/** Arguments of {@link Tracing}. */
export interface TracingArgs extends AddonInstallArgs {
    /** The stack's name prefix (the role's Name tag). */
    namePrefix: string;
    /** Region of the stack: X-Ray's. */
    region: string;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Sampling settings. */
    tracing: TracingConfig;
    /** Several replicas, PDBs and the gateway's HPA (prod). */
    highlyAvailable: boolean;
    /** The release that installs the ServiceMonitor CRD: the ServiceMonitors wait for it. */
    monitoringRelease: pulumi.Resource;
}

/**
 * The chart's ServiceMonitor of a tier at opentelemetry-collector-0.170.0 (templates/servicemonitor.yaml):
 * its selector and component labels, the metrics port, every 30 s.
 */
export function collectorServiceMonitorSpec(tier: CollectorTier): Record<string, unknown> {
    return { selector: { matchLabels: collectorPodLabels(tier) }, endpoints: [{ port: "metrics", interval: "30s" }] };
}

/** The OpenTelemetry collectors: the gateway the applications send to, and the sampler that writes to X-Ray. */
export class Tracing extends pulumi.ComponentResource {
    /** The gateway's release. */
    public readonly gateway: k8s.helm.v3.Release;
    /** The sampler's release. */
    public readonly sampler: k8s.helm.v3.Release;

    constructor(name: string, args: TracingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:Tracing", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: TRACING.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Up to 6 gateways (200m/256Mi, limit 512Mi) and 2 samplers (200m/512Mi, limit 1Gi), plus a rollout's surge.
                budget: { requestsCpu: "3", requestsMemory: "4Gi", limitsMemory: "8Gi", pods: 12 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const role = new WorkloadRole(
            `${name}-sampler-role`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: TRACING.namespace,
                serviceAccount: TRACING.sampler.serviceAccount,
                purpose: "OpenTelemetry collector (sampler) writing traces to X-Ray",
                namePrefix: args.namePrefix,
                policy: xrayWritePolicy(),
            },
            { parent: this },
        );
        const inCluster = { parent: this, provider: args.provider };
        this.sampler = helmRelease(
            `${name}-sampler`,
            {
                chart: CHARTS.openTelemetryCollector,
                releaseName: TRACING.sampler.releaseName,
                namespace,
                values: collectorValues({
                    tier: "sampler",
                    highlyAvailable: args.highlyAvailable,
                    config: samplerConfig(args.tracing, args.region),
                    roleArn: role.role.arn,
                }),
                atomic: args.atomic,
            },
            // The role keeps its policy until the release is gone.
            { ...inCluster, dependsOn: [role, ...args.after] },
        );
        // The gateway does not wait for the sampler: it resolves the sampler's pods by DNS and queues until they answer.
        this.gateway = helmRelease(
            `${name}-gateway`,
            {
                chart: CHARTS.openTelemetryCollector,
                releaseName: TRACING.gateway.releaseName,
                namespace,
                values: collectorValues({ tier: "gateway", highlyAvailable: args.highlyAvailable, config: gatewayConfig() }),
                atomic: args.atomic,
            },
            { ...inCluster, dependsOn: [...args.after] },
        );
        for (const [tier, release] of [
            ["gateway", this.gateway],
            ["sampler", this.sampler],
        ] as const) {
            chartMonitor(
                `${name}-${tier}-service-monitor`,
                {
                    kind: "ServiceMonitor",
                    name: TRACING[tier].releaseName,
                    namespace: TRACING.namespace,
                    spec: collectorServiceMonitorSpec(tier),
                    release,
                    monitoringRelease: args.monitoringRelease,
                    provider: args.provider,
                },
                this,
            );
        }
        this.registerOutputs({ gatewayStatus: this.gateway.status, samplerStatus: this.sampler.status });
    }
}

/**
 * The collectors' flows: the gateway reads pod metadata from the API and sends to the sampler pods (whose
 * addresses it resolves through CoreDNS); the sampler calls X-Ray and STS over HTTPS; Prometheus scrapes
 * both. The applications' flows to the gateway are theirs (components/apps/networkPolicies.ts).
 */
export function tracingFlows(): NetworkFlow[] {
    const c = "Tracing";
    const gateway = gatewayPods();
    const sampler = podsOf(TRACING.namespace, collectorPodLabels("sampler"));
    const prometheus = podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels);
    return [
        tcp("otel-gateway-to-api", c, gateway, { group: "cluster" }, 443, "pod metadata for the k8s_attributes processor"),
        tcp("otel-gateway-to-sampler", c, gateway, sampler, OTLP_PORTS.grpc, "spans routed by trace id (loadbalancing exporter, OTLP gRPC)"),
        ...dnsFlows("otel-gateway-to-kube-dns", c, gateway, KUBE_DNS, "the sampler's headless Service: the addresses of its pods"),
        httpsToInternet("otel-sampler-to-xray", c, sampler, "PutTraceSegments to X-Ray, STS AssumeRoleWithWebIdentity for its role"),
        ...dnsFlows("otel-sampler-to-kube-dns", c, sampler, KUBE_DNS, "name resolution of the X-Ray and STS endpoints"),
        tcp("prometheus-to-otel-gateway", c, prometheus, gateway, COLLECTOR_METRICS_PORT, "the ServiceMonitor's scrapes of the collector's own metrics"),
        tcp("prometheus-to-otel-sampler", c, prometheus, sampler, COLLECTOR_METRICS_PORT, "the ServiceMonitor's scrapes of the collector's own metrics"),
    ];
}
