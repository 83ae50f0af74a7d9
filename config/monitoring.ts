/**
 * The typed settings of the monitoring stack and of alert delivery, built from the parsed keys.
 */
import type { ConfigValues } from "./schema";
import type { UnknownConfigValue } from "./unknown";

/** Prometheus, Alertmanager and Grafana sizing. */
export interface MonitoringConfig {
    /** Prometheus replicas. */
    readonly prometheusReplicas: number;
    /** Days of metrics kept. */
    readonly retentionDays: number;
    /** GiB of metrics kept before the oldest blocks go. */
    readonly retentionSizeGiB: number;
    /** Each Prometheus volume, GiB. */
    readonly storageGiB: number;
    /** Each Alertmanager volume, GiB. */
    readonly alertmanagerStorageGiB: number;
    /** Grafana's volume, GiB. */
    readonly grafanaStorageGiB: number;
}

/** A Slack incoming webhook. */
export interface SlackReceiver {
    /** The webhook URL (a secret: the program wraps it before it reaches any resource; unknown offline when encrypted). */
    readonly webhookUrl: string | UnknownConfigValue;
    /** Channel override; undefined: the webhook's own channel. */
    readonly channel?: string;
}

/**
 * Where Alertmanager delivers: critical alerts page through PagerDuty; Slack hears every alert (critical
 * ones too); without Slack, warnings are not delivered (they never page). Neither set: alerts go
 * nowhere (dev). components/addons/monitoring.ts builds the routing tree.
 */
export interface AlertingConfig {
    /** Slack receiver, if configured: every alert but Watchdog and InfoInhibitor. */
    readonly slack?: SlackReceiver;
    /** PagerDuty Events API v2 routing key (a secret; unknown offline when encrypted), if configured: critical alerts only. */
    readonly pagerDutyRoutingKey?: string | UnknownConfigValue;
    /** Where the repository's files are browsed, for runbook links; "" for repository-relative links. */
    readonly runbookBaseUrl: string;
}

/** The monitoring sections of the platform config. */
export interface MonitoringSections {
    /** kube-prometheus-stack sizing. */
    readonly monitoring: MonitoringConfig;
    /** Alert delivery. */
    readonly alerting: AlertingConfig;
}

/** Builds the monitoring sections from validated keys. */
export function monitoringSections(values: ConfigValues): MonitoringSections {
    const webhookUrl = values["alerting.slackWebhookUrl"];
    const channel = values["alerting.slackChannel"];
    const routingKey = values["alerting.pagerDutyRoutingKey"];
    return {
        monitoring: {
            prometheusReplicas: values["monitoring.prometheusReplicas"],
            retentionDays: values["monitoring.retentionDays"],
            retentionSizeGiB: values["monitoring.retentionSizeGiB"],
            storageGiB: values["monitoring.storageGiB"],
            alertmanagerStorageGiB: values["monitoring.alertmanagerStorageGiB"],
            grafanaStorageGiB: values["monitoring.grafanaStorageGiB"],
        },
        alerting: {
            slack: webhookUrl === "" ? undefined : { webhookUrl, channel: channel === "" ? undefined : channel },
            pagerDutyRoutingKey: routingKey === "" ? undefined : routingKey,
            runbookBaseUrl: values["alerting.runbookBaseUrl"],
        },
    };
}
