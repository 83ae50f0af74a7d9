/**
 * One dashboard per application: the golden signals from its own metrics (the platform's contract, the same
 * series its alerts read: components/apps/monitoring.ts) and its saturation from cAdvisor and
 * kube-state-metrics.
 */
import { dashboard, grid, promPanel } from "./panels";

/** What an application's dashboard is made of. */
export interface AppDashboardInput {
    /** The application's name (its Deployment, container and HPA). */
    readonly name: string;
    /** Its namespace. */
    readonly namespace: string;
}

/** The dashboard's uid: stable per application, so links and bookmarks survive. */
export function appDashboardUid(name: string): string {
    return `platform-app-${name}`;
}

/** The application's dashboard. */
export function appDashboard(app: AppDashboardInput): Record<string, unknown> {
    const sel = `namespace="${app.namespace}"`;
    const pods = `${sel}, pod=~"${app.name}-.*", container="${app.name}"`;
    const quantile = (q: number) => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[5m])))`,
        legend: `p${Math.round(q * 100)}`,
    });
    const signals = grid(1, 0, "Golden signals", [
        (id, pos) => promPanel(id, "Request rate", pos, [{ expr: `sum by (code) (rate(http_requests_total{${sel}}[5m]))`, legend: "{{code}}" }], "reqps"),
        (id, pos) =>
            promPanel(
                id,
                "Errors (5xx share)",
                pos,
                [{ expr: `sum(rate(http_requests_total{${sel}, code=~"5.."}[5m])) / sum(rate(http_requests_total{${sel}}[5m]))`, legend: "5xx" }],
                "percentunit",
            ),
        (id, pos) => promPanel(id, "Latency", pos, [quantile(0.5), quantile(0.95), quantile(0.99)], "s"),
        (id, pos) =>
            promPanel(
                id,
                "Replicas (autoscaler)",
                pos,
                [
                    { expr: `kube_horizontalpodautoscaler_status_current_replicas{${sel}, horizontalpodautoscaler="${app.name}"}`, legend: "current" },
                    { expr: `kube_horizontalpodautoscaler_spec_max_replicas{${sel}, horizontalpodautoscaler="${app.name}"}`, legend: "max" },
                ],
                "short",
            ),
    ]);
    const saturation = grid(10, signals.next, "Saturation", [
        (id, pos) =>
            promPanel(
                id,
                "CPU used / requested",
                pos,
                [
                    {
                        expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[5m])) / sum by (pod) (kube_pod_container_resource_requests{${pods}, resource="cpu"})`,
                        legend: "{{pod}}",
                    },
                ],
                "percentunit",
            ),
        (id, pos) =>
            promPanel(
                id,
                "Memory used / limit",
                pos,
                [
                    {
                        expr: `sum by (pod) (container_memory_working_set_bytes{${pods}}) / sum by (pod) (kube_pod_container_resource_limits{${pods}, resource="memory"})`,
                        legend: "{{pod}}",
                    },
                ],
                "percentunit",
            ),
        (id, pos) =>
            promPanel(
                id,
                "Restarts (1h)",
                pos,
                [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, legend: "{{pod}}" }],
                "short",
            ),
    ]);
    return dashboard(appDashboardUid(app.name), `Application ${app.name}`, ["platform", "application"], [...signals.panels, ...saturation.panels]);
}
