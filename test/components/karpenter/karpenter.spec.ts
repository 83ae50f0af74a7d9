/**
 * Karpenter in both plans: the controller's policies are upstream's, scoped to this cluster; the
 * interruption queue is encrypted and fed by the five upstream rules; the CRD chart comes first and the
 * controller skips its crds/; every value exists in the chart; node classes and pools are valid Karpenter
 * objects that find exactly the private subnets and the node security group; and the dependencies make
 * Pulumi delete the pools before the controller, and the applications wait for the pools.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import { karpenterControllerPolicies, type KarpenterPolicyContext } from "../../../components/karpenter/controllerPolicies";
import { INTERRUPTION_EVENTS } from "../../../components/karpenter/interruption";
import { AMI_ALIAS, ec2NodeClassSpec, nodePoolSpec } from "../../../components/karpenter/nodeClasses";
import { keyPolicy } from "../../../components/keys";
import { resolve } from "../../config/resolve";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { declaredValues, undeclaredKeys } from "../addons/chartValues";
import { sharedFile } from "../eks/helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const KINDS = { EC2NodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", NodePool: "kubernetes:karpenter.sh/v1:NodePool" } as const;
const ofKind = (plan: Plan, kind: keyof typeof KINDS) => plan.ofType(KINDS[kind]);
const json = (value: unknown) => JSON.parse(String(value)) as Record<string, unknown>;

type Model = new (data: unknown) => { validate(): void };

describe("Karpenter", () => {
    let dev: Plan;
    let prod: Plan;
    let NodePool: Model;
    let EC2NodeClass: Model;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
        ({ NodePool } = (await import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool")) as unknown as { NodePool: Model });
        ({ EC2NodeClass } = (await import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass")) as unknown as { EC2NodeClass: Model });
    });
    const release = (plan: Plan, name: string) => plan.ofType(RELEASE).find((r) => r.inputs.name === name)!;
    const valuesOf = (plan: Plan) => plan.inputsOf(release(plan, "karpenter")).values as Record<string, unknown>;

    describe("controller IAM", () => {
        const ctx: KarpenterPolicyContext = {
            partition: "aws",
            region: "eu-west-1",
            accountId: "123456789012",
            clusterName: "platform-prod-eks",
            nodeRoleArn: "arn:aws:iam::123456789012:role/node",
            queueArn: "arn:aws:sqs:eu-west-1:123456789012:q",
            keyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
        };

        it("the six upstream policies, statement for statement, with this cluster, its node role and its queue filled in", function () {
            const file = sharedFile("charts/karpenter/controller-iam-policy.json");
            if (file === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const text = fs
                .readFileSync(file!, "utf8")
                .replaceAll("${AWS::Partition}", ctx.partition)
                .replaceAll("${AWS::Region}", ctx.region)
                .replaceAll("${AWS::AccountId}", ctx.accountId)
                .replaceAll("${ClusterName}", ctx.clusterName)
                .replaceAll("${KarpenterNodeRole.Arn}", ctx.nodeRoleArn)
                .replaceAll("${KarpenterInterruptionQueue.Arn}", ctx.queueArn);
            const upstream = (JSON.parse(text) as { policies: Record<string, { PolicyDocument: unknown }> }).policies;
            const ours = karpenterControllerPolicies(ctx) as Record<string, unknown>;
            for (const [name, policy] of Object.entries(upstream)) {
                expect(ours[name.replace(`-${ctx.clusterName}`, "")], name).to.deep.equal(policy.PolicyDocument);
            }
            expect(Object.keys(ours)).to.have.length(Object.keys(upstream).length + 1);
        });

        it("the added policy uses the cluster key only through EC2 (volumes, grants for AWS resources) and SQS", () => {
            const statements = karpenterControllerPolicies(ctx).KarpenterControllerVolumeEncryptionPolicy.Statement;
            expect(statements.every((s) => s.Resource === ctx.keyArn)).to.equal(true);
            expect(statements.map((s) => s.Condition?.StringEquals?.["kms:ViaService"])).to.deep.equal([
                "ec2.eu-west-1.amazonaws.com",
                "ec2.eu-west-1.amazonaws.com",
                "sqs.eu-west-1.amazonaws.com",
            ]);
            expect(statements[1]).to.deep.include({ Action: "kms:CreateGrant" });
            expect(statements[1].Condition?.Bool).to.deep.equal({ "kms:GrantIsForAWSResource": true });
        });

        it("in the plan: seven managed policies on a role only karpenter/karpenter assumes, PassRole on the node role only", () => {
            for (const plan of [dev, prod]) {
                const policies = plan.ofType("aws:iam/policy:Policy").filter((p) => p.name.startsWith("karpenter-"));
                expect(policies).to.have.length(7);
                const passRole = policies.flatMap((p) =>
                    (json(p.inputs.policy).Statement as Record<string, unknown>[]).filter((s) => s.Action === "iam:PassRole"),
                );
                const nodeRole = plan.get("aws:iam/role:Role", "karpenter-node-role");
                expect(passRole.map((s) => s.Resource)).to.deep.equal([nodeRole.outputs.arn]);
                const role = plan.get("aws:iam/role:Role", "karpenter-controller-role");
                const trust = json(role.inputs.assumeRolePolicy).Statement as { Condition: { StringEquals: Record<string, string> } }[];
                expect(Object.values(trust[0].Condition.StringEquals)).to.include("system:serviceaccount:karpenter:karpenter");
                const attached = plan.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name);
                expect(attached).to.have.length(7);
            }
        });
    });

    describe("node role", () => {
        it("has upstream's node policies without the CNI policy (the VPC CNI has its own role) and an EC2_LINUX access entry", () => {
            for (const plan of [dev, prod]) {
                const role = plan.get("aws:iam/role:Role", "karpenter-node-role");
                const attached = plan
                    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.inputs.role === role.outputs.name)
                    .map((a) => String(a.inputs.policyArn));
                expect(attached).to.have.members([
                    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                ]);
                const entry = plan.get("aws:eks/accessEntry:AccessEntry", "karpenter-node-access");
                expect(entry.inputs).to.deep.include({ principalArn: role.outputs.arn, type: "EC2_LINUX" });
                expect(entry.inputs).to.not.have.any.keys("kubernetesGroups");
            }
        });
    });

    describe("interruption handling", () => {
        it("the queue is encrypted with the cluster key and keeps messages five minutes; the chart names it", () => {
            for (const plan of [dev, prod]) {
                const queue = plan.get("aws:sqs/queue:Queue", "karpenter-interruption-queue");
                expect(queue.inputs).to.deep.include({ kmsMasterKeyId: plan.get("aws:kms/key:Key", "keys-cluster").outputs.arn, messageRetentionSeconds: 300 });
                expect(queue.inputs).to.not.have.any.keys("sqsManagedSseEnabled");
                expect((valuesOf(plan).settings as Record<string, unknown>).interruptionQueue).to.equal(queue.outputs.name);
            }
        });

        it("five rules with upstream's event patterns, each targeting the queue", function () {
            const file = sharedFile("charts/karpenter/interruption-events.json");
            const upstream =
                file === undefined ? undefined : (JSON.parse(fs.readFileSync(file, "utf8")) as { rules: Record<string, { EventPattern: unknown }> });
            const queue = prod.get("aws:sqs/queue:Queue", "karpenter-interruption-queue");
            const rules = prod.ofType("aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("karpenter-"));
            expect(rules.map((r) => json(r.inputs.eventPattern))).to.have.deep.members(Object.values(INTERRUPTION_EVENTS));
            if (upstream !== undefined) {
                expect(Object.values(INTERRUPTION_EVENTS)).to.have.deep.members(Object.values(upstream.rules).map((r) => r.EventPattern));
            }
            const targets = prod.ofType("aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.startsWith("karpenter-"));
            expect(targets).to.have.length(5);
            for (const target of targets) {
                expect(target.inputs.arn).to.equal(queue.outputs.arn);
            }
        });

        it("the queue policy lets EventBridge send for this stack's rules only and denies plain HTTP; the key lets EventBridge encrypt for them", () => {
            const policy = json(prod.get("aws:sqs/queuePolicy:QueuePolicy", "karpenter-interruption-policy").inputs.policy).Statement as Record<
                string,
                unknown
            >[];
            const rules = prod.ofType("aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith("karpenter-"));
            expect(policy[0]).to.deep.include({ Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage" });
            expect((policy[0].Condition as Record<string, Record<string, string[]>>).ArnEquals["aws:SourceArn"]).to.have.members(
                rules.map((r) => r.outputs.arn),
            );
            expect(policy[2]).to.deep.include({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": false } } });
            const events = keyPolicy("cluster", { accountId: "123456789012", region: "eu-west-1", partition: "aws" }, "platform-prod").Statement.find(
                (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "events.amazonaws.com" }),
            );
            expect(events?.Condition).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/platform-prod-karpenter-*" },
            });
            expect(rules.every((r) => String(r.outputs.name).startsWith("platform-prod-karpenter-"))).to.equal(true);
        });
    });

    describe("charts", () => {
        it("the CRD chart is installed first; the controller chart skips its crds/ and waits for it", () => {
            for (const plan of [dev, prod]) {
                const crds = release(plan, "karpenter-crd");
                const controller = release(plan, "karpenter");
                expect(crds.inputs).to.deep.include({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.14.1", namespace: "karpenter" });
                expect(crds.inputs).to.not.have.any.keys("skipCrds");
                expect(controller.inputs).to.deep.include({ chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.14.1", skipCrds: true });
                expect(plan.dependsOn(controller, crds)).to.equal(true);
            }
        });

        it("every value exists in the chart's values.yaml", function () {
            const file = sharedFile("charts/karpenter/values.yaml");
            if (file === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const upstream = declaredValues(fs.readFileSync(file!, "utf8"));
            for (const plan of [dev, prod]) {
                // The node selector is a label map and the pod security context a PodSecurityContext the chart
                // renders whole (deployment.yaml: `toYaml .Values.podSecurityContext`).
                expect(undeclaredKeys(valuesOf(plan), upstream, ["nodeSelector", "podSecurityContext"])).to.deep.equal([]);
            }
            expect(undeclaredKeys({ settings: { interruptionQeueue: "x" } }, upstream, []), "the check itself").to.deep.equal(["settings.interruptionQeueue"]);
        });

        it("two replicas with a PDB in prod, one in dev; on the system nodes only, tolerating their taint; hardened; IRSA", () => {
            expect(valuesOf(prod)).to.deep.include({ replicas: 2, podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 } });
            expect(valuesOf(dev).replicas).to.equal(1);
            const values = valuesOf(prod);
            expect(values.nodeSelector).to.deep.equal({ "kubernetes.io/os": "linux", "platform/node-purpose": "system" });
            expect(values.tolerations).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
            const terms = (values.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } } })
                .nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
            expect(terms).to.deep.equal([
                {
                    matchExpressions: [
                        { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
                        { key: "platform/node-purpose", operator: "In", values: ["system"] },
                    ],
                },
            ]);
            expect(values).to.deep.include({ priorityClassName: "system-cluster-critical" });
            expect(values.podSecurityContext).to.deep.equal({ fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            const role = prod.get("aws:iam/role:Role", "karpenter-controller-role");
            expect(values.serviceAccount).to.deep.equal({ create: true, name: "karpenter", annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn } });
            expect(values.settings).to.deep.include({ clusterName: "platform-prod-eks" });
        });
    });

    describe("node classes and node pools", () => {
        it("are valid Karpenter objects (@kubernetes-models/karpenter), one pair per configured pool", () => {
            for (const plan of [dev, prod]) {
                const classes = ofKind(plan, "EC2NodeClass");
                const pools = ofKind(plan, "NodePool");
                expect(classes.map((c) => (c.inputs.metadata as { name: string }).name)).to.deep.equal(["general"]);
                expect(pools.map((c) => (c.inputs.metadata as { name: string }).name)).to.deep.equal(["general"]);
                for (const object of [...classes.map((c) => [EC2NodeClass, c] as const), ...pools.map((p) => [NodePool, p] as const)]) {
                    const [Kind, resource] = object;
                    expect(() => new Kind(plan.inputsOf(resource)).validate(), resource.name).to.not.throw();
                }
            }
        });

        it("the validation is not vacuous: a budget that is no count or share, or an httpTokens outside the enum, is refused", () => {
            const poolConfig = resolve("prod").karpenter.nodePools[0];
            const object = (kind: string, spec: unknown) => ({
                apiVersion: kind === "NodePool" ? "karpenter.sh/v1" : "karpenter.k8s.aws/v1",
                kind,
                metadata: { name: "x" },
                spec,
            });
            expect(() => new NodePool(object("NodePool", nodePoolSpec(poolConfig, ["eu-west-1a"]))).validate()).to.not.throw();
            expect(() => new NodePool(object("NodePool", nodePoolSpec({ ...poolConfig, disruptionBudget: "ten" }, ["eu-west-1a"]))).validate()).to.throw();
            const nodeClass = ec2NodeClassSpec(poolConfig, { clusterName: "c", nodeRoleName: "r", volumeKeyArn: "k", tags: {} });
            expect(() => new EC2NodeClass(object("EC2NodeClass", nodeClass)).validate()).to.not.throw();
            const imdsv1 = { ...nodeClass, metadataOptions: { ...(nodeClass.metadataOptions as object), httpTokens: "sometimes" } };
            expect(() => new EC2NodeClass(object("EC2NodeClass", imdsv1)).validate()).to.throw();
        });

        it("the node class pins the AMI alias, requires IMDSv2 with hop limit 1 and encrypts a gp3 root volume with the cluster key", () => {
            expect(AMI_ALIAS).to.match(/^al2023@v\d{8}$/);
            for (const plan of [dev, prod]) {
                const spec = plan.inputsOf(ofKind(plan, "EC2NodeClass")[0]).spec as Record<string, unknown>;
                expect(spec.amiSelectorTerms).to.deep.equal([{ alias: AMI_ALIAS }]);
                expect(spec.metadataOptions).to.deep.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
                const [root] = spec.blockDeviceMappings as { ebs: Record<string, unknown> }[];
                expect(root.ebs).to.deep.include({ volumeType: "gp3", encrypted: true, kmsKeyID: plan.get("aws:kms/key:Key", "keys-cluster").outputs.arn });
                expect(spec.role).to.equal(plan.get("aws:iam/role:Role", "karpenter-node-role").outputs.name);
                expect((spec.tags as Record<string, string>).environment).to.equal(plan === dev ? "dev" : "prod");
            }
        });

        it("its selectors match exactly the private subnets and the node security group", () => {
            for (const plan of [dev, prod]) {
                const spec = plan.inputsOf(ofKind(plan, "EC2NodeClass")[0]).spec as Record<string, { tags: Record<string, string> }[]>;
                const [[key, value]] = Object.entries(spec.subnetSelectorTerms[0].tags);
                expect(spec.securityGroupSelectorTerms).to.deep.equal(spec.subnetSelectorTerms);
                const tagged = (type: string) =>
                    plan
                        .ofType(type)
                        .filter((r) => (r.inputs.tags as Record<string, string> | undefined)?.[key] === value)
                        .map((r) => r.name);
                expect(tagged("aws:ec2/subnet:Subnet")).to.have.members(
                    plan
                        .ofType("aws:ec2/subnet:Subnet")
                        .filter((s) => s.name.includes("-private-"))
                        .map((s) => s.name),
                );
                expect(tagged("aws:ec2/securityGroup:SecurityGroup")).to.deep.equal(["eks-security-groups-node"]);
            }
        });

        it("pools follow the config: capacity types, the stack's zones, limits, consolidation, expiry and the prod no-disruption window", () => {
            const spec = prod.inputsOf(ofKind(prod, "NodePool")[0]).spec as {
                template: { spec: { requirements: { key: string; values: string[] }[]; expireAfter: string } };
                limits: Record<string, string>;
                disruption: Record<string, unknown>;
            };
            const requirement = (key: string) => spec.template.spec.requirements.find((r) => r.key === key)?.values;
            expect(requirement("karpenter.sh/capacity-type")).to.deep.equal(["on-demand"]);
            expect(requirement("topology.kubernetes.io/zone")).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
            expect(spec.limits).to.deep.equal({ cpu: "64", memory: "256Gi" });
            expect(spec.template.spec.expireAfter).to.equal("720h");
            expect(spec.disruption).to.deep.equal({
                consolidationPolicy: "WhenEmptyOrUnderutilized",
                consolidateAfter: "10m",
                budgets: [{ nodes: "10%" }, { nodes: "0", schedule: "0 7 * * mon-fri", duration: "12h" }],
            });
            const devSpec = dev.inputsOf(ofKind(dev, "NodePool")[0]).spec as typeof spec;
            expect(devSpec.template.spec.requirements.find((r) => r.key === "karpenter.sh/capacity-type")?.values).to.deep.equal(["spot"]);
            expect(devSpec.template.spec.requirements.find((r) => r.key === "karpenter.k8s.aws/instance-family")?.values).to.deep.equal([
                "t3a",
                "t3",
                "m5",
                "m6a",
                "m6i",
                "m7i",
            ]);
        });
    });

    describe("create and destroy order", () => {
        const byName = (plan: Plan, name: string): RecordedResource => plan.resources.find((r) => r.name === name)!;

        it("node classes and pools depend on the controller release (deleted before it); the release on its role's policies and the queue", () => {
            for (const plan of [dev, prod]) {
                const controller = release(plan, "karpenter");
                for (const resource of [...ofKind(plan, "EC2NodeClass"), ...ofKind(plan, "NodePool")]) {
                    expect(plan.dependsOn(resource, controller), resource.name).to.equal(true);
                }
                const nodeClass = ofKind(plan, "EC2NodeClass")[0];
                expect(plan.dependsOn(nodeClass, byName(plan, "karpenter-node-access"))).to.equal(true);
                expect(plan.dependsOn(ofKind(plan, "NodePool")[0], nodeClass)).to.equal(true);
                for (const attachment of plan
                    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.name.startsWith("karpenter-Karpenter"))) {
                    expect(plan.dependsOn(controller, attachment), attachment.name).to.equal(true);
                }
                expect(plan.dependsOn(controller, plan.get("aws:sqs/queue:Queue", "karpenter-interruption-queue"))).to.equal(true);
            }
        });

        it("dev creates the EC2 Spot service-linked role (kept on destroy) and its pools wait for it; prod, without spot, has none", () => {
            const role = dev.get("aws:iam/serviceLinkedRole:ServiceLinkedRole", "karpenter-spot-service-role");
            expect(role.inputs.awsServiceName).to.equal("spot.amazonaws.com");
            expect(role.retainOnDelete).to.equal(true);
            for (const pool of ofKind(dev, "NodePool")) {
                expect(dev.dependsOn(pool, role), pool.name).to.equal(true);
            }
            expect(prod.ofType("aws:iam/serviceLinkedRole:ServiceLinkedRole").map((r) => r.inputs.awsServiceName)).to.not.include("spot.amazonaws.com");
        });

        it("the applications wait for the pools; the platform add-ons and the controller do not wait for monitoring", () => {
            for (const plan of [dev, prod]) {
                const pool = ofKind(plan, "NodePool")[0];
                // Every pod of the applications and of database-admin waits for the pools (so it is deleted before them);
                // their namespaces, quotas and policies do not wait (they need no node).
                const pods = plan.resources.filter(
                    (r) =>
                        ["kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job"].includes(r.type) &&
                        /^(app-|database-admin)/.test(String((r.inputs.metadata as { namespace?: string }).namespace)),
                );
                expect(pods.length).to.be.greaterThan(2);
                for (const pod of pods) {
                    expect(plan.dependsOn(pod, pool), pod.name).to.equal(true);
                }
                for (const namespace of plan
                    .ofType("kubernetes:core/v1:Namespace")
                    .filter((n) => ["app-api-namespace", "app-web-namespace", "database-admin-namespace"].includes(n.name))) {
                    expect(plan.dependsOn(namespace, pool), namespace.name).to.equal(false);
                }
                const monitoring = plan.ofType(RELEASE).find((r) => r.inputs.name === "kube-prometheus-stack")!;
                expect(plan.dependsOn(release(plan, "karpenter"), monitoring)).to.equal(false);
                expect(plan.dependsOn(monitoring, release(plan, "karpenter"))).to.equal(false);
                const serviceMonitor = byName(plan, "karpenter-service-monitor");
                expect(plan.dependsOn(serviceMonitor, monitoring)).to.equal(true);
            }
        });
    });
});
