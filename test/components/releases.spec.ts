/**
 * Every Helm release of the platform, whichever component makes it: a pinned chart of versions.ts,
 * an explicit name, a namespace the program creates with Pod Security labels, the cluster provider,
 * and the install order (load balancer controller, then kube-prometheus-stack, then what creates its
 * custom resources).
 */
import { expect } from "chai";
import { sharedPlan, type Plan, type RecordedResource } from "../harness";
import { CHARTS } from "../../versions";
import { chartSource } from "../../components/helmRelease";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const LIMIT_RANGE = "kubernetes:core/v1:LimitRange";
/** The kinds that make pods. */
const WORKLOADS = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
];

/** The releases the platform installs, by Helm release name, with the chart each must be. */
const EXPECTED = {
    "aws-load-balancer-controller": CHARTS.awsLoadBalancerController,
    "kube-prometheus-stack": CHARTS.kubePrometheusStack,
    "cert-manager": CHARTS.certManager,
    velero: CHARTS.velero,
    "metrics-server": CHARTS.metricsServer,
    "external-secrets": CHARTS.externalSecrets,
    "external-dns": CHARTS.externalDns,
    "karpenter-crd": CHARTS.karpenterCrd,
    karpenter: CHARTS.karpenter,
    "fluent-bit": CHARTS.fluentBit,
    "otel-gateway": CHARTS.openTelemetryCollector,
    "otel-sampler": CHARTS.openTelemetryCollector,
} as const;

function releaseNamed(plan: Plan, releaseName: keyof typeof EXPECTED): RecordedResource {
    const found = plan.ofType(RELEASE).filter((r) => r.inputs.name === releaseName);
    expect(found, `release ${releaseName}`).to.have.length(1);
    return found[0];
}

