import { expect } from "chai";
import { alertRules } from "../../../components/apps/monitoring";
import { resolve } from "../../config/resolve";
import { sharedPlan, type Plan } from "../../harness";
import { PRODUCED_METRICS, metricNamesOf } from "./producedMetrics";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The ALB metrics the dashboards read, as the ELB User Guide's "CloudWatch metrics for your Application Load Balancer" names them. */
const ALB_METRICS = ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "RequestCount"];

interface Panel {
    id: number;
    type: string;
    title: string;
    datasource?: { type: string; uid: string };
    targets?: { expr?: string; namespace?: string; metricName?: string; dimensions?: Record<string, string[]> }[];
}

function dashboardsOf(plan: Plan): { name: string; labels: Record<string, string>; namespace: string; json: { uid: string; panels: Panel[] } }[] {
    return plan
        .ofType(CONFIG_MAP)
        .filter((r) => (r.inputs.metadata as { labels?: Record<string, string> }).labels?.grafana_dashboard !== undefined)
        .map((r) => {
            const metadata = r.inputs.metadata as { name: string; labels: Record<string, string>; namespace: string };
            const data = r.inputs.data as Record<string, string>;
            return { name: metadata.name, labels: metadata.labels, namespace: metadata.namespace, json: JSON.parse(data[`${metadata.name}.json`]) };
        });
}

describe("Grafana dashboards as code", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("one ConfigMap per application and the platform overview, in monitoring, with the sidecar's label and unique uids and panel ids", () => {
        for (const [plan, stack] of [
            [dev, "dev"],
            [prod, "prod"],
        ] as const) {
            const dashboards = dashboardsOf(plan);
            const apps = resolve(stack).apps.map((a) => `dashboard-app-${a.name}`);
            expect(dashboards.map((d) => d.name)).to.have.members(["dashboard-platform-overview", ...apps]);
            const uids = dashboards.map((d) => d.json.uid);
            expect(new Set(uids).size).to.equal(uids.length);
            for (const d of dashboards) {
                expect(d.labels.grafana_dashboard).to.equal("1");
                expect(d.namespace).to.equal("monitoring");
                const ids = d.json.panels.map((p) => p.id);
                expect(new Set(ids).size, d.name).to.equal(ids.length);
            }
        }
    });

    it("every Prometheus panel queries only metrics the platform produces", () => {
        const queried = new Set<string>();
        for (const plan of [dev, prod]) {
            for (const d of dashboardsOf(plan)) {
                for (const panel of d.json.panels.filter((p) => p.datasource?.type === "prometheus")) {
                    for (const target of panel.targets ?? []) {
                        const names = metricNamesOf(target.expr!);
                        expect(names, `${d.name} "${panel.title}"`).to.not.have.length(0);
                        for (const name of names) {
                            expect(PRODUCED_METRICS, `${d.name} "${panel.title}" queries ${name}, which nothing produces`).to.have.property(name);
                            queried.add(name);
                        }
                    }
                }
            }
        }
        // The catalog holds nothing no panel uses, so it stays a list of what the dashboards rely on.
        expect([...queried].sort()).to.deep.equal(Object.keys(PRODUCED_METRICS).sort());
    });

    it("the check is not vacuous: an unknown or misspelt metric is found, functions and labels are not metrics", () => {
        expect(metricNamesOf('histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="a"}[5m])))')).to.deep.equal([
            "http_server_request_duration_seconds_bucket",
        ]);
        expect(metricNamesOf('sum(kube_node_status_condition{condition="Ready", status="true"}) / count(kube_node_info)')).to.deep.equal([
            "kube_node_status_condition",
            "kube_node_info",
        ]);
    });

    it("the applications' panels read the same series as their alerts", () => {
        const app = resolve("prod").apps[0];
        const alertMetrics = new Set(alertRules(app, `app-${app.name}`).flatMap((r) => metricNamesOf(r.expr)));
        for (const name of ["http_requests_total", "http_request_duration_seconds_bucket"]) {
            expect(alertMetrics.has(name), name).to.equal(true);
        }
    });

    it("every CloudWatch panel reads a metric the data alarms watch (same namespace, metric and dimension) or a documented ALB metric", () => {
        for (const plan of [dev, prod]) {
            const alarms = plan
                .ofType(ALARM)
                .map((a) => `${String(a.inputs.namespace)}/${String(a.inputs.metricName)}/${Object.keys((a.inputs.dimensions as object) ?? {}).join(",")}`);
            let checked = 0;
            for (const d of dashboardsOf(plan)) {
                for (const panel of d.json.panels.filter((p) => p.datasource?.type === "cloudwatch")) {
                    for (const t of panel.targets ?? []) {
                        checked++;
                        if (t.namespace === "AWS/ApplicationELB") {
                            expect(ALB_METRICS, panel.title).to.include(t.metricName);
                        } else {
                            expect(alarms, panel.title).to.include(`${t.namespace}/${t.metricName}/${Object.keys(t.dimensions ?? {}).join(",")}`);
                        }
                    }
                }
            }
            expect(checked).to.be.greaterThan(5);
        }
    });
});
