/**
 * The platform's own alert rules, as one PrometheusRule in the monitoring namespace: certificates about
 * to expire (cert-manager), failed or missing backups (Velero), nodes that are not ready, volumes almost
 * full, pods in a crash loop, secrets the External Secrets Operator cannot sync, and the log and trace
 * pipelines losing data. Each alert links its
 * runbook in docs/runbooks/alerts.md.
 *
 * kube-prometheus-stack's default rules cover the cluster's internals; these cover what the platform
 * promises its users. Prometheus picks the rule up from any namespace (the selectors are open), and the
 * PrometheusRule CRD comes with the monitoring release, which this component therefore depends on.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The platform's alerts, by name (the runbooks document each under its lowercased name). */
export const PLATFORM_ALERT_NAMES = [
    "CertificateExpiringSoon",
    "VeleroBackupFailed",
    "VeleroBackupMissing",
    "NodeNotReady",
    "PersistentVolumeFillingUp",
    "PodCrashLooping",
    "ExternalSecretNotSynced",
    "FluentBitOutputErrors",
    "FluentBitRetriesFailed",
    "FluentBitRecordsDropped",
    "TracesRefused",
    "TracesExportFailing",
    "TracesDropped",
] as const;

/** One of {@link PLATFORM_ALERT_NAMES}. */
export type PlatformAlertName = (typeof PLATFORM_ALERT_NAMES)[number];

/** The thresholds the alerts use. */
export const ALERT_THRESHOLDS = {
    /** A certificate alerts when it expires within this many days (cert-manager renews at 2/3 of its life: 30 days before for 90-day certificates). */
    certificateDays: 14,
    /** A Velero schedule alerts when its last successful backup is older than this (a daily schedule plus an hour of slack). */
    backupHours: 25,
    /** A volume alerts when it is fuller than this share. */
    volumeUsedRatio: 0.85,
} as const;

/** Where the runbooks are, relative to the repository root. */
export const RUNBOOKS_PATH = "docs/runbooks/alerts.md";

