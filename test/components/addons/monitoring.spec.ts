import { expect } from "chai";
import * as fs from "node:fs";
import { parse } from "yaml";
import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { RECEIVER_FILES, alertmanagerConfig, type ReceiverChoice } from "../../../components/addons/alertmanagerConfig";
import { MONITORING, monitoringValues } from "../../../components/addons/monitoring";
import { CHARTS } from "../../../versions";
import { planWith, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { Secret } from "../../../tools/offline/values";
import { sharedFile } from "../eks/helpers";
import { receiversOf, type Route } from "./alertRouting";
import { helmMerge, isMap, undeclaredKeys } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";
/** Values the chart renders whole (toYaml into a Secret or a pod spec), so any field is valid below them. */
const RENDERED_WHOLE = [
    "alertmanager.config",
    "grafana.securityContext",
    "grafana.containerSecurityContext",
    "grafana.sidecar.securityContext",
    "grafana.serviceAccount.annotations",
];
/** The routing key of tools/offline/secret-stand-ins.yaml (prod's stand-in for `pulumi config set --secret`). */
const PROD_ROUTING_KEY = "0123456789abcdef0123456789abcdef";
const SLACK_URL = "https://hooks.slack.com/services/T00000000/B00000000/abcdefghijklmnopqrstuvwx";

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "monitoring-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

function at(values: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), values);
}

/** Every string anywhere in a value tree (secrets revealed). */
function stringsIn(value: unknown): string[] {
    if (value instanceof Secret) {
        return stringsIn(value.value);
    }
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(stringsIn);
    }
    return isMap(value) ? Object.values(value).flatMap(stringsIn) : [];
}

/** The Alertmanager config the chart renders: the program's alertmanager.config over the chart's defaults (when ../shared is there). */
function renderedAlertmanagerConfig(receivers: ReceiverChoice): { route: Route; receivers: { name: string }[] } {
    const values = monitoringValues({
        monitoring: { prometheusReplicas: 1, retentionDays: 1, retentionSizeGiB: 1, storageGiB: 1, alertmanagerStorageGiB: 1, grafanaStorageGiB: 1 },
        receivers,
        isProd: false,
        grafanaAws: { roleArn: "arn:aws:iam::123456789012:role/grafana", region: "eu-west-1" },
    });
    const chartFile = sharedFile("charts/kube-prometheus-stack/values.yaml");
    const chart = chartFile === undefined ? {} : (parse(fs.readFileSync(chartFile, "utf8")) as Record<string, unknown>);
    return at(helmMerge(chart, values), "alertmanager.config") as { route: Route; receivers: { name: string }[] };
}

const ALERTS = {
    critical: { alertname: "KubePodCrashLooping", namespace: "app-api", severity: "critical" },
    warning: { alertname: "KubeDeploymentReplicasMismatch", namespace: "app-api", severity: "warning" },
    info: { alertname: "CPUThrottlingHigh", namespace: "app-api", severity: "info" },
    unlabelled: { alertname: "SomethingWithoutSeverity", namespace: "app-api" },
    watchdog: { alertname: "Watchdog", severity: "none" },
    infoInhibitor: { alertname: "InfoInhibitor", namespace: "app-api", severity: "none" },
} as const;

