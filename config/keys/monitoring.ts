/**
 * Config keys of the monitoring stack (kube-prometheus-stack): Prometheus replicas, retention and
 * storage, Alertmanager and Grafana storage, and where Alertmanager sends alerts (a Slack incoming
 * webhook and a PagerDuty Events API v2 routing key, both Pulumi secrets).
 */
import { integer, secretText, text } from "../fields";

const SLACK_WEBHOOK = /^https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/;
const SLACK_CHANNEL = /^#[a-z0-9][a-z0-9._-]{0,79}$/;
const PAGERDUTY_ROUTING_KEY = /^[A-Za-z0-9]{32}$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/;

const gibibytes = (description: string, defaultValue: number, min: number, max: number) => integer({ description, default: defaultValue, min, max });

/** The monitoring and alerting keys. */
export const monitoringKeys = {
    "monitoring.prometheusReplicas": integer({
        description:
            "Prometheus replicas, each scraping every target into its own volume (prod requires at least 2, so that a node drain or a zone outage does not blind the platform).",
        default: 1,
        min: 1,
        max: 5,
    }),
    "monitoring.retentionDays": integer({
        description: "Days of metrics Prometheus keeps (its --storage.tsdb.retention.time).",
        default: 15,
        min: 1,
        max: 365,
    }),
    "monitoring.retentionSizeGiB": gibibytes(
        "GiB of metrics after which Prometheus deletes the oldest blocks, whatever their age (its --storage.tsdb.retention.size); at most 90% of platform:monitoring.storageGiB.",
        45,
        1,
        14745,
    ),
    "monitoring.storageGiB": gibibytes("Size of each Prometheus replica's gp3 volume, GiB.", 50, 10, 16384),
    "monitoring.alertmanagerStorageGiB": gibibytes("Size of each Alertmanager replica's gp3 volume (silences and notification log), GiB.", 5, 1, 100),
    "monitoring.grafanaStorageGiB": gibibytes("Size of Grafana's gp3 volume (its database: users, dashboards saved in the UI), GiB.", 10, 1, 100),
    "alerting.runbookBaseUrl": text<string>({
        description:
            "Web address under which this repository's files are browsed (for example https://github.com/example/platform/blob/main): alerts link their runbook in docs/runbooks/alerts.md there. Empty: repository-relative links.",
        default: "",
        check: (value) =>
            value === "" || HTTPS_URL.test(value)
                ? undefined
                : 'is not an https:// URL; expected the address of the repository\'s files, for example "https://github.com/example/platform/blob/main", or ""',
    }),
    "alerting.slackWebhookUrl": secretText({
        description:
            "Slack incoming-webhook URL Alertmanager posts every alert to, critical ones too (set it with `pulumi config set --secret`). Empty: no Slack receiver, and warnings are not delivered (they never page).",
        default: "",
        checks: 'is a Slack incoming-webhook URL ("https://hooks.slack.com/services/<workspace>/<channel>/<token>") or ""',
        check: (value) =>
            value === "" || SLACK_WEBHOOK.test(value)
                ? undefined
                : 'is not a Slack incoming-webhook URL; expected "https://hooks.slack.com/services/<workspace>/<channel>/<token>", or "" for none',
    }),
    "alerting.slackChannel": text<string>({
        description: "Slack channel the webhook posts to instead of its own default, for example #platform-alerts. Empty: the webhook's channel.",
        default: "",
        check: (value) =>
            value === "" || SLACK_CHANNEL.test(value)
                ? undefined
                : 'is not a Slack channel name; expected "#" and up to 80 lowercase letters, digits, ".", "_" or "-", for example "#platform-alerts", or "" for the webhook\'s own channel',
    }),
    "alerting.pagerDutyRoutingKey": secretText({
        description:
            "PagerDuty Events API v2 routing (integration) key: critical alerts, and only those, page through it (set it with `pulumi config set --secret`). Empty: no PagerDuty receiver.",
        default: "",
        checks: 'is a PagerDuty Events API v2 routing key (32 letters and digits) or ""',
        check: (value) =>
            value === "" || PAGERDUTY_ROUTING_KEY.test(value)
                ? undefined
                : 'is not a PagerDuty routing key; expected the 32 letters and digits of an Events API v2 integration key, or "" for none',
    }),
};
