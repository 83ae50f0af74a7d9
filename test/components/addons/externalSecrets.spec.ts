import { expect } from "chai";
import { EXTERNAL_SECRETS, externalSecretsValues } from "../../../components/addons/externalSecrets";
import { NODE_PURPOSE_LABEL } from "../../../config/keys/nodeGroups";
import * as fs from "node:fs";
import { CHARTS } from "../../../versions";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { sharedFile } from "../eks/helpers";
import { declaredValues, undeclaredKeys, upstreamChart } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Values the chart renders whole into the pod spec with toYaml (less their `enabled` key). */
const RENDERED_WHOLE = ["podSecurityContext", "securityContext", "resources", "nodeSelector"].flatMap((key) => [
    key,
    `webhook.${key}`,
    `certController.${key}`,
]);
/** The three Deployments of the chart, by the values prefix of each. */
const COMPONENTS = {
    controller: (v: Record<string, unknown>) => v,
    webhook: (v: Record<string, unknown>) => sub(v, "webhook"),
    certController: (v: Record<string, unknown>) => sub(v, "certController"),
};

function sub(values: Record<string, unknown>, key: string): Record<string, unknown> {
    return values[key] as Record<string, unknown>;
}

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "external-secrets-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

describe("External Secrets Operator", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, named, with its CRDs, in its own restricted namespace, rolled back on failure in prod", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "external-secrets",
                chart: "external-secrets",
                version: "2.9.0",
                repositoryOpts: { repo: "https://charts.external-secrets.io" },
                namespace: EXTERNAL_SECRETS.namespace,
                createNamespace: false,
                atomic,
            });
            expect(valuesOf(plan).installCRDs).to.equal(true);
            const namespace = plan.get("kubernetes:core/v1:Namespace", "external-secrets-namespace");
            expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
            expect(plan.dependsOn(releaseOf(plan), namespace)).to.equal(true);
        }
    });

    it("is installed after its namespace's quota and limit range and the system nodes, and waits for nothing more (the database-admin Jobs wait for it)", () => {
        for (const plan of [dev, prod]) {
            const release = releaseOf(plan);
            for (const before of [
                plan.get("kubernetes:core/v1:ResourceQuota", "external-secrets-namespace-quota"),
                plan.get("kubernetes:core/v1:LimitRange", "external-secrets-namespace-limits"),
                plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system"),
            ]) {
                expect(plan.dependsOn(release, before), before.name).to.equal(true);
            }
            for (const notBefore of [plan.get(RELEASE, "eks-lb-controller-release"), plan.get(RELEASE, "monitoring-release")]) {
                expect(plan.dependsOn(release, notBefore), notBefore.name).to.equal(false);
            }
        }
    });

    it("runs two replicas of the controller, webhook and cert-controller with disruption budgets in prod, one each in dev; a leader is elected", () => {
        for (const [name, of] of Object.entries(COMPONENTS)) {
            expect(of(valuesOf(prod)), name).to.deep.include({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
            expect(of(valuesOf(dev)), name).to.deep.include({ replicaCount: 1, podDisruptionBudget: { enabled: false } });
        }
        for (const plan of [dev, prod]) {
            expect(valuesOf(plan).leaderElect).to.equal(true);
        }
    });

    it("every component runs restricted: non-root, no privilege escalation, no capabilities, read-only root, RuntimeDefault seccomp, with resources", () => {
        for (const [name, of] of Object.entries(COMPONENTS)) {
            const values = of(externalSecretsValues({ highlyAvailable: true, scopedNamespace: "database-admin" }));
            expect(values.podSecurityContext, name).to.deep.equal({ enabled: true, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(values.securityContext, name).to.deep.include({
                enabled: true,
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            const resources = values.resources as { requests: Record<string, string>; limits: Record<string, string> };
            expect(Object.keys(resources.requests), name).to.have.members(["cpu", "memory"]);
            expect(resources.limits.memory, name).to.be.a("string");
            expect(values.nodeSelector, name).to.deep.include({ [NODE_PURPOSE_LABEL]: "system" });
        }
    });

    it("exposes metrics through its own three ServiceMonitors, after both the release and the monitoring release, on the chart's metrics Services", () => {
        for (const plan of [dev, prod]) {
            const values = valuesOf(plan);
            expect(values.serviceMonitor).to.deep.equal({ enabled: false });
            expect(values.metrics).to.deep.equal({ service: { enabled: true } });
            expect((values.webhook as { metrics: unknown }).metrics).to.deep.equal({ service: { enabled: true } });
            expect((values.certController as { metrics: unknown }).metrics).to.deep.equal({ service: { enabled: true } });
            const monitors = plan.ofType("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").filter((r) => r.name.startsWith("external-secrets-"));
            expect(monitors.map((m) => (m.inputs.metadata as { name: string }).name).sort()).to.deep.equal([
                "external-secrets-cert-controller-metrics",
                "external-secrets-metrics",
                "external-secrets-webhook-metrics",
            ]);
            for (const monitor of monitors) {
                expect(plan.dependsOn(monitor, releaseOf(plan)), monitor.name).to.equal(true);
                expect(plan.dependsOn(monitor, plan.get(RELEASE, "monitoring-release")), monitor.name).to.equal(true);
                const spec = monitor.inputs.spec as { selector: { matchLabels: Record<string, string> }; endpoints: { port: string }[] };
                expect(spec.selector.matchLabels["app.kubernetes.io/instance"]).to.equal("external-secrets");
                expect(spec.endpoints).to.deep.equal([{ port: "metrics", interval: "30s", scrapeTimeout: "25s", honorLabels: false }]);
            }
        }
    });

    it("has no AWS identity of its own, serves database-admin only with a Role there, and no cluster-wide kinds or pushes", () => {
        for (const plan of [dev, prod]) {
            const values = valuesOf(plan);
            expect(values.serviceAccount).to.deep.equal({ create: true, name: EXTERNAL_SECRETS.serviceAccount });
            expect(values).to.deep.include({
                scopedNamespace: "database-admin",
                scopedRBAC: true,
                processClusterStore: false,
                processClusterExternalSecret: false,
                processClusterGenerator: false,
                processPushSecret: false,
                processClusterPushSecret: false,
            });
            // Its Role is created in database-admin: the release waits for that namespace.
            expect(plan.dependsOn(releaseOf(plan), plan.get("kubernetes:core/v1:Namespace", "database-admin-namespace"))).to.equal(true);
            expect(plan.ofType("kubernetes:external-secrets.io/v1:ClusterSecretStore")).to.deep.equal([]);
        }
    });

    describe("against the upstream chart in ../shared", () => {
        it("the pin is the chart version whose values and schema are there", function () {
            const index = sharedFile("charts/INDEX.md");
            if (index === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            expect(fs.readFileSync(index, "utf8")).to.include(`| external-secrets ${CHARTS.externalSecrets.version} (v${CHARTS.externalSecrets.version}) |`);
        });

        it("every values key the program sets exists in the chart's values.yaml", function () {
            const chart = upstreamChart("external-secrets");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const declared = declaredValues(chart.valuesText);
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), declared, RENDERED_WHOLE)).to.deep.equal([]);
            }
            expect(undeclaredKeys({ webhook: { replicas: 2 } }, declared, RENDERED_WHOLE), "the check itself").to.deep.equal(["webhook.replicas"]);
            // The chart's own security contexts are what the values replace: the same keys, hardened the same way or more.
            expect(Object.keys(sub(chart.defaults, "securityContext"))).to.have.members(Object.keys(sub(valuesOf(prod), "securityContext")));
        });

        it("the values, merged with the chart's defaults, validate against its values.schema.json", function () {
            const chart = upstreamChart("external-secrets");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            for (const plan of [dev, prod]) {
                expect(chart.schemaErrors(valuesOf(plan))).to.deep.equal([]);
            }
            expect(chart.schemaErrors({ ...valuesOf(prod), serviceMonitor: { renderMode: "sometimes" } }), "the check itself").to.not.deep.equal([]);
        });
    });
});
