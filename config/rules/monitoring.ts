/**
 * Cross-key rules of the monitoring stack and of alert delivery.
 */
import type { ConfigValues } from "../schema";
import type { ProblemList } from "../rules";

/** Share of the Prometheus volume that retention may fill: compaction needs room beside the blocks. */
export const MAX_RETENTION_SHARE = 0.9;

/** Rules that hold in every environment: retention fits the volume; a channel needs a webhook. */
export function checkMonitoringRules(values: ConfigValues, problems: ProblemList): void {
    const storage = values["monitoring.storageGiB"];
    const retention = values["monitoring.retentionSizeGiB"];
    const ceiling = Math.floor(storage * MAX_RETENTION_SHARE);
    if (retention > ceiling) {
        problems.add(
            "monitoring.retentionSizeGiB",
            `${retention} does not fit platform:monitoring.storageGiB (${storage}); expected at most ${ceiling} (90% of the volume: compaction writes new blocks before it deletes old ones), or a larger volume`,
        );
    }
    if (values["alerting.slackChannel"] !== "" && values["alerting.slackWebhookUrl"] === "") {
        problems.add(
            "alerting.slackChannel",
            `${JSON.stringify(values["alerting.slackChannel"])} is set but platform:alerting.slackWebhookUrl is not; expected a webhook too (pulumi config set --secret platform:alerting.slackWebhookUrl <url>), or no channel`,
        );
    }
}

/** What prod requires of monitoring: redundant Prometheus, and alerts that reach someone. */
export function checkMonitoringProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    const replicas = values["monitoring.prometheusReplicas"];
    if (replicas < 2) {
        problems.add(
            "monitoring.prometheusReplicas",
            `${replicas} is too few for prod; expected at least 2 (a second replica keeps scraping and alerting while one is rescheduled)`,
        );
    }
    if (values["alerting.pagerDutyRoutingKey"] === "" && values["alerting.slackWebhookUrl"] === "") {
        problems.add(
            "alerting.pagerDutyRoutingKey",
            "is not set, and neither is platform:alerting.slackWebhookUrl: prod alerts would reach no one; expected at least one receiver (pulumi config set --secret platform:alerting.pagerDutyRoutingKey <routing key>, or platform:alerting.slackWebhookUrl <webhook URL>)",
        );
    }
}
