import { expect } from "chai";
import * as fs from "node:fs";
import { parse } from "yaml";
import { METRICS_SERVER, metricsServerValues } from "../../../components/addons/metricsServer";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { sharedFile } from "../eks/helpers";
import { undeclaredKeys } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Values the chart renders whole into the pod spec with toYaml. */
const RENDERED_WHOLE = ["securityContext", "podSecurityContext", "resources"];

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "metrics-server-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

describe("metrics-server", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, with an explicit name, in its own restricted namespace", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "metrics-server",
                chart: "metrics-server",
                version: "3.13.1",
                repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server" },
                namespace: METRICS_SERVER.namespace,
                createNamespace: false,
                atomic,
            });
            const namespace = plan.get("kubernetes:core/v1:Namespace", "metrics-server-namespace");
            expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
            expect(plan.dependsOn(releaseOf(plan), namespace)).to.equal(true);
        }
    });

    it("is installed after the system nodes only (no webhook of the load balancer controller admits its Service)", () => {
        for (const plan of [dev, prod]) {
            expect(plan.dependsOn(releaseOf(plan), plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system"))).to.equal(true);
            expect(plan.dependsOn(releaseOf(plan), plan.get(RELEASE, "eks-lb-controller-release"))).to.equal(false);
        }
    });

    it("runs two replicas with a disruption budget in prod, spread over zones and nodes; one in dev", () => {
        expect(valuesOf(prod)).to.deep.include({ replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
        expect((valuesOf(prod).topologySpreadConstraints as { topologyKey: string }[]).map((c) => c.topologyKey)).to.deep.equal([
            "topology.kubernetes.io/zone",
            "kubernetes.io/hostname",
        ]);
        expect(valuesOf(dev)).to.deep.include({ replicas: 1, podDisruptionBudget: { enabled: false } });
    });

    it("uses a chart-managed certificate that the APIService verifies, and never skips TLS verification", () => {
        for (const plan of [dev, prod]) {
            const values = valuesOf(plan);
            expect(values.apiService).to.deep.equal({ create: true, insecureSkipTLSVerify: false });
            expect(values.tls).to.deep.equal({ type: "helm", helm: { lookup: true, certDurationDays: 3650 } });
            expect(JSON.stringify(values)).not.to.include("kubelet-insecure-tls");
        }
    });

    it("runs as non-root with no privileges, no capabilities, a read-only root filesystem and the runtime's seccomp profile", () => {
        const values = metricsServerValues({ isProd: true });
        expect(values.securityContext).to.deep.include({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(values.resources).to.deep.equal({ requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } });
    });

    it("every values key the program sets exists in the chart's values.yaml", function () {
        const file = sharedFile("charts/metrics-server/values.yaml");
        if (file === undefined) {
            this.skip(); // ../shared is absent: nothing to compare against
        }
        const upstream = parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        for (const plan of [dev, prod]) {
            expect(undeclaredKeys(valuesOf(plan), upstream, RENDERED_WHOLE)).to.deep.equal([]);
        }
        expect(undeclaredKeys({ tls: { kind: "helm" }, replicaCount: 2 }, upstream, RENDERED_WHOLE), "the check itself").to.deep.equal([
            "tls.kind",
            "replicaCount",
        ]);
        // The chart's default pod context is empty: the securityContext the program sets is what runs.
        expect(upstream.podSecurityContext).to.deep.equal({});
    });
});
