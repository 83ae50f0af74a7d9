/**
 * Velero's monitoring objects, the chart's own at velero-12.1.0 (templates/servicemonitor.yaml and
 * prometheusrule.yaml with the values the program sets), made by the Velero component after its release and
 * the monitoring release (chartMonitors.ts).
 */
import { VELERO } from "./velero";

/** Velero's own alert (the group the chart's prometheusrule.yaml would render from `metrics.prometheusRule.spec`). */
export const VELERO_ALERT_RULES = [
    {
        alert: "VeleroBackupFailing",
        expr: 'velero_backup_last_status{schedule!=""} != 1',
        for: "1h",
        labels: { severity: "critical" },
        annotations: { summary: "The last backup of Velero schedule {{ $labels.schedule }} did not complete." },
    },
];

/** The chart's ServiceMonitor at velero-12.1.0: the metrics Service's port http-monitoring, every 30 s, 10 s timeout (its defaults). */
export function veleroServiceMonitorSpec(): Record<string, unknown> {
    return {
        namespaceSelector: { matchNames: [VELERO.namespace] },
        selector: { matchLabels: { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": VELERO.releaseName } },
        endpoints: [{ port: "http-monitoring", interval: "30s", scrapeTimeout: "10s" }],
    };
}
