import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { createHash } from "node:crypto";
import {
    LOAD_BALANCER_CONTROLLER,
    LOAD_BALANCER_CONTROLLER_POLICY,
    loadBalancerControllerPolicy,
    loadBalancerControllerValues,
} from "../../../components/eks/loadBalancerController";
import { CHARTS } from "../../../versions";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { clusterOf, inlineStatements, roleByArn, sharedFile } from "./helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const POLICY_COPY = path.resolve(__dirname, "..", "..", "..", "components", "policies", "aws-load-balancer-controller.json");

/** Values the chart renders whole into the pod spec with toYaml, so any Kubernetes field is valid below them. */
const RENDERED_WHOLE = ["securityContext", "podSecurityContext"];

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Paths of `ours` that the chart's values.yaml does not declare. Below an upstream key whose default is
 * empty (`{}`, `[]` or null) or rendered whole, anything goes: the chart passes it through.
 */
function undeclaredKeys(ours: Record<string, unknown>, upstream: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(ours).flatMap(([key, value]) => {
        const at = `${prefix}${key}`;
        if (!(key in upstream)) {
            return [at];
        }
        const declared = upstream[key];
        if (isMap(value) && isMap(declared) && Object.keys(declared).length > 0 && !RENDERED_WHOLE.includes(at)) {
            return undeclaredKeys(value, declared, `${at}.`);
        }
        return [];
    });
}

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "eks-lb-controller-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

