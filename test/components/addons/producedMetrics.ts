/**
 * The Prometheus metrics the platform really produces, each with where it comes from, for the dashboards
 * test: a panel that queries anything else shows "No data" forever.
 */

/** Metric name to its producer and the source of the name. */
export const PRODUCED_METRICS: Readonly<Record<string, string>> = {
    // The applications' contract (components/apps/monitoring.ts; the reference app exports them).
    http_requests_total: "applications: counter with label code",
    http_request_duration_seconds_bucket: "applications: histogram http_request_duration_seconds",
    // cAdvisor through the kubelet (kube-prometheus-stack's kubelet ServiceMonitor, cadvisor endpoint).
    container_cpu_usage_seconds_total: "cAdvisor (kubelet /metrics/cadvisor)",
    container_memory_working_set_bytes: "cAdvisor (kubelet /metrics/cadvisor)",
    // kube-state-metrics 2.x (kube-prometheus-stack's subchart; docs/metrics/*.md of kubernetes/kube-state-metrics).
    kube_pod_container_resource_requests: "kube-state-metrics docs/metrics/workload/pod-metrics.md",
    kube_pod_container_resource_limits: "kube-state-metrics docs/metrics/workload/pod-metrics.md",
    kube_pod_container_status_restarts_total: "kube-state-metrics docs/metrics/workload/pod-metrics.md",
    kube_pod_status_phase: "kube-state-metrics docs/metrics/workload/pod-metrics.md",
    kube_node_info: "kube-state-metrics docs/metrics/cluster/node-metrics.md",
    kube_node_status_condition: "kube-state-metrics docs/metrics/cluster/node-metrics.md",
    kube_node_status_allocatable: "kube-state-metrics docs/metrics/cluster/node-metrics.md",
    kube_horizontalpodautoscaler_status_current_replicas: "kube-state-metrics docs/metrics/workload/horizontalpodautoscaler-metrics.md",
    kube_horizontalpodautoscaler_spec_max_replicas: "kube-state-metrics docs/metrics/workload/horizontalpodautoscaler-metrics.md",
    // Fluent Bit 5.1 (/api/v2/metrics/prometheus: the counters of src/flb_output.c, label name = output alias).
    fluentbit_output_proc_records_total: "Fluent Bit src/flb_output.c",
    fluentbit_output_errors_total: "Fluent Bit src/flb_output.c",
    fluentbit_output_retries_failed_total: "Fluent Bit src/flb_output.c",
    fluentbit_output_dropped_records_total: "Fluent Bit src/flb_output.c",
    // The OpenTelemetry collector 0.158 (receiver/receiverhelper and exporter/exporterhelper metadata.yaml; _total in Prometheus).
    otelcol_receiver_accepted_spans_total: "collector receiver/receiverhelper/metadata.yaml",
    otelcol_receiver_refused_spans_total: "collector receiver/receiverhelper/metadata.yaml",
    otelcol_exporter_sent_spans_total: "collector exporter/exporterhelper/metadata.yaml",
    otelcol_exporter_send_failed_spans_total: "collector exporter/exporterhelper/metadata.yaml",
    otelcol_exporter_enqueue_failed_spans_total: "collector exporter/exporterhelper/metadata.yaml",
};

const PROMQL_WORDS = new Set([
    "sum",
    "count",
    "avg",
    "min",
    "max",
    "rate",
    "irate",
    "increase",
    "histogram_quantile",
    "by",
    "without",
    "on",
    "ignoring",
    "and",
    "or",
    "unless",
    "bool",
    "offset",
]);

/** The metric names a PromQL expression reads: identifiers outside label matchers, grouping clauses, strings and ranges, that are not functions or keywords. */
export function metricNamesOf(expr: string): string[] {
    const stripped = expr
        .replace(/"(?:[^"\\]|\\.)*"/g, '""')
        .replace(/\{[^}]*\}/g, " ")
        .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, " ")
        .replace(/\[[^\]]*\]/g, " ");
    const names = new Set<string>();
    for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
        const word = match[0];
        const after = stripped.slice(match.index! + word.length).trimStart();
        if (!PROMQL_WORDS.has(word) && !after.startsWith("(")) {
            names.add(word);
        }
    }
    return [...names];
}
