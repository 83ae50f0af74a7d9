/**
 * The platform overview: nodes and capacity (kube-state-metrics), the load balancers' 5xx and latency and
 * the data tier's health (CloudWatch, the metrics the data alarms watch: components/data/alarms.ts), and
 * the log and trace pipelines (Fluent Bit's and the OpenTelemetry collectors' own metrics).
 */
import { cloudWatchPanel, dashboard, grid, promPanel, type CloudWatchQuery } from "./panels";

/** The dashboard's uid. */
export const PLATFORM_DASHBOARD_UID = "platform-overview";

/** What the overview is made of. */
export interface PlatformDashboardInput {
    /** The stack's region (the CloudWatch queries'). */
    readonly region: string;
    /** The database instance's identifier, if the stack has a database. */
    readonly databaseIdentifier?: string;
    /** The cache nodes' cluster ids. */
    readonly cacheClusterIds: readonly string[];
}

/** The platform overview. */
export function platformDashboard(input: PlatformDashboardInput): Record<string, unknown> {
    const cw = (namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string): CloudWatchQuery => ({
        namespace,
        metricName,
        dimensions,
        statistic,
        region: input.region,
    });
    const nodes = grid(1, 0, "Nodes and capacity", [
        (id, pos) =>
            promPanel(
                id,
                "Nodes (ready / all)",
                pos,
                [
                    { expr: 'sum(kube_node_status_condition{condition="Ready", status="true"})', legend: "ready" },
                    { expr: "count(kube_node_info)", legend: "all" },
                ],
                "short",
            ),
        (id, pos) =>
            promPanel(
                id,
                "CPU requested / allocatable",
                pos,
                [{ expr: 'sum(kube_pod_container_resource_requests{resource="cpu"}) / sum(kube_node_status_allocatable{resource="cpu"})', legend: "cpu" }],
                "percentunit",
            ),
        (id, pos) =>
            promPanel(
                id,
                "Memory requested / allocatable",
                pos,
                [
                    {
                        expr: 'sum(kube_pod_container_resource_requests{resource="memory"}) / sum(kube_node_status_allocatable{resource="memory"})',
                        legend: "memory",
                    },
                ],
                "percentunit",
            ),
        (id, pos) => promPanel(id, "Pending pods", pos, [{ expr: 'sum(kube_pod_status_phase{phase="Pending"})', legend: "pending" }], "short"),
    ]);
    // The load balancer controller names the ALBs; every ALB of the stack's account and region is shown.
    const alb = { LoadBalancer: "*" };
    const edge = grid(10, nodes.next, "Load balancers", [
        (id, pos) =>
            cloudWatchPanel(
                id,
                "5xx (load balancer and targets)",
                pos,
                [cw("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Sum"), cw("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum")],
                "short",
            ),
        (id, pos) => cloudWatchPanel(id, "Target response time", pos, [cw("AWS/ApplicationELB", "TargetResponseTime", alb, "p95")], "s"),
    ]);
    const db = input.databaseIdentifier === undefined ? [] : [{ DBInstanceIdentifier: input.databaseIdentifier }];
    const data = grid(20, edge.next, "Data tier", [
        ...db.map(
            (d) => (id: number, pos: Parameters<typeof promPanel>[2]) =>
                cloudWatchPanel(id, "PostgreSQL CPU", pos, [cw("AWS/RDS", "CPUUtilization", d, "Average")], "percent"),
        ),
        ...db.map(
            (d) => (id: number, pos: Parameters<typeof promPanel>[2]) =>
                cloudWatchPanel(id, "PostgreSQL free storage", pos, [cw("AWS/RDS", "FreeStorageSpace", d, "Minimum")], "bytes"),
        ),
        ...db.map(
            (d) => (id: number, pos: Parameters<typeof promPanel>[2]) =>
                cloudWatchPanel(id, "PostgreSQL connections", pos, [cw("AWS/RDS", "DatabaseConnections", d, "Maximum")], "short"),
        ),
        (id, pos) =>
            cloudWatchPanel(
                id,
                "Redis engine CPU",
                pos,
                input.cacheClusterIds.map((c) => cw("AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: c }, "Average")),
                "percent",
            ),
        (id, pos) =>
            cloudWatchPanel(
                id,
                "Redis memory used",
                pos,
                input.cacheClusterIds.map((c) => cw("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", { CacheClusterId: c }, "Maximum")),
                "percent",
            ),
    ]);
    const logs = grid(40, data.next, "Log pipeline (Fluent Bit)", [
        (id, pos) =>
            promPanel(id, "Records sent", pos, [{ expr: "sum by (name) (rate(fluentbit_output_proc_records_total[5m]))", legend: "{{name}}" }], "short"),
        (id, pos) =>
            promPanel(
                id,
                "Errors, failed retries, dropped",
                pos,
                [
                    { expr: "sum by (name) (rate(fluentbit_output_errors_total[5m]))", legend: "errors {{name}}" },
                    { expr: "sum by (name) (increase(fluentbit_output_retries_failed_total[10m]))", legend: "retries failed {{name}}" },
                    { expr: "sum by (name) (increase(fluentbit_output_dropped_records_total[10m]))", legend: "dropped {{name}}" },
                ],
                "short",
            ),
    ]);
    // `service` is otel-gateway or otel-sampler (the ServiceMonitors' target label).
    const traces = grid(50, logs.next, "Trace pipeline (OpenTelemetry collectors)", [
        (id, pos) =>
            promPanel(
                id,
                "Spans received and sent",
                pos,
                [
                    { expr: "sum by (service) (rate(otelcol_receiver_accepted_spans_total[5m]))", legend: "received {{service}}" },
                    { expr: "sum by (service) (rate(otelcol_exporter_sent_spans_total[5m]))", legend: "sent {{service}}" },
                ],
                "short",
            ),
        (id, pos) =>
            promPanel(
                id,
                "Refused, failed, dropped spans",
                pos,
                [
                    { expr: "sum by (service) (rate(otelcol_receiver_refused_spans_total[5m]))", legend: "refused {{service}}" },
                    { expr: "sum by (service) (rate(otelcol_exporter_send_failed_spans_total[5m]))", legend: "send failed {{service}}" },
                    { expr: "sum by (service) (increase(otelcol_exporter_enqueue_failed_spans_total[10m]))", legend: "dropped {{service}}" },
                ],
                "short",
            ),
    ]);
    return dashboard(
        PLATFORM_DASHBOARD_UID,
        "Platform overview",
        ["platform"],
        [...nodes.panels, ...edge.panels, ...data.panels, ...logs.panels, ...traces.panels],
    );
}