for (const stack of ["dev", "prod"] as const) {
    describe(`Helm releases (${stack})`, () => {
        let plan: Plan;
        before(async () => {
            plan = await sharedPlan(stack);
        });

        it("are exactly the platform's charts, each at its pin in versions.ts, under an explicit release name", () => {
            const names = plan.ofType(RELEASE).map((r) => r.inputs.name);
            expect(names).to.have.members(Object.keys(EXPECTED));
            for (const [releaseName, chart] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, (typeof EXPECTED)[keyof typeof EXPECTED]][]) {
                const release = releaseNamed(plan, releaseName);
                expect(release.inputs, releaseName).to.deep.include({ ...chartSource(chart), version: chart.version, createNamespace: false });
                expect(release.inputs.version, releaseName).to.match(/^v?\d+\.\d+\.\d+$/);
            }
        });

        it("go into a namespace the program creates, with pinned Pod Security labels, through the cluster provider", () => {
            for (const release of plan.ofType(RELEASE)) {
                const namespace = plan.ofType(NAMESPACE).find((n) => (n.inputs.metadata as { name?: string }).name === release.inputs.namespace);
                expect(namespace, `namespace ${String(release.inputs.namespace)} of ${String(release.inputs.name)}`).to.not.equal(undefined);
                const labels = (namespace!.inputs.metadata as { labels: Record<string, string> }).labels;
                // Fluent Bit's namespace alone is privileged (hostPath of the node's logs); the pack exempts exactly it.
                const level = release.inputs.namespace === "logging" ? "privileged" : "restricted";
                expect(labels["pod-security.kubernetes.io/enforce"], String(release.inputs.namespace)).to.equal(level);
                // The standards of the cluster's own minor (both stacks run 1.36), never "latest".
                for (const mode of ["enforce", "warn", "audit"]) {
                    expect(labels[`pod-security.kubernetes.io/${mode}-version`], `${String(release.inputs.namespace)} ${mode}`).to.equal("v1.36");
                }
                expect(plan.dependsOn(release, namespace!), `${String(release.inputs.name)} waits for its namespace`).to.equal(true);
                expect(plan.providerOf(release)?.type).to.equal("pulumi:providers:kubernetes");
            }
        });

        it("every release and every namespaced workload waits for its namespace's ResourceQuota and LimitRange, not only the Namespace", () => {
            // A pod admitted before the LimitRange exists gets no default resources (kube-prometheus-stack has
            // containers without any), and then the quota on limits.memory rejects it.
            const inNamespace = (type: string, namespace: string) =>
                plan.ofType(type).filter((r) => (r.inputs.metadata as { namespace?: string } | undefined)?.namespace === namespace);
            const namespaceOf = (r: RecordedResource): string | undefined =>
                r.type === RELEASE ? (r.inputs.namespace as string) : (r.inputs.metadata as { namespace?: string } | undefined)?.namespace;
            const checked: string[] = [];
            const subjects = plan.resources.filter((r) => r.type === RELEASE || WORKLOADS.includes(r.type));
            for (const subject of subjects) {
                const namespaces = [namespaceOf(subject)!, ...(subject.inputs.name === "kube-prometheus-stack" ? ["monitoring-node-exporter"] : [])];
                for (const namespace of namespaces) {
                    const guards = [...inNamespace(QUOTA, namespace), ...inNamespace(LIMIT_RANGE, namespace)];
                    expect(guards.map((g) => g.type).sort(), `${subject.name}: quota and limit range of ${namespace}`).to.deep.equal([LIMIT_RANGE, QUOTA]);
                    for (const guard of guards) {
                        expect(plan.dependsOn(subject, guard), `${subject.name} waits for ${guard.name}`).to.equal(true);
                    }
                    checked.push(`${subject.type.split(":").pop()} ${namespace}`);
                }
            }
            // The check covered every release and the applications' workloads.
            expect(checked).to.include.members([
                "Release aws-load-balancer-controller",
                "Release monitoring",
                "Release monitoring-node-exporter",
                "Release cert-manager",
                "Release velero",
                "Release metrics-server",
                "Release external-dns",
                "Deployment app-api",
            ]);
        });

        it("install in order: the system nodes, then every release with pods, none after kube-prometheus-stack or the load balancer controller", () => {
            const controller = releaseNamed(plan, "aws-load-balancer-controller");
            const monitoring = releaseNamed(plan, "kube-prometheus-stack");
            const nodes = plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system");
            for (const release of plan.ofType(RELEASE)) {
                // Every release with pods waits for nodes; the CRD chart has none and installs at once.
                expect(plan.dependsOn(release, nodes), `${String(release.inputs.name)} after the system nodes`).to.equal(
                    release.inputs.name !== "karpenter-crd",
                );
                // The controller's webhooks admit only the applications' Ingresses and pods (its Service mutator is off).
                expect(
                    release === controller || !plan.dependsOn(release, controller),
                    `${String(release.inputs.name)} does not wait for the controller`,
                ).to.equal(true);
            }
            expect(plan.dependsOn(monitoring, controller)).to.equal(false);
            // The add-ons' ServiceMonitors and PrometheusRules are the program's, after the monitoring release:
            // no release waits for it.
            for (const release of plan.ofType(RELEASE).filter((r) => r !== monitoring)) {
                expect(plan.dependsOn(release, monitoring), `${String(release.inputs.name)} not after kube-prometheus-stack`).to.equal(false);
            }
        });

        it("external-dns waits for the system nodes only, and nothing waits for it", () => {
            const externalDns = releaseNamed(plan, "external-dns");
            expect(plan.dependsOn(externalDns, releaseNamed(plan, "kube-prometheus-stack")), "its ServiceMonitor is the program's").to.equal(false);
            const waiting = plan.resources
                .filter((r) => r !== externalDns && r.name !== "external-dns-service-monitor" && plan.dependsOn(r, externalDns))
                .map((r) => r.name);
            expect(waiting, "nothing needs DNS records to be created").to.deep.equal([]);
        });
    });
}