describe("AWS Load Balancer Controller", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, with an explicit name, in its own namespace, rolled back on failure in prod", () => {
        const chart = CHARTS.awsLoadBalancerController;
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "aws-load-balancer-controller",
                chart: chart.chart,
                version: "3.5.0",
                repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
                namespace: "aws-load-balancer-controller",
                createNamespace: false,
                timeout: 600,
                atomic,
                cleanupOnFail: atomic,
            });
        }
    });

    it("its namespace is created by the program and enforces the restricted Pod Security Standard", () => {
        const namespace = dev.get("kubernetes:core/v1:Namespace", "eks-lb-controller-namespace");
        expect(namespace.inputs.metadata).to.deep.include({
            name: LOAD_BALANCER_CONTROLLER.namespace,
            labels: {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "v1.36",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": "v1.36",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": "v1.36",
            },
        });
        expect(dev.dependsOn(releaseOf(dev), namespace)).to.equal(true);
    });

    it("knows its cluster, region and VPC, so it needs no instance metadata", () => {
        for (const plan of [dev, prod]) {
            expect(valuesOf(plan)).to.include({
                clusterName: clusterOf(plan).outputs.name,
                region: "eu-west-1",
                vpcId: plan.get("aws:ec2/vpc:Vpc", "network-vpc").id,
            });
        }
    });

    it("runs two replicas with a disruption budget on the system nodes, spread over zones", () => {
        const values = valuesOf(prod);
        expect(values).to.deep.include({
            replicaCount: 2,
            podDisruptionBudget: { maxUnavailable: 1 },
            nodeSelector: { "platform/node-purpose": "system" },
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
        });
        expect((values.topologySpreadConstraints as { topologyKey: string }[])[0].topologyKey).to.equal("topology.kubernetes.io/zone");
    });

    it("runs as non-root with no privileges, no capabilities, a read-only root filesystem and the runtime's seccomp profile", () => {
        const values = valuesOf(prod);
        expect(values.podSecurityContext).to.deep.equal({ runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
        expect(values.securityContext).to.deep.equal({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(values.resources).to.deep.equal({ requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "512Mi" } });
    });

    it("tags what it creates in AWS with the stack's tags", () => {
        expect(valuesOf(dev).defaultTags).to.include({ environment: "dev", project: "platform", stack: "dev", "managed-by": "pulumi", owner: "platform-team" });
    });

    it("its service account uses a role that trusts exactly that service account and holds the upstream policy only", () => {
        const serviceAccount = valuesOf(prod).serviceAccount as { name: string; annotations: Record<string, string> };
        expect(serviceAccount.name).to.equal("aws-load-balancer-controller");
        const role = roleByArn(prod, serviceAccount.annotations["eks.amazonaws.com/role-arn"]);
        const trust = policyOf(role.inputs.assumeRolePolicy).Statement[0].Condition as { StringEquals: Record<string, string> };
        expect(Object.entries(trust.StringEquals).find(([k]) => k.endsWith(":sub"))?.[1]).to.equal(
            "system:serviceaccount:aws-load-balancer-controller:aws-load-balancer-controller",
        );
        expect(inlineStatements(prod, role)).to.deep.equal(JSON.parse(fs.readFileSync(POLICY_COPY, "utf8")).Statement);
        expect(prod.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name)).to.deep.equal([]);
    });

    it("is installed after the nodes, CoreDNS and its role's policy, and so removed before them", () => {
        for (const plan of [dev, prod]) {
            const release = releaseOf(plan);
            const before = [
                ...plan.ofType("aws:eks/nodeGroup:NodeGroup"),
                plan.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "coredns")!,
                plan.get("aws:iam/rolePolicy:RolePolicy", "eks-lb-controller-identity-policy"),
            ];
            for (const other of before) {
                expect(plan.dependsOn(release, other), other.name).to.equal(true);
            }
        }
    });

    it("its Service mutator is off, so only what its other webhooks admit waits for it: the applications' Ingresses and pods", function () {
        for (const plan of [dev, prod]) {
            const release = releaseOf(plan);
            expect((plan.inputsOf(release).values as Record<string, unknown>).enableServiceMutatorWebhook).to.equal(false);
            const namespaceOf = (r: { inputs: Record<string, unknown> }) => String((r.inputs.metadata as { namespace?: string } | undefined)?.namespace);
            const ingresses = plan.ofType("kubernetes:networking.k8s.io/v1:Ingress");
            const appPods = plan.resources.filter(
                (r) => ["kubernetes:batch/v1:Job", "kubernetes:apps/v1:Deployment"].includes(r.type) && namespaceOf(r).startsWith("app-"),
            );
            expect(ingresses.length).to.be.greaterThan(0);
            for (const r of [...ingresses, ...appPods]) {
                expect(plan.dependsOn(r, release), `${r.type} ${r.name}`).to.equal(true);
            }
            // Services and the other releases do not wait for it (no webhook admits them).
            for (const r of [...plan.ofType("kubernetes:core/v1:Service"), ...plan.ofType("kubernetes:helm.sh/v3:Release").filter((x) => x !== release)]) {
                expect(plan.dependsOn(r, release), `${r.type} ${r.name}`).to.equal(false);
            }
        }
        // The chart renders the Service mutator only with its switch (templates/webhook.yaml at eks-charts 5239609, chart 3.5.0).
        const file = sharedFile("charts/aws-load-balancer-controller/values.yaml");
        if (file === undefined) {
            this.skip(); // ../shared is absent
        }
        expect(fs.readFileSync(file!, "utf8")).to.match(/^enableServiceMutatorWebhook: true$/m);
    });

    it("builds its values from the cluster's facts alone", () => {
        const values = loadBalancerControllerValues({ clusterName: "c", region: "r", vpcId: "v", roleArn: "arn:role", tags: { a: "b" } });
        expect(values).to.deep.include({ clusterName: "c", region: "r", vpcId: "v", keepTLSSecret: true, defaultTargetType: "ip", defaultTags: { a: "b" } });
    });

    it("in aws-cn and aws-us-gov the role gets upstream's policy for that partition: the same statements with the partition's ARNs", () => {
        const sha = (file: string) =>
            createHash("sha256")
                .update(fs.readFileSync(path.join(path.dirname(POLICY_COPY), file)))
                .digest("hex");
        // The verbatim files of the pinned release (docs/install/iam_policy_cn.json, iam_policy_us-gov.json at v3.5.0).
        expect(sha("aws-load-balancer-controller-cn.json")).to.equal("b1ac7c188d27a2cdb3095c7efd8376cd21705fe75d6ce91715558a85987b25bc");
        expect(sha("aws-load-balancer-controller-us-gov.json")).to.equal("eff0caf0b8f205e63e09ee1ea37a90fba6a87a417ac40fc83da50b204a55f372");
        const statements = (partition: "aws" | "aws-cn" | "aws-us-gov") =>
            loadBalancerControllerPolicy(partition)
                .Statement.map((st) => JSON.stringify(st).replaceAll(`arn:${partition}:`, "arn:PARTITION:"))
                .sort();
        expect(statements("aws-cn")).to.deep.equal(statements("aws"));
        expect(statements("aws-us-gov")).to.deep.equal(statements("aws"));
        expect(JSON.stringify(loadBalancerControllerPolicy("aws-cn"))).to.not.include("arn:aws:");
        expect(JSON.stringify(loadBalancerControllerPolicy("aws-us-gov"))).to.not.include("arn:aws:");
    });

    describe("against the upstream chart in ../shared", () => {
        it("the IAM policy is the upstream file, unmodified", function () {
            const upstream = sharedFile("charts/aws-load-balancer-controller/iam_policy.json");
            if (upstream === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            expect(fs.readFileSync(POLICY_COPY, "utf8")).to.equal(fs.readFileSync(upstream, "utf8"));
            expect(LOAD_BALANCER_CONTROLLER_POLICY).to.deep.equal(JSON.parse(fs.readFileSync(upstream, "utf8")));
        });

        it("every values key the program sets exists in the chart's values.yaml", function () {
            const file = sharedFile("charts/aws-load-balancer-controller/values.yaml");
            if (file === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const upstream = parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), upstream)).to.deep.equal([]);
            }
            expect(undeclaredKeys({ serviceAccount: { nmae: "x" }, replicas: 2 }, upstream), "the check itself").to.deep.equal([
                "serviceAccount.nmae",
                "replicas",
            ]);
        });
    });
});
