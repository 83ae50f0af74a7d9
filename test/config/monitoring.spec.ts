import { expect } from "chai";
import { problems, raw, resolve } from "./resolve";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { UNKNOWN_CONFIG_TEXT } from "../../config/unknown";

const SLACK_URL = "https://hooks.slack.com/services/T00000000/B00000000/abcdefghijklmnopqrstuvwx";

describe("stack configuration: monitoring and alerting", () => {
    it("dev resolves to one Prometheus with a week of metrics on 20 GiB, and no receivers", () => {
        const dev = resolve("dev");
        expect(dev.monitoring).to.deep.equal({
            prometheusReplicas: 1,
            retentionDays: 7,
            retentionSizeGiB: 18,
            storageGiB: 20,
            alertmanagerStorageGiB: 5,
            grafanaStorageGiB: 10,
        });
        expect(dev.alerting).to.deep.equal({ slack: undefined, pagerDutyRoutingKey: undefined, runbookBaseUrl: "" });
    });

    it("prod resolves to two Prometheus replicas with a month of metrics, paging through PagerDuty", () => {
        const prod = resolve("prod", { "platform:alerting.pagerDutyRoutingKey": "0123456789abcdef0123456789abcdef" });
        expect(prod.monitoring).to.deep.include({ prometheusReplicas: 2, retentionDays: 30, retentionSizeGiB: 90, storageGiB: 100 });
        expect(prod.alerting.pagerDutyRoutingKey).to.equal("0123456789abcdef0123456789abcdef");
    });

    it("the prod stack file carries no secret in the clear: the routing key is a secure value (the offline stand-in, or the operator's ciphertext)", () => {
        const file = readStackFile(stackFilePath("prod"));
        expect(file["platform:alerting.pagerDutyRoutingKey"]).to.have.property("secure");
        expect(["0123456789abcdef0123456789abcdef", UNKNOWN_CONFIG_TEXT]).to.include(raw("prod")["platform:alerting.pagerDutyRoutingKey"]);
        expect(raw("dev")["platform:alerting.pagerDutyRoutingKey"], "dev: the project default, no receiver").to.equal("");
    });

    it("a Slack webhook with a channel resolves to a Slack receiver", () => {
        const dev = resolve("dev", { "platform:alerting.slackWebhookUrl": SLACK_URL, "platform:alerting.slackChannel": "#platform-alerts" });
        expect(dev.alerting.slack).to.deep.equal({ webhookUrl: SLACK_URL, channel: "#platform-alerts" });
    });

    describe("rules", () => {
        it("prod needs two Prometheus replicas", () => {
            expect(problems("prod", { "platform:monitoring.prometheusReplicas": 1 })).to.deep.equal([
                "platform:monitoring.prometheusReplicas: 1 is too few for prod; expected at least 2 (a second replica keeps scraping and alerting while one is rescheduled)",
            ]);
        });

        it("prod needs a receiver", () => {
            expect(problems("prod", { "platform:alerting.pagerDutyRoutingKey": undefined, "platform:alerting.slackWebhookUrl": undefined })).to.deep.equal([
                "platform:alerting.pagerDutyRoutingKey: is not set, and neither is platform:alerting.slackWebhookUrl: prod alerts would reach no one; expected at least one receiver (pulumi config set --secret platform:alerting.pagerDutyRoutingKey <routing key>, or platform:alerting.slackWebhookUrl <webhook URL>)",
            ]);
            expect(
                resolve("prod", { "platform:alerting.pagerDutyRoutingKey": undefined, "platform:alerting.slackWebhookUrl": SLACK_URL }).alerting.slack,
            ).to.deep.equal({
                webhookUrl: SLACK_URL,
                channel: undefined,
            });
        });

        it("retention must fit in 90% of the Prometheus volume", () => {
            expect(problems("dev", { "platform:monitoring.retentionSizeGiB": 19 })).to.deep.equal([
                "platform:monitoring.retentionSizeGiB: 19 does not fit platform:monitoring.storageGiB (20); expected at most 18 (90% of the volume: compaction writes new blocks before it deletes old ones), or a larger volume",
            ]);
        });

        it("a Slack channel needs a webhook", () => {
            expect(problems("dev", { "platform:alerting.slackChannel": "#alerts" })).to.deep.equal([
                'platform:alerting.slackChannel: "#alerts" is set but platform:alerting.slackWebhookUrl is not; expected a webhook too (pulumi config set --secret platform:alerting.slackWebhookUrl <url>), or no channel',
            ]);
        });

        it("a malformed secret is rejected without echoing it", () => {
            expect(problems("dev", { "platform:alerting.pagerDutyRoutingKey": "not-a-key-s3cr3t" })).to.deep.equal([
                'platform:alerting.pagerDutyRoutingKey: (the secret value) is not a PagerDuty routing key; expected the 32 letters and digits of an Events API v2 integration key, or "" for none',
            ]);
            expect(problems("dev", { "platform:alerting.slackWebhookUrl": "http://hooks.slack.com/services/a/b/s3cr3t" })).to.deep.equal([
                'platform:alerting.slackWebhookUrl: (the secret value) is not a Slack incoming-webhook URL; expected "https://hooks.slack.com/services/<workspace>/<channel>/<token>", or "" for none',
            ]);
        });

        it("a channel must be a Slack channel name, and the runbook address an https:// URL", () => {
            expect(problems("dev", { "platform:alerting.slackWebhookUrl": SLACK_URL, "platform:alerting.slackChannel": "alerts" })).to.deep.equal([
                'platform:alerting.slackChannel: "alerts" is not a Slack channel name; expected "#" and up to 80 lowercase letters, digits, ".", "_" or "-", for example "#platform-alerts", or "" for the webhook\'s own channel',
            ]);
            expect(problems("dev", { "platform:alerting.runbookBaseUrl": "github.com/example" })).to.deep.equal([
                'platform:alerting.runbookBaseUrl: "github.com/example" is not an https:// URL; expected the address of the repository\'s files, for example "https://github.com/example/platform/blob/main", or ""',
            ]);
        });

        it("replicas are bounded", () => {
            expect(problems("prod", { "platform:monitoring.prometheusReplicas": 6 })).to.deep.equal([
                'platform:monitoring.prometheusReplicas: "6" is out of range; expected a whole number from 1 to 5',
            ]);
        });
    });
});