/** A Prometheus alerting rule. */
export interface AlertRule {
    /** Alert name. */
    readonly alert: PlatformAlertName;
    /** PromQL expression; every series it returns is an alert. */
    readonly expr: string;
    /** How long the expression must hold before the alert fires. */
    readonly for: string;
    /** Labels; `severity` routes the alert (critical pages). */
    readonly labels: { readonly severity: "critical" | "warning" };
    /** Summary, description and runbook link. */
    readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

/**
 * The runbook link of an alert: the alert's section (a Markdown heading's anchor is its lowercased
 * text), under `baseUrl` (where the repository is browsed), or repository-relative when it is empty.
 */
export function runbookUrl(baseUrl: string, alert: PlatformAlertName): string {
    const page = `${RUNBOOKS_PATH}#${alert.toLowerCase()}`;
    return baseUrl === "" ? page : `${baseUrl.replace(/\/+$/, "")}/${page}`;
}

/** The rule groups of the PrometheusRule. */
export function platformAlertGroups(runbookBaseUrl: string): { name: string; rules: AlertRule[] }[] {
    const t = ALERT_THRESHOLDS;
    const rule = (alert: PlatformAlertName, r: Omit<AlertRule, "alert" | "annotations"> & { summary: string; description: string }): AlertRule => ({
        alert,
        expr: r.expr,
        for: r.for,
        labels: r.labels,
        annotations: { summary: r.summary, description: r.description, runbook_url: runbookUrl(runbookBaseUrl, alert) },
    });
    return [
        {
            name: "platform.certificates",
            rules: [
                rule("CertificateExpiringSoon", {
                    expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${t.certificateDays} * 24 * 3600`,
                    for: "1h",
                    labels: { severity: "warning" },
                    summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than " + `${t.certificateDays} days.`,
                    description:
                        "cert-manager has not renewed certificate {{ $labels.namespace }}/{{ $labels.name }} (issuer {{ $labels.issuer_name }}); it expires in {{ $value | humanizeDuration }}.",
                }),
            ],
        },
        {
            name: "platform.backups",
            rules: [
                rule("VeleroBackupFailed", {
                    // Scheduled and manual backups alike (a manual backup's schedule label is empty).
                    expr: "increase(velero_backup_failure_total[1h]) > 0",
                    for: "0m",
                    labels: { severity: "critical" },
                    summary: "A Velero backup failed (schedule: {{ $labels.schedule }}).",
                    description: "{{ $value | humanize }} Velero backups (schedule: {{ $labels.schedule }}, empty for manual backups) failed in the last hour.",
                }),
                rule("VeleroBackupMissing", {
                    expr: `time() - velero_backup_last_successful_timestamp{schedule!=""} > ${t.backupHours} * 3600`,
                    for: "15m",
                    labels: { severity: "critical" },
                    summary: `Velero schedule {{ $labels.schedule }} has no successful backup in ${t.backupHours} hours.`,
                    description: "The last successful backup of Velero schedule {{ $labels.schedule }} is {{ $value | humanizeDuration }} old.",
                }),
            ],
        },
        {
            name: "platform.nodes",
            rules: [
                rule("NodeNotReady", {
                    expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
                    for: "10m",
                    labels: { severity: "critical" },
                    summary: "Node {{ $labels.node }} is not ready.",
                    description: "Node {{ $labels.node }} has not been Ready for 10 minutes; its pods are being evicted or are unreachable.",
                }),
            ],
        },
        {
            name: "platform.storage",
            rules: [
                rule("PersistentVolumeFillingUp", {
                    expr: `kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > ${t.volumeUsedRatio}`,
                    for: "15m",
                    labels: { severity: "warning" },
                    summary: `Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than ${t.volumeUsedRatio * 100}% full.`,
                    description: "Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full.",
                }),
            ],
        },
        {
            name: "platform.workloads",
            rules: [
                rule("PodCrashLooping", {
                    expr: 'max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) >= 1',
                    for: "15m",
                    labels: { severity: "warning" },
                    summary: "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping.",
                    description:
                        "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes.",
                }),
            ],
        },
        {
            name: "platform.secrets",
            rules: [
                rule("ExternalSecretNotSynced", {
                    // The operator's own `namespace` label is renamed exported_namespace: the scrape's target label wins (honorLabels off).
                    expr: 'max by (exported_namespace, name) (externalsecret_status_condition{condition="Ready",status="False"}) == 1',
                    for: "30m",
                    labels: { severity: "warning" },
                    summary: "ExternalSecret {{ $labels.exported_namespace }}/{{ $labels.name }} has not synced for 30 minutes.",
                    description:
                        "The External Secrets Operator cannot read ExternalSecret {{ $labels.exported_namespace }}/{{ $labels.name }} from its provider; its Secret keeps the last value it read (a rotated password is not picked up).",
                }),
            ],
        },
        {
            // Fluent Bit's own metrics (/api/v2/metrics/prometheus, per output alias in `name`, per pod).
            name: "platform.logs",
            rules: [
                rule("FluentBitOutputErrors", {
                    expr: "sum by (pod, name) (rate(fluentbit_output_errors_total[5m])) > 0",
                    for: "15m",
                    labels: { severity: "warning" },
                    summary: "Fluent Bit {{ $labels.pod }} fails to send to {{ $labels.name }}.",
                    description:
                        "Output {{ $labels.name }} of Fluent Bit pod {{ $labels.pod }} has failed requests for 15 minutes ({{ $value | humanize }}/s). Records wait in the node's disk buffer and are retried.",
                }),
                rule("FluentBitRetriesFailed", {
                    expr: "sum by (pod, name) (increase(fluentbit_output_retries_failed_total[10m])) > 0",
                    for: "0m",
                    labels: { severity: "critical" },
                    summary: "Fluent Bit {{ $labels.pod }} gave up retrying chunks of {{ $labels.name }}.",
                    description:
                        "Output {{ $labels.name }} of Fluent Bit pod {{ $labels.pod }} gave up on {{ $value | humanize }} chunks in 10 minutes: their logs are lost.",
                }),
                rule("FluentBitRecordsDropped", {
                    expr: "sum by (pod, name) (increase(fluentbit_output_dropped_records_total[10m])) > 0",
                    for: "0m",
                    labels: { severity: "critical" },
                    summary: "Fluent Bit {{ $labels.pod }} dropped records of {{ $labels.name }}.",
                    description:
                        "Output {{ $labels.name }} of Fluent Bit pod {{ $labels.pod }} dropped {{ $value | humanize }} records in 10 minutes (its disk buffer was full, or CloudWatch refused them): those logs are lost.",
                }),
            ],
        },
        {
            // The OpenTelemetry collectors' own metrics (receiverhelper and exporterhelper metadata.yaml at
            // collector v0.158.0; counters end in _total in the Prometheus exposition). `service` is
            // otel-gateway or otel-sampler (the ServiceMonitor's target label).
            name: "platform.traces",
            rules: [
                rule("TracesRefused", {
                    expr: "sum by (service, receiver) (rate(otelcol_receiver_refused_spans_total[5m])) > 0",
                    for: "10m",
                    labels: { severity: "warning" },
                    summary: "{{ $labels.service }} refuses spans on {{ $labels.receiver }}.",
                    description:
                        "{{ $labels.service }} has refused {{ $value | humanize }} spans/s for 10 minutes (its memory limiter, or the next tier, pushes back): the senders retry, then drop them.",
                }),
                rule("TracesExportFailing", {
                    expr: "sum by (service, exporter) (rate(otelcol_exporter_send_failed_spans_total[5m])) > 0",
                    for: "15m",
                    labels: { severity: "warning" },
                    summary: "{{ $labels.service }} fails to send spans through {{ $labels.exporter }}.",
                    description:
                        "{{ $labels.exporter }} of {{ $labels.service }} has failed to send {{ $value | humanize }} spans/s for 15 minutes (X-Ray or the sampler unreachable, or refusing): those traces are lost after the retries.",
                }),
                rule("TracesDropped", {
                    expr: "sum by (service, exporter) (increase(otelcol_exporter_enqueue_failed_spans_total[10m])) > 0",
                    for: "0m",
                    labels: { severity: "warning" },
                    summary: "{{ $labels.service }} dropped spans: the queue of {{ $labels.exporter }} is full.",
                    description:
                        "{{ $labels.service }} could not queue {{ $value | humanize }} spans in 10 minutes for {{ $labels.exporter }}: its sending queue was full, and those spans are lost.",
                }),
            ],
        },
    ];
}

/** Arguments of {@link PlatformAlerts}. */
export interface PlatformAlertsArgs {
    /** Namespace of the rule (the monitoring namespace). */
    namespace: pulumi.Input<string>;
    /** Where the repository is browsed (platform:alerting.runbookBaseUrl); empty: repository-relative runbook links. */
    runbookBaseUrl: string;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** The monitoring release: it installs the PrometheusRule CRD and the operator's validating webhook. */
    monitoringRelease: pulumi.Resource;
}

/** The platform's PrometheusRule. */
export class PlatformAlerts extends pulumi.ComponentResource {
    /** The PrometheusRule. */
    public readonly rule: k8s.apiextensions.CustomResource;

    constructor(name: string, args: PlatformAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:PlatformAlerts", name, {}, opts);
        this.rule = new k8s.apiextensions.CustomResource(
            `${name}-rule`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: "platform-alerts", namespace: args.namespace, labels: { "app.kubernetes.io/part-of": "platform" } },
                spec: { groups: platformAlertGroups(args.runbookBaseUrl) },
            },
            { parent: this, provider: args.provider, dependsOn: [args.monitoringRelease] },
        );
        this.registerOutputs({ ruleName: this.rule.metadata.name });
    }
}
