import { expect } from "chai";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { problems, resolve, type Stack, itRejects, type RejectedCase } from "./resolve";

/** A managed workload group (optional since Karpenter holds the workload capacity), for the node group rules. */
const SPOT_GROUP = {
    name: "spot",
    purpose: "workload",
    instanceTypes: ["m6i.large", "m6a.large", "m5.large", "m7i.large"],
    capacityType: "SPOT",
    minSize: 1,
    desiredSize: 2,
    maxSize: 4,
    diskSizeGiB: 50,
    labels: { "platform/workload-class": "general" },
};

/** The node groups of a stack file plus {@link SPOT_GROUP}, the one named `name` changed by `change`. */
function groupsWith(stack: Stack, name: string, change: Record<string, unknown>): Record<string, unknown>[] {
    const groups = [...(readStackFile(stackFilePath(stack))["platform:eks.nodeGroups"] as Record<string, unknown>[]), SPOT_GROUP];
    return groups.map((g) => (g.name === name ? { ...g, ...change } : g));
}

const NODE_GROUPS = "platform:eks.nodeGroups";
const EXPECTED_VERSIONS = "expected one of: 1.35, 1.36";
const AUTOSCALING_ROLE_DESCRIPTION =
    'Whether the account already has the EC2 Auto Scaling service-linked role AWSServiceRoleForAutoScaling, which the cluster key\'s policy names (it launches the nodes and encrypts their volumes) and which KMS requires to exist before the key: "exists" if `aws iam get-role --role-name AWSServiceRoleForAutoScaling` finds it (any Auto Scaling group, EKS node group or earlier stack of the account made it), "create" if that answers NoSuchEntity (the program then creates it before the key and keeps it on destroy, as other stacks of the account use it). Exactly one stack per account says "create".';

