/**
 * The trace pipeline's two collector configurations (components/addons/tracing.ts runs them):
 *
 * - the **gateway** receives OTLP (gRPC 4317, HTTP 4318) from the applications, refuses what would exceed
 *   its memory (memory_limiter, first), adds the pod's Kubernetes attributes (k8s_attributes, from the
 *   connection's source address), batches, and forwards every span to the sampler replica that owns its
 *   trace id (the loadbalancing exporter, `routing_key: traceID`, over the sampler's headless Service);
 * - the **sampler** holds each trace for `decision_wait`, keeps it whole when it has an error span, when it
 *   is slower than the configured threshold, or when its trace id falls in the configured percentage
 *   (tail_sampling: its policies are OR-ed), and sends the kept traces to X-Ray (awsxray exporter).
 *
 * Two tiers because a tail-sampling decision needs every span of a trace in one process: behind a plain
 * Service the spans of one trace land on different gateway replicas, each of which would see only part of
 * the trace (the collector documentation's "scaling stateful collectors"). The gateway scales with load
 * (HPA in prod); the sampler keeps a fixed replica count so trace ownership moves only on a rollout.
 *
 * Every component named here is in the contrib distribution at 0.158.0 (otelcol-contrib manifest.yaml:
 * k8sattributesprocessor, tailsamplingprocessor, loadbalancingexporter, awsxrayexporter, memorylimiter,
 * batch, healthcheckextension). The configs are passed as the chart's `alternateConfig`, which is not
 * merged with the chart's default `config` (that default adds jaeger, zipkin and prometheus receivers and
 * debug exporters, which Helm's map merge would keep).
 */
import type { TracingConfig } from "../../config";
import { podsOf, type FlowEnd } from "../flows";

/** The OTLP ports the gateway receives on. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;

/** The collector's own metrics (the chart's `ports.metrics`, scraped by the ServiceMonitor). */
export const COLLECTOR_METRICS_PORT = 8888;

/** The health_check extension's port (the chart's liveness and readiness probes). */
export const COLLECTOR_HEALTH_PORT = 13133;

/** Where the trace pipeline runs: one namespace, two releases of the opentelemetry-collector chart. */
export const TRACING = {
    namespace: "tracing",
    gateway: { releaseName: "otel-gateway", serviceAccount: "otel-gateway" },
    sampler: { releaseName: "otel-sampler", serviceAccount: "otel-sampler" },
} as const;

/** The two tiers. */
export type CollectorTier = keyof Pick<typeof TRACING, "gateway" | "sampler">;

/** The chart's pod labels of a tier (selectorLabels plus the deployment mode's component label). */
export function collectorPodLabels(tier: CollectorTier): Record<string, string> {
    return {
        "app.kubernetes.io/name": "opentelemetry-collector",
        "app.kubernetes.io/instance": TRACING[tier].releaseName,
        component: "standalone-collector",
    };
}

/** The gateway's pods, the applications' OTLP destination (their flows and NetworkPolicies). */
export function gatewayPods(): FlowEnd {
    return podsOf(TRACING.namespace, collectorPodLabels("gateway"));
}