describe("kube-prometheus-stack (monitoring)", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, with an explicit name, in the namespace the program creates, rolled back on failure in prod", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "kube-prometheus-stack",
                chart: "kube-prometheus-stack",
                version: "88.5.3",
                repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
                namespace: "monitoring",
                createNamespace: false,
                timeout: 900,
                atomic,
            });
        }
        expect(CHARTS.kubePrometheusStack.version).to.equal("88.5.3");
    });

    it("runs in `monitoring` (restricted), and node-exporter alone in `monitoring-node-exporter` (privileged, the namespace the policy pack exempts)", () => {
        const labels = (plan: Plan, name: string) =>
            (plan.get("kubernetes:core/v1:Namespace", name).inputs.metadata as { labels: Record<string, string> }).labels;
        expect(labels(dev, "monitoring-namespace")).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
        expect(labels(dev, "monitoring-node-exporter-namespace")).to.include({ "pod-security.kubernetes.io/enforce": "privileged" });
        expect(valuesOf(dev)["prometheus-node-exporter"]).to.deep.equal({
            namespaceOverride: "monitoring-node-exporter",
            priorityClassName: "platform-node-agents",
        });
        for (const name of ["monitoring-namespace", "monitoring-node-exporter-namespace"]) {
            expect(dev.dependsOn(releaseOf(dev), dev.get("kubernetes:core/v1:Namespace", name)), name).to.equal(true);
        }
    });

    it("is installed after the system nodes and the gp3 StorageClass, not after the load balancer controller (no webhook of it admits the chart's objects)", () => {
        for (const plan of [dev, prod]) {
            expect(plan.dependsOn(releaseOf(plan), plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system"))).to.equal(true);
            expect(plan.dependsOn(releaseOf(plan), plan.get("kubernetes:storage.k8s.io/v1:StorageClass", "eks-gp3"))).to.equal(true);
            expect(plan.dependsOn(releaseOf(plan), plan.get(RELEASE, "eks-lb-controller-release"))).to.equal(false);
        }
    });

    it("no other release waits for it; every ServiceMonitor and PrometheusRule of the stack does (the add-ons' are the program's)", () => {
        for (const plan of [dev, prod]) {
            for (const r of plan.ofType(RELEASE).filter((x) => x !== releaseOf(plan))) {
                expect(plan.dependsOn(r, releaseOf(plan)), r.name).to.equal(false);
            }
            const monitors = plan.resources.filter((r) =>
                ["kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "kubernetes:monitoring.coreos.com/v1:PrometheusRule"].includes(r.type),
            );
            expect(monitors.length).to.be.greaterThan(8);
            for (const m of monitors) {
                expect(plan.dependsOn(m, releaseOf(plan)), m.name).to.equal(true);
            }
        }
    });

    it("Prometheus: replicas, retention and gp3 storage from the config, two replicas with a disruption budget in prod", () => {
        expect(at(valuesOf(dev), "prometheus.prometheusSpec")).to.deep.include({
            replicas: 1,
            retention: "7d",
            retentionSize: "18GiB",
            storageSpec: {
                volumeClaimTemplate: { spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } } },
            },
        });
        expect(at(valuesOf(dev), "prometheus.podDisruptionBudget")).to.deep.equal({ enabled: false });
        expect(at(valuesOf(prod), "prometheus.prometheusSpec")).to.deep.include({ replicas: 2, retention: "30d", retentionSize: "90GiB" });
        expect(at(valuesOf(prod), "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources")).to.deep.equal({
            requests: { storage: "100Gi" },
        });
        expect(at(valuesOf(prod), "prometheus.podDisruptionBudget")).to.deep.equal({ enabled: true });
    });

    it("the Prometheus and Alertmanager settings the chart copies into its custom resources validate against their CRD schemas", () => {
        for (const plan of [dev, prod]) {
            const p = at(valuesOf(plan), "prometheus.prometheusSpec") as Record<string, unknown>;
            const a = at(valuesOf(plan), "alertmanager.alertmanagerSpec") as Record<string, unknown>;
            const metadata = { name: "k", namespace: "monitoring" };
            const common = (spec: Record<string, unknown>) => ({
                replicas: spec.replicas,
                resources: spec.resources,
                securityContext: spec.securityContext,
                nodeSelector: spec.nodeSelector,
                tolerations: spec.tolerations,
            });
            const prometheus = { ...common(p), retention: p.retention, retentionSize: p.retentionSize, storage: p.storageSpec };
            const alertmanager = { ...common(a), storage: a.storage, secrets: a.secrets };
            expect(() => new Prometheus({ metadata, spec: prometheus } as ConstructorParameters<typeof Prometheus>[0]).validate()).not.to.throw();
            expect(() => new Alertmanager({ metadata, spec: alertmanager } as ConstructorParameters<typeof Alertmanager>[0]).validate()).not.to.throw();
        }
        const bad = { metadata: { name: "k" }, spec: { retentionSize: "45 gigabytes" } };
        expect(() => new Prometheus(bad as ConstructorParameters<typeof Prometheus>[0]).validate(), "the check itself").to.throw();
    });

    it("Prometheus picks up monitors and rules from every namespace, whatever their labels", () => {
        const spec = at(valuesOf(prod), "prometheus.prometheusSpec") as Record<string, unknown>;
        for (const kind of ["rule", "serviceMonitor", "podMonitor", "probe", "scrapeConfig"]) {
            expect(spec[`${kind}SelectorNilUsesHelmValues`], kind).to.equal(false);
        }
    });

    it("the control-plane monitors EKS cannot scrape, and their alerts, are off", () => {
        const values = valuesOf(prod);
        for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
            expect(values[component], component).to.deep.equal({ enabled: false });
        }
        expect(at(values, "defaultRules.rules")).to.deep.include({ etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeProxy: false });
    });

    it("Alertmanager keeps its state on gp3, two replicas with a disruption budget in prod", () => {
        expect(at(valuesOf(dev), "alertmanager.alertmanagerSpec")).to.deep.include({
            replicas: 1,
            storage: {
                volumeClaimTemplate: { spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } } } },
            },
        });
        expect(at(valuesOf(prod), "alertmanager.alertmanagerSpec.replicas")).to.equal(2);
        expect(at(valuesOf(prod), "alertmanager.podDisruptionBudget")).to.deep.equal({ enabled: true });
    });

    it("dev has no receivers: everything goes to the null receiver and no receiver Secret exists", () => {
        const config = at(valuesOf(dev), "alertmanager.config") as { route: { receiver: string }; receivers: { name: string }[] };
        expect(config.route.receiver).to.equal("null");
        expect(config.receivers).to.deep.equal([{ name: "null" }]);
        expect(at(valuesOf(dev), "alertmanager.alertmanagerSpec.secrets")).to.deep.equal([]);
        expect(dev.ofType(SECRET).filter((s) => s.name === "monitoring-alertmanager-receivers")).to.deep.equal([]);
    });

    it("prod pages through PagerDuty with the routing key read from the mounted Secret, never from the values", async () => {
        // The key set explicitly: the checked-in file may hold it encrypted (then it is unknown offline).
        const paging = await planWith("prod", { "platform:alerting.pagerDutyRoutingKey": PROD_ROUTING_KEY, "platform:alerting.slackWebhookUrl": "" });
        const values = valuesOf(paging);
        const config = at(values, "alertmanager.config") as { route: Route; receivers: Record<string, unknown>[] };
        // The root receiver takes what no route matches: never PagerDuty.
        expect(config.route.receiver).to.equal("null");
        expect(receiversOf(config.route, ALERTS.critical)).to.deep.equal(["pagerduty"]);
        expect(receiversOf(config.route, ALERTS.warning)).to.deep.equal(["null"]);
        expect(config.receivers[1]).to.deep.include({ name: "pagerduty" });
        expect((config.receivers[1].pagerduty_configs as Record<string, unknown>[])[0]).to.deep.include({
            routing_key_file: "/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key",
            send_resolved: true,
        });
        expect(at(values, "alertmanager.alertmanagerSpec.secrets")).to.deep.equal(["alertmanager-receivers"]);
        const secret = paging.get(SECRET, "monitoring-alertmanager-receivers");
        expect(secret.inputs.metadata).to.deep.include({ name: "alertmanager-receivers", namespace: "monitoring" });
        expect(secret.inputs.stringData, "registered as a secret").to.be.instanceOf(Secret);
        expect(paging.inputsOf(secret).stringData).to.deep.equal({ [RECEIVER_FILES.pagerDutyRoutingKey.key]: PROD_ROUTING_KEY });
        expect(paging.dependsOn(releaseOf(paging), secret)).to.equal(true);
        expect(stringsIn(releaseOf(paging).inputs).filter((s) => s.includes(PROD_ROUTING_KEY))).to.deep.equal([]);
    });

    it("with Slack too, critical alerts page and then reach Slack, which hears everything else; the webhook stays in the Secret", async () => {
        const plan = await planWith("prod", {
            "platform:alerting.pagerDutyRoutingKey": PROD_ROUTING_KEY,
            "platform:alerting.slackWebhookUrl": SLACK_URL,
            "platform:alerting.slackChannel": "#platform-alerts",
        });
        const config = at(valuesOf(plan), "alertmanager.config") as {
            route: { receiver: string; routes: Record<string, unknown>[] };
            receivers: Record<string, unknown>[];
        };
        expect(config.route.receiver).to.equal("slack");
        expect(config.route.routes).to.deep.include({ receiver: "pagerduty", matchers: ['severity = "critical"'], continue: true });
        expect(receiversOf(config.route, ALERTS.critical)).to.deep.equal(["pagerduty", "slack"]);
        expect(receiversOf(config.route, ALERTS.warning)).to.deep.equal(["slack"]);
        expect((config.receivers.find((r) => r.name === "slack")!.slack_configs as Record<string, unknown>[])[0]).to.deep.include({
            api_url_file: "/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url",
            channel: "#platform-alerts",
        });
        expect(plan.inputsOf(plan.get(SECRET, "monitoring-alertmanager-receivers")).stringData).to.deep.equal({
            "slack-webhook-url": SLACK_URL,
            "pagerduty-routing-key": PROD_ROUTING_KEY,
        });
        expect(stringsIn(releaseOf(plan).inputs).filter((s) => s.includes("hooks.slack.com"))).to.deep.equal([]);
    });

    describe("alert routing, for every combination of receivers (the config the chart renders)", () => {
        const COMBOS: readonly { label: string; receivers: ReceiverChoice; expected: Record<keyof typeof ALERTS, string[]> }[] = [
            {
                label: "PagerDuty only: critical alerts page, nothing else is delivered (warnings never page)",
                receivers: { pagerDuty: true },
                expected: { critical: ["pagerduty"], warning: ["null"], info: ["null"], unlabelled: ["null"], watchdog: ["null"], infoInhibitor: ["null"] },
            },
            {
                label: "Slack only: every alert but Watchdog and InfoInhibitor goes to Slack",
                receivers: { pagerDuty: false, slack: {} },
                expected: { critical: ["slack"], warning: ["slack"], info: ["slack"], unlabelled: ["slack"], watchdog: ["null"], infoInhibitor: ["null"] },
            },
            {
                label: "both: critical alerts page and reach Slack; warnings reach Slack only",
                receivers: { pagerDuty: true, slack: { channel: "#alerts" } },
                expected: {
                    critical: ["pagerduty", "slack"],
                    warning: ["slack"],
                    info: ["slack"],
                    unlabelled: ["slack"],
                    watchdog: ["null"],
                    infoInhibitor: ["null"],
                },
            },
            {
                label: "neither (dev): nothing is delivered",
                receivers: { pagerDuty: false },
                expected: { critical: ["null"], warning: ["null"], info: ["null"], unlabelled: ["null"], watchdog: ["null"], infoInhibitor: ["null"] },
            },
        ];
        for (const combo of COMBOS) {
            it(combo.label, () => {
                const config = renderedAlertmanagerConfig(combo.receivers);
                const routed = Object.fromEntries(Object.entries(ALERTS).map(([kind, labels]) => [kind, receiversOf(config.route, labels)]));
                expect(routed).to.deep.equal(combo.expected);
                // Every receiver a route names is defined, once; the root's receiver never pages.
                const names = config.receivers.map((r) => r.name);
                expect(names.filter((n, i) => names.indexOf(n) !== i)).to.deep.equal([]);
                const named = (route: Route): string[] => [...(route.receiver === undefined ? [] : [route.receiver]), ...(route.routes ?? []).flatMap(named)];
                expect(names).to.include.members(named(config.route));
                expect(config.route.receiver).to.not.equal("pagerduty");
            });
        }

        it("the routing evaluator follows Alertmanager: continue, fall back to the parent, matcher operators", () => {
            const tree: Route = {
                receiver: "root",
                routes: [
                    { receiver: "a", matchers: ['team = "x"'], continue: true },
                    { receiver: "b", matchers: ["severity =~ warning|critical"] },
                    { receiver: "c", matchers: ['team != "x"'] },
                ],
            };
            expect(receiversOf(tree, { team: "x", severity: "warning" })).to.deep.equal(["a", "b"]);
            expect(receiversOf(tree, { team: "x" })).to.deep.equal(["a"]);
            expect(receiversOf(tree, { team: "y", severity: "info" })).to.deep.equal(["c"]);
            expect(receiversOf({ receiver: "root", routes: [{ receiver: "a", matchers: ['x = "1"'] }] }, {})).to.deep.equal(["root"]);
        });
    });

    it("groups alerts, silences Watchdog, and a critical alert inhibits the warnings of the same alert", () => {
        const config = alertmanagerConfig({ pagerDuty: true });
        expect(config.route).to.deep.include({ group_by: ["alertname", "namespace"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" });
        expect((config.route as { routes: unknown[] }).routes[0]).to.deep.equal({ receiver: "null", matchers: ['alertname = "Watchdog"'] });
        expect(config.inhibit_rules).to.deep.include({
            source_matchers: ['severity = "critical"'],
            target_matchers: ['severity =~ "warning|info"'],
            equal: ["namespace", "alertname"],
        });
    });

    it("Grafana: generated admin password in a Secret used through admin.existingSecret, never in the values; persistence; Recreate", () => {
        for (const plan of [dev, prod]) {
            const grafana = at(valuesOf(plan), "grafana") as Record<string, unknown>;
            expect(grafana.admin).to.deep.equal({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
            expect(grafana).not.to.have.property("adminPassword");
            expect(grafana.deploymentStrategy).to.deep.equal({ type: "Recreate" });
            expect(grafana.persistence).to.deep.include({ enabled: true, storageClassName: "gp3", size: "10Gi" });
            expect(grafana.initChownData).to.deep.equal({ enabled: false });
            const secret = plan.get(SECRET, "monitoring-grafana-admin");
            expect(secret.inputs.metadata).to.deep.include({ name: MONITORING.grafanaAdminSecret, namespace: "monitoring" });
            expect(secret.inputs.stringData, "registered as a secret").to.be.instanceOf(Secret);
            const password = plan.inputsOf(secret).stringData as Record<string, string>;
            const generated = plan.get("random:index/randomPassword:RandomPassword", "monitoring-grafana-admin-password");
            expect(generated.inputs).to.deep.include({ length: 32 });
            expect(password["admin-password"].length).to.be.greaterThan(0);
            expect(stringsIn(releaseOf(plan).inputs).filter((s) => s === password["admin-password"])).to.deep.equal([]);
            expect(plan.dependsOn(releaseOf(plan), secret)).to.equal(true);
            expect(plan.outputs.grafanaAdminPassword).to.be.instanceOf(Secret);
        }
    });

    it("no credential-like key appears anywhere in the values", () => {
        const keys = (value: unknown, prefix = ""): string[] =>
            isMap(value)
                ? Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keys(v, `${prefix}${k}.`)])
                : Array.isArray(value)
                  ? value.flatMap((v) => keys(v, prefix))
                  : [];
        for (const plan of [dev, prod]) {
            const found = keys(valuesOf(plan)).filter((k) => /(password|api_url|routing_key|service_key|token)$/i.test(k));
            expect(found).to.deep.equal([]);
        }
    });

    it("Prometheus, Alertmanager and Grafana run as non-root with the runtime's seccomp profile, on the system nodes", () => {
        const values = valuesOf(prod);
        for (const path of ["prometheus.prometheusSpec", "alertmanager.alertmanagerSpec", "grafana"]) {
            expect(at(values, `${path}.securityContext`), path).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(at(values, `${path}.nodeSelector`), path).to.deep.equal({ "platform/node-purpose": "system" });
            expect(at(values, `${path}.resources.limits.memory`), path).to.be.a("string");
        }
        expect(at(values, "grafana.containerSecurityContext")).to.deep.include({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    });

    it("builds its values from the config alone", () => {
        const values = monitoringValues({
            monitoring: { prometheusReplicas: 3, retentionDays: 9, retentionSizeGiB: 40, storageGiB: 60, alertmanagerStorageGiB: 2, grafanaStorageGiB: 4 },
            receivers: { pagerDuty: false },
            isProd: false,
            grafanaAws: { roleArn: "arn:aws:iam::123456789012:role/grafana", region: "eu-west-1" },
        });
        expect(at(values, "prometheus.prometheusSpec")).to.deep.include({ replicas: 3, retention: "9d", retentionSize: "40GiB" });
        expect(at(values, "grafana.persistence.size")).to.equal("4Gi");
    });

    describe("against the upstream chart in ../shared", () => {
        it("every values key the program sets exists in the chart's values.yaml (Grafana's in its subchart's)", function () {
            const chartFile = sharedFile("charts/kube-prometheus-stack/values.yaml");
            const grafanaFile = sharedFile("charts/kube-prometheus-stack/subcharts/grafana-12.11.1-values.yaml");
            if (chartFile === undefined || grafanaFile === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const chart = parse(fs.readFileSync(chartFile, "utf8")) as Record<string, unknown>;
            const grafanaText = fs.readFileSync(grafanaFile, "utf8");
            // The Grafana chart documents persistence.storageClassName only as a comment (its template reads it).
            expect(grafanaText).to.match(/^persistence:\n(?:\s+.*\n)*?\s+# storageClassName: default$/m);
            // Each priorityClassName below is only a comment in its values.yaml (`# priorityClassName: ""`) but read by
            // the templates at the pinned tags: prometheus-operator/deployment.yaml of kube-prometheus-stack-88.5.3,
            // templates/_pod.tpl of grafana-12.11.1, deployment.yaml of kube-state-metrics-8.4.0 and daemonset.yaml
            // of prometheus-node-exporter-4.56.1 (the subchart versions of the chart's Chart.yaml).
            expect(grafanaText).to.match(/^# priorityClassName:$/m);
            // serviceAccount.annotations is a comment too, with the IRSA annotation as its example (templates/serviceaccount.yaml reads it).
            expect(grafanaText).to.match(/^ {2}# {2}annotations:\n {2}# {4}eks\.amazonaws\.com\/role-arn:/m);
            const grafana = helmMerge(parse(grafanaText), {
                persistence: { storageClassName: null },
                priorityClassName: null,
                serviceAccount: { annotations: {} },
            });
            const commentedPriority = {
                prometheusOperator: { priorityClassName: null },
                "kube-state-metrics": { priorityClassName: null },
                "prometheus-node-exporter": { priorityClassName: null },
            };
            const upstream = { ...(helmMerge(chart, commentedPriority) as Record<string, unknown>), grafana: helmMerge(grafana, chart.grafana) };
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), upstream, RENDERED_WHOLE)).to.deep.equal([]);
            }
            expect(
                undeclaredKeys({ prometheus: { prometheusSpec: { replica: 2 } }, grafana: { adminPasword: "x" } }, upstream, RENDERED_WHOLE),
                "the check itself",
            ).to.deep.equal(["prometheus.prometheusSpec.replica", "grafana.adminPasword"]);
        });
    });
});
