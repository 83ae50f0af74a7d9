import { expect } from "chai";
import { protectCluster } from "../../../policies/rules/eks/protectCluster";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { eksCluster, launchTemplate, nodeGroup } from "../fixtures";

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const run = (type: string, props: unknown) => messages(protectCluster, [resource(type, "r", props as Record<string, unknown>)]);

describe("policy platform-eks-cluster-baseline (EKS-02, EKS-03, EKS-04 audit, EKS-08, EKS-11)", () => {
    it("passes a private, encrypted, audited cluster, nodes without SSH and without public IPs", async () => {
        expect(await run(CLUSTER, eksCluster)).to.deep.equal([]);
        expect(await run(NODE_GROUP, nodeGroup)).to.deep.equal([]);
        expect(await run(TEMPLATE, launchTemplate)).to.deep.equal([]);
    });
    it("passes a public endpoint restricted to listed CIDRs (dev)", async () => {
        const restricted = withValue(withValue(eksCluster, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", ["203.0.113.0/24"]);
        expect(await run(CLUSTER, restricted)).to.deep.equal([]);
    });
    it("fails a public endpoint open to the internet: CIDRs omitted (AWS opens 0.0.0.0/0), or listing 0.0.0.0/0", async () => {
        expect(await run(CLUSTER, withValue(eksCluster, "vpcConfig.endpointPublicAccess", REMOVE))).to.deep.equal([
            'aws:eks/cluster:Cluster "r" has a public API endpoint open to the whole internet (vpcConfig.publicAccessCidrs is unset, which means 0.0.0.0/0). Set vpcConfig.endpointPublicAccess: false, or list the CIDRs that may reach it in publicAccessCidrs.',
        ]);
        const open = withValue(withValue(eksCluster, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", ["0.0.0.0/0", "::/0"]);
        expect(await run(CLUSTER, open)).to.deep.equal([
            'aws:eks/cluster:Cluster "r" opens its public API endpoint to 0.0.0.0/0 and ::/0. List only the CIDRs that need the API (VPN, CI) in vpcConfig.publicAccessCidrs.',
        ]);
    });
    it("fails a cluster that does not envelope-encrypt Secrets (omitted, other resources, no key)", async () => {
        const message =
            'aws:eks/cluster:Cluster "r" does not envelope-encrypt Kubernetes Secrets. Set encryptionConfig: { resources: ["secrets"], provider: { keyArn: <the stack\'s cluster key ARN> } }.';
        expect(await run(CLUSTER, withValue(eksCluster, "encryptionConfig", REMOVE))).to.deep.equal([message]);
        expect(await run(CLUSTER, withValue(eksCluster, "encryptionConfig.resources", ["configmaps"]))).to.deep.equal([message]);
        expect(await run(CLUSTER, withValue(eksCluster, "encryptionConfig.provider", {}))).to.deep.equal([message]);
    });
    it("fails a cluster without the audit log", async () => {
        expect(await run(CLUSTER, withValue(eksCluster, "enabledClusterLogTypes", ["api"]))).to.deep.equal([
            'aws:eks/cluster:Cluster "r" does not enable the audit log. Add "audit" to enabledClusterLogTypes.',
        ]);
    });
    it("fails a node group that accepts SSH from anywhere, and passes one limited to security groups", async () => {
        expect(await run(NODE_GROUP, { ...nodeGroup, remoteAccess: { ec2SshKey: "ops" } })).to.deep.equal([
            'aws:eks/nodeGroup:NodeGroup "r" accepts SSH from anywhere (remoteAccess.ec2SshKey without sourceSecurityGroupIds). Remove remoteAccess and use SSM Session Manager, or set remoteAccess.sourceSecurityGroupIds.',
        ]);
        expect(await run(NODE_GROUP, { ...nodeGroup, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: [Unknown.instance] } })).to.deep.equal([]);
    });
    it("fails a launch template that gives nodes public IPs (boolean or the provider's string)", async () => {
        for (const value of [true, "true"]) {
            expect(await run(TEMPLATE, withValue(launchTemplate, "networkInterfaces.0.associatePublicIpAddress", value))).to.deep.equal([
                'aws:ec2/launchTemplate:LaunchTemplate "r" gives nodes a public IP address (networkInterfaces[0].associatePublicIpAddress). Set it to false: nodes live in private subnets.',
            ]);
        }
    });
    it("treats a secrets key ARN unknown during preview as set, and notes an unknown endpoint flag", async () => {
        expect(await run(CLUSTER, withValue(eksCluster, "encryptionConfig.provider.keyArn", Unknown.instance))).to.deep.equal([]);
        await expectCannotDecide(protectCluster, [resource(CLUSTER, "r", withValue(eksCluster, "vpcConfig.endpointPublicAccess", Unknown.instance))]);
    });
});