describe("EKS configuration", () => {
    describe("the checked-in stacks", () => {
        it("dev: Kubernetes 1.36, a public endpoint for the office range only, no deletion protection, spot system nodes and spot workloads on Karpenter", () => {
            const config = resolve("dev");
            const eks = config.eks;
            expect(eks.version).to.equal("1.36");
            expect(eks.publicAccessCidrs).to.deep.equal(["203.0.113.0/24"]);
            expect(eks.deletionProtection).to.equal(false);
            expect(eks.nodeGroups.map((g) => [g.name, g.purpose, g.capacityType])).to.deep.equal([["system", "system", "SPOT"]]);
            expect(config.karpenter.nodePools.map((p) => [p.name, p.capacityTypes])).to.deep.equal([["general", ["spot"]]]);
        });

        it("prod: private endpoint only, deletion protection, on-demand system nodes in every zone", () => {
            const eks = resolve("prod").eks;
            expect(eks.publicAccessCidrs).to.deep.equal([]);
            expect(eks.privateAccessCidrs).to.deep.equal(["10.100.0.0/16"]);
            expect(eks.deletionProtection).to.equal(true);
            const system = eks.nodeGroups.find((g) => g.purpose === "system")!;
            expect(system).to.include({ capacityType: "ON_DEMAND", minSize: 3 });
        });

        it("a node group's omitted fields get their defaults", () => {
            const groups = [
                { name: "system", purpose: "system", instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 2 },
                { name: "apps", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 1, maxSize: 1 },
            ];
            expect(resolve("prod", { [NODE_GROUPS]: groups }).eks.nodeGroups[1]).to.deep.equal({
                name: "apps",
                purpose: "workload",
                instanceTypes: ["m6i.large"],
                capacityType: "ON_DEMAND",
                minSize: 1,
                desiredSize: 1,
                maxSize: 1,
                diskSizeGiB: 50,
                labels: {},
                taints: [],
            });
        });

        it("without any eks key a stack gets 1.36, a private endpoint, deletion protection and the default groups", () => {
            const eksKeys = Object.keys(readStackFile(stackFilePath("prod"))).filter((k) => k.startsWith("platform:eks."));
            const unset = Object.fromEntries(eksKeys.map((k) => [k, undefined]));
            const eks = resolve("prod", {
                ...unset,
                "platform:eks.adminPrincipalArns": ["arn:aws:iam::123456789012:role/deployer"],
                "platform:eks.privateAccessCidrs": ["10.100.0.0/16"],
                // Required: only the stack knows whether its account has the Auto Scaling service-linked role.
                "platform:eks.autoscalingServiceLinkedRole": "exists",
            }).eks;
            expect(eks).to.include({ version: "1.36", deletionProtection: true, bootstrapCreatorAdmin: false });
            expect(eks.publicAccessCidrs).to.deep.equal([]);
            expect(eks.nodeGroups.map((g) => `${g.name}:${g.purpose}:${g.capacityType}`)).to.deep.equal(["system:system:ON_DEMAND"]);
        });
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const spot = (change: Record<string, unknown>) => groupsWith("dev", "spot", change);
        /** A problem of eks.nodeGroups at `path` ([index].field); the value itself is not repeated. */
        const nodeGroupProblem = (path: string, problem: string) => `${NODE_GROUPS}${path}: ${problem}`;
        const cases: RejectedCase[] = [
            [
                "an unsupported Kubernetes version",
                { "platform:eks.version": "1.29" },
                `platform:eks.version: "1.29" is not a supported Kubernetes version; ${EXPECTED_VERSIONS}`,
            ],
            [
                "1.34, which leaves standard support in ten days",
                { "platform:eks.version": "1.34" },
                `platform:eks.version: "1.34" is not supported: it leaves EKS standard support on 2026-12-02; ${EXPECTED_VERSIONS}`,
            ],
            [
                "a public endpoint open to the world (dev too)",
                { "platform:eks.publicAccessCidrs": ["0.0.0.0/0"] },
                'platform:eks.publicAccessCidrs: ["0.0.0.0/0"] has the item "0.0.0.0/0", which opens the API endpoint to the whole internet; expected the specific public CIDRs that may reach it (VPN or office egress), or an empty list for a private-only endpoint',
            ],
            [
                "a private range on the public endpoint",
                { "platform:eks.publicAccessCidrs": ["10.100.0.0/16"] },
                'platform:eks.publicAccessCidrs: ["10.100.0.0/16"] has the item "10.100.0.0/16", which is a private range and never reaches the public endpoint; expected a public CIDR (private networks go in platform:eks.privateAccessCidrs)',
            ],
            [
                "a public range on the private endpoint",
                { "platform:eks.privateAccessCidrs": ["203.0.113.0/24"] },
                'platform:eks.privateAccessCidrs: ["203.0.113.0/24"] has the item "203.0.113.0/24", which is not a private range; expected a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10',
            ],
            [
                "a node group with minSize greater than maxSize",
                { [NODE_GROUPS]: spot({ minSize: 3, desiredSize: 3, maxSize: 2 }) },
                nodeGroupProblem("[1].minSize", 'has the node group "spot" with minSize 3 greater than maxSize 2; expected minSize <= desiredSize <= maxSize'),
            ],
            [
                "a node group whose desiredSize is outside its bounds",
                { [NODE_GROUPS]: spot({ desiredSize: 9 }) },
                nodeGroupProblem(
                    "[1].desiredSize",
                    'has the node group "spot" with desiredSize 9 outside minSize 1 to maxSize 4; expected minSize <= desiredSize <= maxSize',
                ),
            ],
            [
                "an unknown capacity type",
                { [NODE_GROUPS]: spot({ capacityType: "RESERVED" }) },
                nodeGroupProblem("[1].capacityType", 'has the node group "spot" with capacityType "RESERVED"; expected one of: ON_DEMAND, SPOT'),
            ],
            [
                "a misspelt node group field, suggesting the right one",
                { [NODE_GROUPS]: spot({ instanceType: "m6i.large" }) },
                nodeGroupProblem("[1].instanceType", 'has the node group "spot" with the unknown field "instanceType"; did you mean "instanceTypes"?'),
            ],
            [
                "an unknown node group field, listing the known ones",
                { [NODE_GROUPS]: spot({ diskSize: 50 }) },
                nodeGroupProblem(
                    "[1].diskSize",
                    'has the node group "spot" with the unknown field "diskSize"; expected fields: name, purpose, instanceTypes, capacityType, minSize, desiredSize, maxSize, diskSizeGiB, labels, taints',
                ),
            ],
            [
                "an Arm instance type on the x86_64 AMI",
                { [NODE_GROUPS]: spot({ instanceTypes: ["m6i.large", "m7g.large"] }) },
                nodeGroupProblem(
                    "[1].instanceTypes",
                    'has the node group "spot" with the instance type "m7g.large", an Arm (Graviton) type; expected x86_64 types (the nodes run the AL2023 x86_64 AMI)',
                ),
            ],
            [
                "a label the kubelet may not set",
                { [NODE_GROUPS]: spot({ labels: { "node-role.kubernetes.io/apps": "true" } }) },
                nodeGroupProblem(
                    "[1].labels",
                    'has the node group "spot" with the label "node-role.kubernetes.io/apps": "true", which uses a prefix the kubelet may not set; expected a key outside kubernetes.io and k8s.io',
                ),
            ],
            [
                "a taint with a Kubernetes-style effect",
                { [NODE_GROUPS]: spot({ taints: [{ key: "batch", effect: "NoSchedule" }] }) },
                nodeGroupProblem(
                    "[1].taints",
                    'has the node group "spot" with the taint {"key":"batch","effect":"NoSchedule"}; expected a map with a label-style key, an optional value and an effect of NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE',
                ),
            ],
            [
                "two node groups with one name",
                { [NODE_GROUPS]: spot({ name: "system", purpose: "workload" }) },
                nodeGroupProblem("", 'has two node groups named "system"; expected distinct names'),
            ],
            [
                "no system group",
                { [NODE_GROUPS]: groupsWith("dev", "system", { purpose: "workload", taints: [] }) },
                nodeGroupProblem("", 'has no node group with purpose "system"; expected exactly one, for the platform add-ons'),
            ],
            [
                "two system groups",
                { [NODE_GROUPS]: spot({ purpose: "system" }) },
                nodeGroupProblem("", 'has 2 node groups ("system", "spot") with purpose "system"; expected exactly one, for the platform add-ons'),
            ],
            [
                "no workload group and no node pool",
                { [NODE_GROUPS]: groupsWith("dev", "spot", {}).slice(0, 1), "platform:karpenter.nodePools": [] },
                'platform:karpenter.nodePools: [] leaves applications without nodes, as platform:eks.nodeGroups has no group with purpose "workload"; expected at least one node pool (or a workload node group)',
            ],
            [
                "a system group other add-ons could not tolerate",
                { [NODE_GROUPS]: groupsWith("dev", "system", { taints: [{ key: "dedicated", value: "system", effect: "NO_SCHEDULE" }] }) },
                nodeGroupProblem(
                    "",
                    'has the system group "system" with the taint "dedicated"; expected no taint other than CriticalAddonsOnly, which the platform add-ons tolerate',
                ),
            ],
            [
                "an assumed-role session instead of a role",
                { "platform:eks.adminPrincipalArns": ["arn:aws:sts::123456789012:assumed-role/admins/alice"] },
                'platform:eks.adminPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/admins/alice"] has the item "arn:aws:sts::123456789012:assumed-role/admins/alice", which is not an IAM role or user ARN; expected "arn:aws:iam::<account>:role/<name>" (for a session, the ARN of the role it assumed)',
            ],
            [
                "a stack that does not say whether the account has the Auto Scaling service-linked role",
                { "platform:eks.autoscalingServiceLinkedRole": undefined },
                `platform:eks.autoscalingServiceLinkedRole: is required and not set; expected "create" | "exists" (${AUTOSCALING_ROLE_DESCRIPTION})`,
            ],
            [
                "another answer than create or exists for the service-linked role",
                { "platform:eks.autoscalingServiceLinkedRole": "yes" },
                'platform:eks.autoscalingServiceLinkedRole: "yes" is not allowed; expected one of: create, exists',
            ],
        ];
        itRejects(cases);

        it("rejects a cluster nobody can administer", () => {
            expect(problems("dev", { "platform:eks.adminPrincipalArns": [] })).to.deep.equal([
                "platform:eks.adminPrincipalArns: [] leaves the cluster without an administrator (platform:eks.bootstrapCreatorAdmin is false); expected the ARN of the role pulumi runs as, which creates this program's Kubernetes resources, and those of your administrators",
            ]);
            expect(resolve("dev", { "platform:eks.adminPrincipalArns": [], "platform:eks.bootstrapCreatorAdmin": true }).eks.bootstrapCreatorAdmin).to.equal(
                true,
            );
        });

        it("rejects an API that neither endpoint lets pulumi reach", () => {
            expect(problems("prod", { "platform:eks.privateAccessCidrs": [] })).to.deep.equal([
                "platform:eks.privateAccessCidrs: [] leaves the API unreachable from outside the cluster, as the public endpoint is off (platform:eks.publicAccessCidrs is empty); expected the private networks pulumi and operators connect from (VPN, CI runners)",
            ]);
        });

        it("rejects a principal that is both admin and viewer", () => {
            const arn = "arn:aws:iam::123456789012:role/platform-admins";
            expect(problems("dev", { "platform:eks.viewerPrincipalArns": [arn] })).to.deep.equal([
                `platform:eks.viewerPrincipalArns: "${arn}" is also in platform:eks.adminPrincipalArns; expected each principal in one list (a principal has a single access entry)`,
            ]);
        });
    });

    describe("prod rules", () => {
        it("prod refuses a world-open public endpoint", () => {
            expect(problems("prod", { "platform:eks.publicAccessCidrs": ["0.0.0.0/0"] })[0]).to.equal(
                'platform:eks.publicAccessCidrs: ["0.0.0.0/0"] has the item "0.0.0.0/0", which opens the API endpoint to the whole internet; expected the specific public CIDRs that may reach it (VPN or office egress), or an empty list for a private-only endpoint',
            );
        });

        it("prod accepts a public endpoint restricted to given CIDRs", () => {
            expect(resolve("prod", { "platform:eks.publicAccessCidrs": ["198.51.100.0/24"] }).eks.publicAccessCidrs).to.deep.equal(["198.51.100.0/24"]);
        });

        it("prod needs deletion protection and an on-demand system group of two nodes or more, all reported together", () => {
            expect(
                problems("prod", {
                    "platform:eks.deletionProtection": false,
                    [NODE_GROUPS]: groupsWith("prod", "system", { capacityType: "SPOT", minSize: 1, desiredSize: 1 }),
                }),
            ).to.deep.equal([
                "platform:eks.deletionProtection: false is not allowed in prod; expected true (the cluster must not be deletable by accident)",
                'platform:eks.nodeGroups: the system group "system" has capacityType "SPOT", which is not allowed in prod; expected "ON_DEMAND" (a spot reclaim would take the platform add-ons down)',
                'platform:eks.nodeGroups: the system group "system" has minSize 1, which is too small for prod; expected at least 2 (the platform add-ons run two replicas on different nodes)',
            ]);
        });

        it("dev may run a spot system group of one node without deletion protection", () => {
            const eks = resolve("dev", { [NODE_GROUPS]: groupsWith("dev", "system", { capacityType: "SPOT", minSize: 1, desiredSize: 1 }) }).eks;
            expect(eks.nodeGroups[0]).to.include({ capacityType: "SPOT", minSize: 1 });
        });
    });
});
