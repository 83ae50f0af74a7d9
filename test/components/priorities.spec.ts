/**
 * Every pod the program makes names one of the platform's PriorityClasses (or a system class), and waits
 * for it: every Helm release at each value its chart really reads (the table of the policy rule
 * platform-k8s-workload-priority-class, checked here against the upstream values.yaml), and every pod
 * template of the program's own workloads.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import { PRIORITY_CLASSES, SYSTEM_PRIORITY_CLASSES } from "../../components/priorities";
import { CHART_VALUE_PATHS, chartName } from "../../policies/lib/chartValuePaths";
import { CHART_PRIORITY_PATHS } from "../../policies/rules/k8s/requirePriorityClass";
import { sharedPlan, type Plan, type RecordedResource } from "../harness";
import { declaredValues, isMap } from "./addons/chartValues";
import { sharedFile } from "./eks/helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PRIORITY_CLASS = "kubernetes:scheduling.k8s.io/v1:PriorityClass";
const WORKLOADS = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
];
const { nodeAgents, platformCritical, observability, applications } = PRIORITY_CLASSES;
const NAMES = [...Object.values(PRIORITY_CLASSES).map((c) => c.name), ...SYSTEM_PRIORITY_CLASSES] as string[];

/** The chart of each release whose name is not its chart's (the two collectors). */
const CHART_OF_RELEASE: Record<string, string> = { "otel-gateway": "opentelemetry-collector", "otel-sampler": "opentelemetry-collector" };

/** The class of each priority value of the platform's releases, by release name and value path. */
const EXPECTED: Record<string, Record<string, string>> = {
    "aws-load-balancer-controller": { priorityClassName: platformCritical.name },
    "cert-manager": { "global.priorityClassName": platformCritical.name },
    "external-secrets": {
        priorityClassName: platformCritical.name,
        "webhook.priorityClassName": platformCritical.name,
        "certController.priorityClassName": platformCritical.name,
    },
    "metrics-server": { priorityClassName: platformCritical.name },
    "external-dns": { priorityClassName: platformCritical.name },
    // The controller that makes capacity: the built-in class, above the platform's own.
    karpenter: { priorityClassName: "system-cluster-critical" },
    "fluent-bit": { priorityClassName: nodeAgents.name },
    "otel-gateway": { priorityClassName: observability.name },
    "otel-sampler": { priorityClassName: observability.name },
    velero: { priorityClassName: observability.name, "nodeAgent.priorityClassName": nodeAgents.name },
    "kube-prometheus-stack": {
        "prometheusOperator.priorityClassName": observability.name,
        "prometheusOperator.admissionWebhooks.patch.priorityClassName": observability.name,
        "prometheus.prometheusSpec.priorityClassName": observability.name,
        "alertmanager.alertmanagerSpec.priorityClassName": observability.name,
        "grafana.priorityClassName": observability.name,
        "kube-state-metrics.priorityClassName": observability.name,
        "prometheus-node-exporter.priorityClassName": nodeAgents.name,
    },
};

/**
 * Where a value path is declared upstream when values.yaml has it only as a comment (`# priorityClassName: ""`),
 * or in a subchart whose values.yaml is not in ../shared. Each was read in the chart's templates at the pinned
 * tag: prometheus-operator/deployment.yaml (kube-prometheus-stack-88.5.3), templates/_pod.tpl (grafana-12.11.1),
 * templates/deployment.yaml (kube-state-metrics-8.4.0), templates/daemonset.yaml (prometheus-node-exporter-4.56.1).
 */
const COMMENTED: Record<string, Record<string, { file: string; under: readonly string[] } | "subchart">> = {
    "kube-prometheus-stack": {
        "prometheusOperator.priorityClassName": { file: "charts/kube-prometheus-stack/values.yaml", under: ["prometheusOperator"] },
        "grafana.priorityClassName": { file: "charts/kube-prometheus-stack/subcharts/grafana-12.11.1-values.yaml", under: [] },
        "kube-state-metrics.priorityClassName": "subchart",
        "prometheus-node-exporter.priorityClassName": "subchart",
    },
};

function at(values: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((v, key) => (isMap(v) ? v[key] : undefined), values);
}

/** True when the YAML text has `# <key>:` as a comment directly in the block of `under` (two-space indentation). */
function hasCommentedKey(text: string, under: readonly string[], key: string): boolean {
    let lines = text.split("\n");
    for (const [depth, parent] of under.entries()) {
        const indent = " ".repeat(2 * depth);
        const start = lines.findIndex((l) => l === `${indent}${parent}:` || l.startsWith(`${indent}${parent}: `));
        if (start < 0) {
            return false;
        }
        const rest = lines.slice(start + 1);
        const end = rest.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#") && l.length - l.trimStart().length <= 2 * depth);
        lines = end < 0 ? rest : rest.slice(0, end);
    }
    const indent = " ".repeat(2 * under.length);
    return lines.some((l) => l.startsWith(`${indent}# ${key}:`));
}

function podSpecOf(r: RecordedResource): Record<string, unknown> | undefined {
    const spec = r.inputs.spec as Record<string, unknown> | undefined;
    const template = r.type.endsWith(":CronJob") ? at(spec, ["jobTemplate", "spec", "template"]) : r.type.endsWith(":Pod") ? r.inputs : spec?.template;
    return at(template, ["spec"]) as Record<string, unknown> | undefined;
}

