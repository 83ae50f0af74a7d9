import { expect } from "chai";
import { CHART_PRIORITY_PATHS, requirePriorityClass } from "../../../policies/rules/k8s/requirePriorityClass";
import { Unknown } from "../../../tools/offline/values";
import { messages, REMOVE, resource, stackConfig, withValue } from "../check";
import * as fixtures from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const JOB = "kubernetes:batch/v1:Job";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const PRIORITY_CLASS = "kubernetes:scheduling.k8s.io/v1:PriorityClass";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const declared = resource(PRIORITY_CLASS, "applications", fixtures.priorityClass);
const KNOWN = "applications, system-cluster-critical, system-node-critical";

/** A release of `chart` whose every priority value (the chart's table) is `name`. */
function release(chart: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    let values: Record<string, unknown> = { ...extra };
    for (const { path } of CHART_PRIORITY_PATHS[chart]) {
        values = withValue(values, path.join("."), name);
    }
    return { chart, version: "1.0.0", namespace: "x", values };
}

describe("policy platform-k8s-workload-priority-class (pod priority, mandatory in prod)", () => {
    it("passes a workload naming a declared class, and one naming a built-in system class", async () => {
        expect(await messages(requirePriorityClass, [declared, resource(DEPLOYMENT, "web", fixtures.deployment)])).to.deep.equal([]);
        const system = withValue(fixtures.deployment, "spec.template.spec.priorityClassName", "system-cluster-critical");
        expect(await messages(requirePriorityClass, [resource(DEPLOYMENT, "web", system)])).to.deep.equal([]);
    });

    it("reports a workload that names no class (missing or empty)", async () => {
        const expected = [
            `${DEPLOYMENT} "web" names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set priorityClassName in its pod spec.`,
        ];
        for (const value of [REMOVE, ""]) {
            const bare = withValue(fixtures.deployment, "spec.template.spec.priorityClassName", value);
            expect(await messages(requirePriorityClass, [declared, resource(DEPLOYMENT, "web", bare)])).to.deep.equal(expected);
        }
    });

    it("reports a class that neither the stack declares nor the cluster has (the API server would refuse the pods)", async () => {
        const typo = withValue(fixtures.deployment, "spec.template.spec.priorityClassName", "aplications");
        expect(await messages(requirePriorityClass, [declared, resource(DEPLOYMENT, "web", typo)])).to.deep.equal([
            `${DEPLOYMENT} "web" names the PriorityClass "aplications", which neither the stack declares nor the cluster has: the API server refuses its pods. Name one of ${KNOWN}, or declare the class.`,
        ]);
        // Without the declaration, "applications" itself is unknown.
        expect(await messages(requirePriorityClass, [resource(DEPLOYMENT, "web", fixtures.deployment)])).to.have.length(1);
        // ... unless the cluster has it (clusterClasses).
        const config = { [requirePriorityClass.policy.name]: { clusterClasses: ["applications"] } };
        expect(await messages(requirePriorityClass, [resource(DEPLOYMENT, "web", fixtures.deployment)], config)).to.deep.equal([]);
    });

    it("reads Jobs' and CronJobs' pod templates too", async () => {
        const job = { metadata: { name: "migrate", namespace: "shop" }, spec: { template: { spec: { containers: [fixtures.container] } } } };
        const cronJob = { metadata: { name: "nightly", namespace: "shop" }, spec: { jobTemplate: { spec: job.spec } } };
        expect(await messages(requirePriorityClass, [declared, resource(JOB, "migrate", job), resource(CRONJOB, "nightly", cronJob)])).to.deep.equal([
            `${JOB} "migrate" names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set priorityClassName in its pod spec.`,
            `${CRONJOB} "nightly" names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set priorityClassName in its pod spec.`,
        ]);
    });

    it("says nothing while the class or a declared class's name is unknown (preview)", async () => {
        const unknownName = withValue(fixtures.deployment, "spec.template.spec.priorityClassName", Unknown.instance);
        expect(await messages(requirePriorityClass, [declared, resource(DEPLOYMENT, "web", unknownName)])).to.deep.equal([]);
        const unknownClass = resource(PRIORITY_CLASS, "c", { ...fixtures.priorityClass, metadata: { name: Unknown.instance } });
        const other = withValue(fixtures.deployment, "spec.template.spec.priorityClassName", "anything");
        expect(await messages(requirePriorityClass, [unknownClass, resource(DEPLOYMENT, "web", other)])).to.deep.equal([]);
    });

    it("passes releases of the known charts that set every priority value, and ignores charts it has no table for", async () => {
        const releases = Object.keys(CHART_PRIORITY_PATHS).map((chart) => resource(RELEASE, chart, release(chart, "applications")));
        expect(await messages(requirePriorityClass, [declared, ...releases, resource(RELEASE, "other", { chart: "other", values: {} })])).to.deep.equal([]);
    });

    it("reports each priority value a known chart's release leaves unset or names wrongly", async () => {
        const props = withValue(release("kube-prometheus-stack", "applications"), "values.grafana.priorityClassName", REMOVE);
        const wrong = withValue(props, "values.prometheus-node-exporter.priorityClassName", "nodes");
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "kps", wrong)])).to.deep.equal([
            `${RELEASE} "kps" (values.grafana.priorityClassName) names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set values.grafana.priorityClassName.`,
            `${RELEASE} "kps" (values.prometheus-node-exporter.priorityClassName) names the PriorityClass "nodes", which neither the stack declares nor the cluster has: the API server refuses its pods. Name one of ${KNOWN}, or declare the class.`,
        ]);
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "cm", { chart: "cert-manager", values: {} })])).to.deep.equal([
            `${RELEASE} "cm" (values.global.priorityClassName) names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set values.global.priorityClassName.`,
        ]);
    });

    it("knows a chart installed by OCI reference by its last segment (Karpenter)", async () => {
        const oci = { chart: "oci://public.ecr.aws/karpenter/karpenter", values: {} };
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "karpenter", oci)])).to.deep.equal([
            `${RELEASE} "karpenter" (values.priorityClassName) names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set values.priorityClassName.`,
        ]);
        const crds = { chart: "oci://public.ecr.aws/karpenter/karpenter-crd", values: {} };
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "crds", crds)])).to.deep.equal([]);
    });

    it("checks a value of pods behind a switch only when the switch is on (Velero's node agent)", async () => {
        const velero = { chart: "velero", values: { priorityClassName: "applications" } };
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "velero", velero)])).to.deep.equal([]);
        const withAgent = withValue(velero, "values.deployNodeAgent", true);
        expect(await messages(requirePriorityClass, [declared, resource(RELEASE, "velero", withAgent)])).to.deep.equal([
            `${RELEASE} "velero" (values.nodeAgent.priorityClassName) names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. Set values.nodeAgent.priorityClassName.`,
        ]);
    });

    it("skips a release whose values are unknown (preview)", async () => {
        expect(
            await messages(requirePriorityClass, [declared, resource(RELEASE, "lb", { chart: "aws-load-balancer-controller", values: Unknown.instance })]),
        ).to.deep.equal([]);
    });

    it("is mandatory in prod and advisory in dev, with the built-in classes as the cluster's", () => {
        expect(requirePriorityClass.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
        expect(stackConfig(requirePriorityClass, "prod")[requirePriorityClass.policy.name]).to.deep.include({
            clusterClasses: ["system-node-critical", "system-cluster-critical"],
        });
    });
});
