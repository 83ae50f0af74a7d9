/**
 * Alertmanager's configuration for kube-prometheus-stack (`alertmanager.config`): the receivers the
 * stack's config names, their credentials read from files of the mounted receivers Secret (never values),
 * the routing tree (only critical alerts page; everything else goes to Slack or nowhere) and inhibition.
 */
import type { AlertingConfig } from "../../config";

/** Secret with the receivers' credentials, mounted into Alertmanager (`alertmanagerSpec.secrets`). */
export const RECEIVERS_SECRET = "alertmanager-receivers";

const routingDefaults = {
    /** Wait this long to batch the first alerts of a group, then this long between updates. */
    groupWait: "30s",
    groupInterval: "5m",
    /** A still-firing alert is re-sent this often. */
    repeatInterval: "4h",
};

/** Where the operator mounts a Secret listed in `alertmanagerSpec.secrets`. */
const SECRETS_DIR = `/etc/alertmanager/secrets/${RECEIVERS_SECRET}`;

/** Keys of the receivers Secret, and the files Alertmanager reads them from. */
export const RECEIVER_FILES = {
    slackWebhookUrl: { key: "slack-webhook-url", path: `${SECRETS_DIR}/slack-webhook-url` },
    pagerDutyRoutingKey: { key: "pagerduty-routing-key", path: `${SECRETS_DIR}/pagerduty-routing-key` },
} as const;

/** Which receivers exist (their credentials are files in the receivers Secret, never values). */
export interface ReceiverChoice {
    /** A Slack webhook is configured; `channel` overrides the webhook's own. */
    readonly slack?: { readonly channel?: string };
    /** A PagerDuty routing key is configured. */
    readonly pagerDuty: boolean;
}

/** The receivers of an {@link AlertingConfig}, without its secrets. */
export function receiverChoice(alerting: AlertingConfig): ReceiverChoice {
    return { slack: alerting.slack && { channel: alerting.slack.channel }, pagerDuty: alerting.pagerDutyRoutingKey !== undefined };
}

/** Names of Alertmanager's receivers. `null` has no integration: what reaches it is dropped. */
export const ALERT_RECEIVERS = { none: "null", slack: "slack", pagerDuty: "pagerduty" } as const;

/**
 * The routing tree, explicit for every combination of receivers. Only critical alerts page; a warning
 * never does, whatever is configured:
 *
 * | receivers       | critical            | warning, info, no severity |
 * |-----------------|---------------------|----------------------------|
 * | PagerDuty+Slack | PagerDuty and Slack | Slack                      |
 * | PagerDuty only  | PagerDuty           | null (not delivered)       |
 * | Slack only      | Slack               | Slack                      |
 * | neither (dev)   | null                | null                       |
 *
 * Watchdog (always firing, severity `none`) and InfoInhibitor (it exists to mute info alerts) go to
 * `null` first, in every combination: neither pages nor posts. Wiring Watchdog to an external dead
 * man's switch is a receiver of its own, not a page. Routes are tried in order; the paging route
 * `continue`s only when Slack follows it (Alertmanager hands an alert to its parent's receiver only when
 * no child route matched, so "critical to Slack too" needs the catch-all Slack route after it).
 */
export function alertRoutes(receivers: ReceiverChoice): Record<string, unknown>[] {
    const nonPaging = receivers.slack === undefined ? ALERT_RECEIVERS.none : ALERT_RECEIVERS.slack;
    return [
        { receiver: ALERT_RECEIVERS.none, matchers: ['alertname = "Watchdog"'] },
        { receiver: ALERT_RECEIVERS.none, matchers: ['alertname = "InfoInhibitor"'] },
        ...(receivers.pagerDuty
            ? [
                  {
                      receiver: ALERT_RECEIVERS.pagerDuty,
                      matchers: ['severity = "critical"'],
                      ...(receivers.slack === undefined ? {} : { continue: true }),
                  },
              ]
            : []),
        // Everything else (and critical alerts after paging): Slack, or nowhere. Never PagerDuty.
        { receiver: nonPaging },
    ];
}

/**
 * Alertmanager's configuration: the routing tree of {@link alertRoutes} under a non-paging root
 * receiver (Slack or `null`), the three receivers, and inhibition: a critical alert silences the warning
 * and info alerts of the same alert and namespace, a warning the info ones, InfoInhibitor the info ones
 * of its namespace. The chart merges these keys over its defaults; every list replaces the chart's.
 */
export function alertmanagerConfig(receivers: ReceiverChoice): Record<string, unknown> {
    const slack = receivers.slack && {
        name: ALERT_RECEIVERS.slack,
        slack_configs: [
            {
                api_url_file: RECEIVER_FILES.slackWebhookUrl.path,
                ...(receivers.slack.channel === undefined ? {} : { channel: receivers.slack.channel }),
                send_resolved: true,
                title: '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}',
                text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
            },
        ],
    };
    const pagerDuty = receivers.pagerDuty && {
        name: ALERT_RECEIVERS.pagerDuty,
        pagerduty_configs: [
            {
                routing_key_file: RECEIVER_FILES.pagerDutyRoutingKey.path,
                send_resolved: true,
                // Only critical alerts are routed here.
                severity: "critical",
                description: "{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
            },
        ],
    };
    return {
        global: { resolve_timeout: "5m" },
        route: {
            // The root's receiver takes what no route matches; the catch-all route leaves it nothing, but it
            // must not page either.
            receiver: slack ? ALERT_RECEIVERS.slack : ALERT_RECEIVERS.none,
            group_by: ["alertname", "namespace"],
            group_wait: routingDefaults.groupWait,
            group_interval: routingDefaults.groupInterval,
            repeat_interval: routingDefaults.repeatInterval,
            routes: alertRoutes(receivers),
        },
        inhibit_rules: [
            { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
            { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: ["namespace", "alertname"] },
            { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
        ],
        receivers: [{ name: ALERT_RECEIVERS.none }, ...(slack ? [slack] : []), ...(pagerDuty ? [pagerDuty] : [])],
        templates: ["/etc/alertmanager/config/*.tmpl"],
    };
}
