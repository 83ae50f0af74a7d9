import { expect } from "chai";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { PLATFORM_ALERT_NAMES, platformAlertGroups, runbookUrl, type AlertRule } from "../../../components/addons/platformAlerts";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";

const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

function ruleOf(plan: Plan): RecordedResource {
    return plan.get(RULE, "platform-alerts-rule");
}

function alertsOf(plan: Plan): Map<string, AlertRule> {
    const spec = ruleOf(plan).inputs.spec as { groups: { rules: AlertRule[] }[] };
    return new Map(spec.groups.flatMap((g) => g.rules).map((r) => [r.alert, r]));
}

describe("platform alert rules (PrometheusRule)", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a PrometheusRule in the monitoring namespace that validates against the CRD's schema", () => {
        for (const plan of [dev, prod]) {
            const inputs = ruleOf(plan).inputs;
            expect(inputs).to.deep.include({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" });
            expect(inputs.metadata).to.deep.include({ name: "platform-alerts", namespace: "monitoring" });
            expect(() => new PrometheusRule(inputs as ConstructorParameters<typeof PrometheusRule>[0]).validate()).not.to.throw();
        }
        const broken = { ...ruleOf(dev).inputs, spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up", for: "ten minutes" }] }] } };
        expect(() => new PrometheusRule(broken as ConstructorParameters<typeof PrometheusRule>[0]).validate(), "the check itself").to.throw();
    });

    it("is created after the monitoring release, which installs its CRD and admission webhook", () => {
        for (const plan of [dev, prod]) {
            expect(plan.dependsOn(ruleOf(plan), plan.get("kubernetes:helm.sh/v3:Release", "monitoring-release"))).to.equal(true);
        }
    });

    it("holds exactly the platform's alerts, each with a for, a severity, a summary, a description and its runbook", () => {
        const alerts = alertsOf(prod);
        expect([...alerts.keys()]).to.deep.equal([...PLATFORM_ALERT_NAMES]);
        for (const [name, rule] of alerts) {
            expect(rule.for, name).to.match(/^\d+[smh]$/);
            expect(["critical", "warning"], name).to.include(rule.labels.severity);
            expect(rule.annotations.summary, name).to.not.equal("");
            expect(rule.annotations.description, name).to.not.equal("");
            expect(rule.annotations.runbook_url, name).to.equal(`docs/runbooks/alerts.md#${name.toLowerCase()}`);
        }
    });

    it("certificates alert when they expire in less than 14 days", () => {
        expect(alertsOf(dev).get("CertificateExpiringSoon")!.expr).to.equal("certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600");
    });

    it("Velero alerts on any failed backup and on a schedule without a successful backup in 25 hours; both page", () => {
        const alerts = alertsOf(dev);
        expect(alerts.get("VeleroBackupFailed")).to.deep.include({ expr: "increase(velero_backup_failure_total[1h]) > 0", labels: { severity: "critical" } });
        expect(alerts.get("VeleroBackupMissing")).to.deep.include({
            expr: 'time() - velero_backup_last_successful_timestamp{schedule!=""} > 25 * 3600',
            labels: { severity: "critical" },
        });
    });

    it("a node that is not ready for 10 minutes pages", () => {
        expect(alertsOf(dev).get("NodeNotReady")).to.deep.include({
            expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
            for: "10m",
            labels: { severity: "critical" },
        });
    });

    it("a volume more than 85% full warns", () => {
        expect(alertsOf(dev).get("PersistentVolumeFillingUp")!.expr).to.equal("kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85");
    });

    it("a container in CrashLoopBackOff for 15 minutes warns", () => {
        expect(alertsOf(dev).get("PodCrashLooping")).to.deep.include({
            expr: 'max by (namespace, pod, container) (kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}) >= 1',
            for: "15m",
        });
    });

    it("an ExternalSecret not Ready for 30 minutes warns, by the ExternalSecret's own namespace (exported_namespace: the scrape's namespace wins)", () => {
        expect(alertsOf(dev).get("ExternalSecretNotSynced")).to.deep.include({
            expr: 'max by (exported_namespace, name) (externalsecret_status_condition{condition="Ready",status="False"}) == 1',
            for: "30m",
            labels: { severity: "warning" },
        });
    });

    it("runbook links go under platform:alerting.runbookBaseUrl when it is set", () => {
        expect(runbookUrl("https://github.com/example/platform/blob/main/", "NodeNotReady")).to.equal(
            "https://github.com/example/platform/blob/main/docs/runbooks/alerts.md#nodenotready",
        );
        expect(runbookUrl("", "PodCrashLooping")).to.equal("docs/runbooks/alerts.md#podcrashlooping");
        expect(
            platformAlertGroups("https://x.example")
                .flatMap((g) => g.rules)
                .every((r) => r.annotations.runbook_url.startsWith("https://x.example/docs/")),
        ).to.equal(true);
    });
});
