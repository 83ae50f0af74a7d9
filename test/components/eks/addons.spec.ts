import { expect } from "chai";
import { ADDON_SPECS, NODE_BOOTSTRAP_ADDONS, NODE_DEPENDENT_ADDONS, ebsCsiKeyPolicy } from "../../../components/eks/addons";
import { CORE_ADDONS, EKS_ADDON_VERSIONS } from "../../../versions";
import { planWith, policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { attachedPolicies, inlineStatements, roleByArn } from "./helpers";

const ADDON = "aws:eks/addon:Addon";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

function addon(plan: Plan, name: string): RecordedResource {
    const found = plan.ofType(ADDON).filter((a) => a.inputs.addonName === name);
    expect(found, name).to.have.length(1);
    return found[0];
}

describe("EKS core add-ons", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("installs exactly vpc-cni, kube-proxy, CoreDNS, the EBS CSI driver and the pod identity agent", () => {
        expect(dev.ofType(ADDON).map((a) => a.inputs.addonName)).to.have.members([...CORE_ADDONS]);
        expect([...CORE_ADDONS].sort()).to.deep.equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    });

    it("pins every add-on to the build versions.ts lists for the cluster's minor", () => {
        for (const plan of [dev, prod]) {
            for (const name of CORE_ADDONS) {
                expect(addon(plan, name).inputs.addonVersion, name).to.equal(EKS_ADDON_VERSIONS["1.36"][name]);
            }
            expect(addon(plan, "kube-proxy").inputs.addonVersion).to.match(/^v1\.36\./);
        }
    });

    it("follows the pins of the minor a stack runs (1.35)", async () => {
        const older = await planWith("dev", { "platform:eks.version": "1.35" });
        for (const name of CORE_ADDONS) {
            expect(addon(older, name).inputs.addonVersion, name).to.equal(EKS_ADDON_VERSIONS["1.35"][name]);
        }
        expect(addon(older, "kube-proxy").inputs.addonVersion).to.match(/^v1\.35\./);
    });

    it("CoreDNS and the EBS CSI driver are created after every node group; the networking add-ons before any", () => {
        expect([...NODE_DEPENDENT_ADDONS].sort()).to.deep.equal(["aws-ebs-csi-driver", "coredns"]);
        expect([...NODE_BOOTSTRAP_ADDONS].sort()).to.deep.equal(["eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
        for (const plan of [dev, prod]) {
            const groups = plan.ofType(NODE_GROUP);
            for (const name of NODE_DEPENDENT_ADDONS) {
                for (const group of groups) {
                    expect(plan.dependsOn(addon(plan, name), group), `${name} after ${group.name}`).to.equal(true);
                }
            }
            for (const name of NODE_BOOTSTRAP_ADDONS) {
                for (const group of groups) {
                    expect(plan.dependsOn(addon(plan, name), group), `${name} not after ${group.name}`).to.equal(false);
                    expect(plan.dependsOn(group, addon(plan, name)), `${group.name} after ${name}`).to.equal(true);
                }
            }
        }
    });

    it("every add-on belongs to the cluster and overwrites drift from manual edits", () => {
        for (const a of dev.ofType(ADDON)) {
            expect(a.inputs).to.include({ clusterName: "platform-dev-eks", resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE" });
        }
    });

    it("the VPC CNI enforces network policies and gets its EC2 permissions from its own service-account role", () => {
        const cni = addon(prod, "vpc-cni");
        expect(JSON.parse(String(cni.inputs.configurationValues))).to.deep.equal({ enableNetworkPolicy: "true" });
        const role = roleByArn(prod, cni.inputs.serviceAccountRoleArn);
        expect(attachedPolicies(prod, role)).to.deep.equal(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
        const condition = policyOf(role.inputs.assumeRolePolicy).Statement[0].Condition as { StringEquals: Record<string, string> };
        expect(Object.entries(condition.StringEquals).find(([k]) => k.endsWith(":sub"))?.[1]).to.equal("system:serviceaccount:kube-system:aws-node");
        expect(prod.dependsOn(cni, prod.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-node-addons-vpc-cni-AmazonEKS_CNI_Policy"))).to.equal(
            true,
        );
    });

    it("the EBS CSI driver's role has the driver policy and may use the cluster key for encrypted volumes, that key only", () => {
        const ebs = addon(prod, "aws-ebs-csi-driver");
        const role = roleByArn(prod, ebs.inputs.serviceAccountRoleArn);
        const key = prod.get("aws:kms/key:Key", "keys-cluster").outputs.arn as string;
        expect(attachedPolicies(prod, role)).to.deep.equal(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
        expect(inlineStatements(prod, role)).to.deep.equal(ebsCsiKeyPolicy(key).Statement);
        for (const statement of inlineStatements(prod, role)) {
            expect(statement.Resource).to.equal(key);
        }
        expect(ebsCsiKeyPolicy(key).Statement[0].Condition).to.deep.equal({ Bool: { "kms:GrantIsForAWSResource": true } });
    });

    it("only controllers that call AWS get a role; the others run without one", () => {
        const withRole = CORE_ADDONS.filter((name) => addon(dev, name).inputs.serviceAccountRoleArn !== undefined);
        expect(withRole.sort()).to.deep.equal(["aws-ebs-csi-driver", "vpc-cni"]);
        expect(
            Object.entries(ADDON_SPECS)
                .filter(([, spec]) => spec.serviceAccount !== undefined)
                .map(([name]) => name)
                .sort(),
        ).to.deep.equal(withRole);
    });
});
