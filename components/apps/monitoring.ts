/**
 * Pure monitoring objects of an application: the ServiceMonitor that scrapes its metrics endpoint and
 * the PrometheusRule with its golden-signal alerts, thresholds from config.
 */
import type { ApplicationConfig } from "../../config";
import { appLabels } from "./workload";

/** A Prometheus alerting rule. */
export interface AlertRule {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
}

/**
 * The ServiceMonitor spec: the Service's metrics port (named `metrics`, or `http` when metrics share the
 * application port) and path, every 30 seconds.
 */
export function serviceMonitorSpec(app: ApplicationConfig, namespace: string): Record<string, unknown> {
    return {
        selector: { matchLabels: appLabels(app.name, "server") },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: app.metricsPort === app.port ? "http" : "metrics", path: app.metricsPath, interval: "30s", scrapeTimeout: "10s" }],
    };
}

/**
 * The alert rules. Request metrics are the Prometheus client conventions (`http_requests_total` with a
 * `code` label, `http_request_duration_seconds` histogram); restarts, HPA and resource use come from
 * kube-state-metrics and cAdvisor, which kube-prometheus-stack scrapes.
 */
export function alertRules(app: ApplicationConfig, namespace: string): AlertRule[] {
    const a = app.alerts;
    const sel = `namespace="${namespace}"`;
    const pods = `${sel}, pod=~"${app.name}-.*", container="${app.name}"`;
    const rule = (alert: string, expr: string, forDuration: string, severity: string, summary: string): AlertRule => ({
        alert: `${alert}`,
        expr,
        for: forDuration,
        labels: { severity, application: app.name, namespace },
        annotations: { summary: `${app.name}: ${summary}` },
    });
    return [
        rule(
            "AppHighErrorRate",
            `sum(rate(http_requests_total{${sel}, code=~"5.."}[5m])) / sum(rate(http_requests_total{${sel}}[5m])) > ${a.errorRatePercent / 100}`,
            "5m",
            "critical",
            `more than ${a.errorRatePercent}% of responses are 5xx`,
        ),
        rule(
            "AppHighLatency",
            `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[5m]))) > ${a.latencyP95Ms / 1000}`,
            "10m",
            "warning",
            `p95 latency above ${a.latencyP95Ms} ms`,
        ),
        rule(
            "AppRestarting",
            `sum(increase(kube_pod_container_status_restarts_total{${pods}}[1h])) > ${a.restartsPerHour}`,
            "0m",
            "warning",
            `more than ${a.restartsPerHour} container restarts in an hour`,
        ),
        rule(
            "AppAtMaxReplicas",
            `kube_horizontalpodautoscaler_status_current_replicas{${sel}, horizontalpodautoscaler="${app.name}"} >= kube_horizontalpodautoscaler_spec_max_replicas{${sel}, horizontalpodautoscaler="${app.name}"}`,
            "15m",
            "warning",
            `the autoscaler is at its maximum of ${app.maxReplicas} replicas`,
        ),
        rule(
            "AppHighCpu",
            `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[5m])) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="cpu"}) > ${a.cpuPercent / 100}`,
            "15m",
            "warning",
            `a pod uses more than ${a.cpuPercent}% of its CPU limit`,
        ),
        rule(
            "AppHighMemory",
            `sum by (pod) (container_memory_working_set_bytes{${pods}}) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="memory"}) > ${a.memoryPercent / 100}`,
            "10m",
            "warning",
            `a pod uses more than ${a.memoryPercent}% of its memory limit`,
        ),
    ];
}