describe("scheduling priorities of every pod the program makes", () => {
    it("the priority table knows every chart the chart value paths know (policies/lib/chartValuePaths.ts)", () => {
        expect(Object.keys(CHART_PRIORITY_PATHS)).to.include.members(Object.keys(CHART_VALUE_PATHS));
    });

    it("the table of value paths covers the platform's charts, and each path exists in the chart's upstream values.yaml", function () {
        expect(Object.keys(CHART_PRIORITY_PATHS)).to.include.members(Object.keys(EXPECTED).map((release) => CHART_OF_RELEASE[release] ?? release));
        if (sharedFile("charts/kube-prometheus-stack/values.yaml") === undefined) {
            this.skip(); // ../shared is absent: nothing to compare against
        }
        const checked: string[] = [];
        for (const [chart, paths] of Object.entries(CHART_PRIORITY_PATHS)) {
            if (paths.length === 0) {
                continue; // a chart without pods (karpenter-crd)
            }
            const file = sharedFile(`charts/${chart}/values.yaml`);
            expect(file, `../shared/charts/${chart}/values.yaml`).to.not.equal(undefined);
            const text = fs.readFileSync(file!, "utf8");
            const declared = declaredValues(text);
            for (const { path, when } of paths) {
                const key = path.join(".");
                const commented = COMMENTED[chart]?.[key];
                if (commented === "subchart") {
                    // The subchart's section exists in the parent's values (its values go there).
                    expect(isMap(declared[path[0]]), `${chart}: ${path[0]}`).to.equal(true);
                } else if (commented !== undefined) {
                    const source = fs.readFileSync(sharedFile(commented.file)!, "utf8");
                    expect(hasCommentedKey(source, commented.under, path[path.length - 1]), `${chart}: ${key} in ${commented.file}`).to.equal(true);
                    expect(at(declared, path), `${chart}: ${key} is only a comment upstream`).to.equal(undefined);
                } else {
                    const parent = at(declared, path.slice(0, -1));
                    expect(isMap(parent) && path[path.length - 1] in parent, `${chart}: ${key}`).to.equal(true);
                }
                if (when !== undefined) {
                    expect(at(declared, when), `${chart}: ${when.join(".")}`).to.be.a("boolean");
                }
                checked.push(`${chart}:${key}`);
            }
        }
        expect(checked).to.include("velero:nodeAgent.priorityClassName");
        // The check itself: a path the chart does not have is caught.
        expect(at(declaredValues(fs.readFileSync(sharedFile("charts/velero/values.yaml")!, "utf8")), ["server", "priorityClassName"])).to.equal(undefined);
        expect(hasCommentedKey(fs.readFileSync(sharedFile("charts/kube-prometheus-stack/values.yaml")!, "utf8"), ["prometheus"], "priorityClassName")).to.equal(
            false,
        );
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack}`, () => {
            let plan: Plan;
            before(async () => {
                plan = await sharedPlan(stack);
            });

            it("every Helm release names a platform or system class at each value its chart reads, the class of its role", () => {
                const releases = plan.ofType(RELEASE);
                expect(releases.map((r) => r.inputs.name)).to.include.members(Object.keys(EXPECTED));
                for (const release of releases) {
                    const chart = String(release.inputs.chart);
                    const paths = CHART_PRIORITY_PATHS[chartName(chart)];
                    expect(paths, `chart ${chart}: add its priority value paths to CHART_PRIORITY_PATHS`).to.not.equal(undefined);
                    for (const { path } of paths) {
                        const key = path.join(".");
                        const value = at(release.inputs.values, path);
                        expect(NAMES, `${String(release.inputs.name)}: values.${key}`).to.include(value);
                        const expected = EXPECTED[String(release.inputs.name)]?.[key];
                        if (expected !== undefined) {
                            expect(value, `${String(release.inputs.name)}: values.${key}`).to.equal(expected);
                        }
                    }
                }
            });

            it("every pod template of the program names a class; the applications' (app-*) and the database-admin Jobs' name `applications`", () => {
                const workloads = plan.resources.filter((r) => WORKLOADS.includes(r.type));
                expect(workloads.length).to.be.greaterThan(0);
                for (const workload of workloads) {
                    const spec = podSpecOf(workload);
                    expect(NAMES, `${workload.name}: priorityClassName`).to.include(spec?.priorityClassName);
                    const namespace = String((workload.inputs.metadata as { namespace?: string }).namespace);
                    if (namespace.startsWith("app-") || namespace === "database-admin") {
                        expect(spec?.priorityClassName, workload.name).to.equal(applications.name);
                    }
                }
                expect(workloads.map((w) => w.type)).to.include.members(["kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"]);
            });

            it("every release and every workload waits for every PriorityClass (a pod naming a missing class is refused)", () => {
                const classes = plan.ofType(PRIORITY_CLASS);
                expect(classes).to.have.length(Object.keys(PRIORITY_CLASSES).length);
                const subjects = plan.resources.filter((r) => r.type === RELEASE || WORKLOADS.includes(r.type));
                for (const subject of subjects) {
                    for (const priorityClass of classes) {
                        expect(plan.dependsOn(subject, priorityClass), `${subject.name} waits for ${priorityClass.name}`).to.equal(true);
                    }
                }
            });
        });
    }
});
