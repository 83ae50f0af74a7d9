/**
 * Prometheus metrics in the names the platform's alerts and dashboards query
 * (components/apps/monitoring.ts, components/addons/dashboards/appDashboard.ts): `http_requests_total`
 * with a `code` label and the `http_request_duration_seconds` histogram, plus whether each dependency
 * answered its last check and the Node.js process metrics.
 */
import * as client from "prom-client";

/** Histogram buckets, seconds: dense around the 300-500 ms p95 thresholds of the stack files' alerts. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 10];

/** The application's metrics, in a registry of their own (tests make several). */
export interface Metrics {
    readonly registry: client.Registry;
    readonly requests: client.Counter<"method" | "route" | "code">;
    readonly duration: client.Histogram<"method" | "route" | "code">;
    readonly dependencyUp: client.Gauge<"dependency">;
}

/** Creates the registry and its metrics; `processMetrics` adds the default Node.js process metrics. */
export function createMetrics(processMetrics = true): Metrics {
    const registry = new client.Registry();
    if (processMetrics) {
        client.collectDefaultMetrics({ register: registry });
    }
    const labelNames = ["method", "route", "code"] as const;
    return {
        registry,
        requests: new client.Counter({
            name: "http_requests_total",
            help: "HTTP requests served, by method, route and status code.",
            labelNames,
            registers: [registry],
        }),
        duration: new client.Histogram({
            name: "http_request_duration_seconds",
            help: "Time from request to the end of the response, by method, route and status code.",
            labelNames,
            buckets: DURATION_BUCKETS,
            registers: [registry],
        }),
        dependencyUp: new client.Gauge({
            name: "reference_app_dependency_up",
            help: "1 when the dependency answered its last check within the limit, else 0.",
            labelNames: ["dependency"] as const,
            registers: [registry],
        }),
    };
}