/** The gateway's Service (the chart's fullname is the release name: `fullnameOverride`), the apps' endpoint. */
export function gatewayServiceHost(): string {
    return `${TRACING.gateway.releaseName}.${TRACING.namespace}.svc.cluster.local`;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT of every application: the gateway's OTLP/HTTP port. */
export function otlpEndpoint(): string {
    return `http://${gatewayServiceHost()}:${OTLP_PORTS.http}`;
}

/** The sampler's headless Service: its DNS name resolves to every sampler pod, the loadbalancing exporter's ring. */
export function samplerServiceHost(): string {
    return `${TRACING.sampler.releaseName}.${TRACING.namespace}.svc.cluster.local`;
}

/** Seconds a sampler waits after a trace's first span before deciding; spans arriving later are decided alone. */
export const DECISION_WAIT_SECONDS = 10;

/** Traces a sampler holds in memory at once (at 10 s of wait: 5,000 new traces a second per replica). */
export const TRACES_IN_MEMORY = 50_000;

/** What every collector config shares: its health endpoint, its own metrics, the memory limiter. */
function common(): { extensions: Record<string, unknown>; telemetry: Record<string, unknown>; memoryLimiter: Record<string, unknown> } {
    return {
        extensions: { health_check: { endpoint: `\${env:MY_POD_IP}:${COLLECTOR_HEALTH_PORT}` } },
        telemetry: {
            resource: { "k8s.namespace.name": "${env:OTEL_K8S_NAMESPACE}", "k8s.pod.name": "${env:OTEL_K8S_POD_NAME}" },
            metrics: { readers: [{ pull: { exporter: { prometheus: { host: "${env:MY_POD_IP}", port: COLLECTOR_METRICS_PORT } } } }] },
        },
        // Limits from the container's memory limit (the chart also sets GOMEMLIMIT to 80% of it).
        memoryLimiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
    };
}

/** The gateway's collector configuration. */
export function gatewayConfig(): Record<string, unknown> {
    const { extensions, telemetry, memoryLimiter } = common();
    return {
        extensions,
        receivers: {
            otlp: {
                protocols: {
                    grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.grpc}` },
                    http: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.http}` },
                },
            },
        },
        processors: {
            memory_limiter: memoryLimiter,
            // The chart's kubernetesAttributes preset adds the processor's settings and its RBAC; naming it
            // here keeps it after the memory limiter (the preset would put it first otherwise).
            k8s_attributes: {
                passthrough: false,
                pod_association: [{ sources: [{ from: "connection" }] }],
                extract: { metadata: ["k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.deployment.name", "k8s.node.name"] },
            },
            batch: { send_batch_size: 1024, timeout: "1s" },
        },
        exporters: {
            loadbalancing: {
                routing_key: "traceID",
                protocol: {
                    otlp: {
                        // In-cluster, between the two tiers only (see components/addons/tracing.ts on TLS).
                        tls: { insecure: true },
                        timeout: "5s",
                        sending_queue: { enabled: true, queue_size: 5000 },
                        retry_on_failure: { enabled: true, max_elapsed_time: "60s" },
                    },
                },
                // The resolver's port is a string in the exporter's config schema.
                resolver: { dns: { hostname: samplerServiceHost(), port: String(OTLP_PORTS.grpc), interval: "15s" } },
            },
        },
        service: {
            extensions: ["health_check"],
            telemetry,
            pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "k8s_attributes", "batch"], exporters: ["loadbalancing"] } },
        },
    };
}

/** The sampler's tail-sampling policies: errors, slow traces, and a share of the rest (any one keeps a trace). */
export function samplingPolicies(tracing: TracingConfig): Record<string, unknown>[] {
    return [
        { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        { name: "slow", type: "latency", latency: { threshold_ms: tracing.slowTraceMs } },
        { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: tracing.samplingPercentage } },
    ];
}

/** The sampler's collector configuration, sending the kept traces to X-Ray in `region`. */
export function samplerConfig(tracing: TracingConfig, region: string): Record<string, unknown> {
    const { extensions, telemetry, memoryLimiter } = common();
    return {
        extensions,
        receivers: { otlp: { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.grpc}` } } } },
        processors: {
            memory_limiter: memoryLimiter,
            tail_sampling: { decision_wait: `${DECISION_WAIT_SECONDS}s`, num_traces: TRACES_IN_MEMORY, policies: samplingPolicies(tracing) },
            batch: { send_batch_size: 512, timeout: "2s" },
        },
        exporters: {
            awsxray: {
                region,
                // Kubernetes attributes become X-Ray annotations, which its console and filter expressions search.
                indexed_attributes: ["k8s.namespace.name", "k8s.pod.name", "k8s.deployment.name", "deployment.environment.name"],
                // Its SDK's own retries (the exporter has no sending queue: a failed batch counts in
                // otelcol_exporter_send_failed_spans_total, which TracesExportFailing alerts on).
                max_retries: 3,
            },
        },
        service: {
            extensions: ["health_check"],
            telemetry,
            pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "batch"], exporters: ["awsxray"] } },
        },
    };
}
