import { expect } from "chai";
import { attachSecurityGroups } from "../../../policies/rules/network/attachSecurityGroups";
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource, violations } from "../check";
import { eksCluster, launchTemplate, loadBalancer, nodeGroup, rdsInstance, replicationGroup } from "../fixtures";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** A security group `name` with id `sg-<name>`. */
const group = (name: string) => resource(SG, name, { name, description: name, arn: `arn:aws:ec2:eu-west-1:123456789012:security-group/sg-${name}` });
const db = group("db");
const nodes = group("nodes");
const unattached = (name: string) =>
    `${SG} "${name}" is attached to nothing: no instance, launch template, EKS cluster, database, cache, network interface, load balancer, VPC endpoint or other group's rule of the stack refers to it. Attach it where it is needed, or delete it.`;

/** A resource whose input `key` holds `value`, which comes from the given groups (an output, unknown during preview). */
function user(type: string, name: string, props: Record<string, unknown>, key: string, from: PolicyInput[]): PolicyInput {
    return resource(type, name, { ...props, [key]: Unknown.instance }, { propertyDependencies: { [key]: from.map((g) => g.urn) } });
}
const run = (...resources: PolicyInput[]) => messages(attachSecurityGroups, resources);

describe("policy platform-network-sg-attached (X-06, advisory)", () => {
    it("passes groups attached to a database, cache, cluster, launch template, node group, load balancer or VPC endpoint", async () => {
        const attachments: [string, Record<string, unknown>, string][] = [
            ["aws:rds/instance:Instance", rdsInstance, "vpcSecurityGroupIds"],
            ["aws:elasticache/replicationGroup:ReplicationGroup", replicationGroup, "securityGroupIds"],
            ["aws:eks/cluster:Cluster", eksCluster, "vpcConfig"],
            ["aws:ec2/launchTemplate:LaunchTemplate", launchTemplate, "vpcSecurityGroupIds"],
            ["aws:ec2/launchTemplate:LaunchTemplate", launchTemplate, "networkInterfaces"],
            ["aws:eks/nodeGroup:NodeGroup", nodeGroup, "remoteAccess"],
            ["aws:lb/loadBalancer:LoadBalancer", loadBalancer, "securityGroups"],
            ["aws:alb/loadBalancer:LoadBalancer", loadBalancer, "securityGroups"],
            ["aws:ec2/vpcEndpoint:VpcEndpoint", { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.s3" }, "securityGroupIds"],
            ["aws:ec2/networkInterface:NetworkInterface", { subnetId: "subnet-1" }, "securityGroups"],
            ["kubernetes:networking.k8s.io/v1:Ingress", {}, "metadata"],
        ];
        for (const [type, props, key] of attachments) {
            expect(await run(db, user(type, "user", props, key, [db])), `${type}.${key}`).to.deep.equal([]);
        }
    });
    it("follows references by value when no dependency tells (ids and ARNs of groups already created)", async () => {
        expect(await run(db, resource("aws:rds/instance:Instance", "pg", { ...rdsInstance, vpcSecurityGroupIds: ["db"] }))).to.deep.equal([]);
        expect(
            await run(
                db,
                resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, vpcConfig: { ...eksCluster.vpcConfig, securityGroupIds: [db.outputs.arn] } }),
            ),
        ).to.deep.equal([]);
    });
    it("fails a group nothing refers to, and says so only as advice", async () => {
        expect(await run(db)).to.deep.equal([unattached("db")]);
        const found = await violations(attachSecurityGroups, [db, nodes, user("aws:rds/instance:Instance", "pg", rdsInstance, "vpcSecurityGroupIds", [nodes])]);
        expect(found.map((v) => [v.enforcementLevel, v.urn, v.message])).to.deep.equal([["advisory", db.urn, unattached("db")]]);
        expect(attachSecurityGroups.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
    it("counts a rule of another group that admits it (every rule shape), but not the group's own rules", async () => {
        for (const [type, peer] of [
            [INGRESS, "referencedSecurityGroupId"],
            [EGRESS, "referencedSecurityGroupId"],
            [SG_RULE, "sourceSecurityGroupId"],
        ]) {
            const admitsNodes = resource(
                type,
                "db-from-nodes",
                { securityGroupId: Unknown.instance, [peer]: Unknown.instance, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                { propertyDependencies: { securityGroupId: [db.urn], [peer]: [nodes.urn] } },
            );
            // The rule belongs to db (attaching nothing) and admits nodes (which it thereby uses).
            expect(await run(db, nodes, admitsNodes), type).to.deep.equal([unattached("db")]);
            const own = resource(type, "self", { securityGroupId: "db", [peer]: "db" });
            expect(await run(db, own), `${type} referring to its own group`).to.deep.equal([unattached("db")]);
        }
        const inline = user(SG, "web", { description: "web" }, "ingress", [nodes]);
        expect(await run(nodes, inline)).to.deep.equal([unattached("web")]);
    });
    it("calls no group unattached while a reference is unknown during preview and names no resource", async () => {
        expect(await run(db, resource("aws:rds/instance:Instance", "pg", { ...rdsInstance, vpcSecurityGroupIds: Unknown.instance }))).to.deep.equal([]);
        expect(await run(db, resource("aws:rds/instance:Instance", "pg", { ...rdsInstance, vpcSecurityGroupIds: [Unknown.instance] }))).to.deep.equal([]);
        // Omitted: a database without vpcSecurityGroupIds attaches nothing.
        const { vpcSecurityGroupIds: _omitted, ...withoutGroups } = rdsInstance;
        expect(await run(db, resource("aws:rds/instance:Instance", "pg", withoutGroups))).to.deep.equal([unattached("db")]);
    });
    it("ignores the VPC's default security group (another rule requires it empty)", async () => {
        expect(await run(resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", { vpcId: "vpc-1" }))).to.deep.equal([]);
    });
});
