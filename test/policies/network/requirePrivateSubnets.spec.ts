import { expect } from "chai";
import { requirePrivateSubnets } from "../../../policies/rules/network/requirePrivateSubnets";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { nodeGroup, rdsInstance } from "../fixtures";

const subnet = (name: string, props: Record<string, unknown> = {}) =>
    resource("aws:ec2/subnet:Subnet", name, { mapPublicIpOnLaunch: false, tags: { tier: "private" }, ...props });
const deps = (key: string, ...subnets: { urn: string }[]) => ({ propertyDependencies: { [key]: subnets.map((s) => s.urn) } });
const privateA = subnet("private-a");
const privateB = subnet("private-b");
const igw = resource("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: "vpc-1" });
const table = resource("aws:ec2/routeTable:RouteTable", "public-rt", { vpcId: "vpc-1" });
const route = resource(
    "aws:ec2/route:Route",
    "default",
    { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
    { propertyDependencies: { routeTableId: [table.urn], gatewayId: [igw.urn] } },
);
const routed = subnet("routed");
const association = resource(
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "assoc",
    { subnetId: "s", routeTableId: "rtb-1" },
    { propertyDependencies: { subnetId: [routed.urn], routeTableId: [table.urn] } },
);

const consumers = (...subnets: { urn: string }[]) => [
    resource("aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: subnets.map(() => Unknown.instance) }, deps("subnetIds", ...subnets)),
    resource("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets", { subnetIds: subnets.map(() => Unknown.instance) }, deps("subnetIds", ...subnets)),
    resource("aws:eks/nodeGroup:NodeGroup", "nodes", { ...nodeGroup, subnetIds: subnets.map(() => Unknown.instance) }, deps("subnetIds", ...subnets)),
];

describe("policy platform-network-private-placement (X-05)", () => {
    it("passes subnet groups and node groups in private subnets (joined by property dependencies)", async () => {
        expect(
            await messages(requirePrivateSubnets, [privateA, privateB, igw, table, route, routed, association, ...consumers(privateA, privateB)]),
        ).to.deep.equal([]);
    });
    it("fails a subnet tagged public, one that maps public IPs, and one routed to an internet gateway", async () => {
        const tagged = subnet("tagged", { tags: { "kubernetes.io/role/elb": "1" } });
        const mapping = subnet("mapping", { mapPublicIpOnLaunch: true });
        const found = await messages(requirePrivateSubnets, [
            tagged,
            mapping,
            igw,
            table,
            route,
            routed,
            association,
            resource("aws:eks/nodeGroup:NodeGroup", "nodes", nodeGroup, deps("subnetIds", tagged, mapping, routed)),
        ]);
        expect(found).to.deep.equal([
            'aws:eks/nodeGroup:NodeGroup "nodes" places its nodes in aws:ec2/subnet:Subnet "tagged", which is tagged as a public subnet. List only private subnets in subnetIds.',
            'aws:eks/nodeGroup:NodeGroup "nodes" places its nodes in aws:ec2/subnet:Subnet "mapping", which gives instances public IPs (mapPublicIpOnLaunch). List only private subnets in subnetIds.',
            'aws:eks/nodeGroup:NodeGroup "nodes" places its nodes in aws:ec2/subnet:Subnet "routed", which routes to an internet gateway. List only private subnets in subnetIds.',
        ]);
    });
    it("recognises inline routes of a route table, and subnets referred to by id", async () => {
        const inlineTable = resource("aws:ec2/routeTable:RouteTable", "inline-rt", { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-123" }] });
        const byId = subnet("by-id", { id: "subnet-abc" });
        const assoc = resource(
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "a",
            { subnetId: "subnet-abc" },
            { propertyDependencies: { routeTableId: [inlineTable.urn] } },
        );
        const group = resource("aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: ["subnet-abc"] });
        expect(await messages(requirePrivateSubnets, [inlineTable, byId, assoc, group])).to.deep.equal([
            'aws:rds/subnetGroup:SubnetGroup "db-subnets" places its database instances in aws:ec2/subnet:Subnet "by-id", which routes to an internet gateway. List only private subnets in subnetIds.',
        ]);
    });
    it("fails a database instance without a subnet group, except a read replica", async () => {
        const { dbSubnetGroupName: _omitted, ...noGroup } = rdsInstance;
        expect(await messages(requirePrivateSubnets, [resource("aws:rds/instance:Instance", "db", noGroup)])).to.deep.equal([
            "aws:rds/instance:Instance \"db\" has no DB subnet group, so it is placed in the default VPC's subnets. Set dbSubnetGroupName to a subnet group of the platform's database subnets.",
        ]);
        expect(
            await messages(requirePrivateSubnets, [resource("aws:rds/instance:Instance", "replica", { ...noGroup, replicateSourceDb: "db" })]),
        ).to.deep.equal([]);
        expect(
            await messages(requirePrivateSubnets, [resource("aws:rds/instance:Instance", "db", { ...noGroup, dbSubnetGroupName: Unknown.instance })]),
        ).to.deep.equal([]);
    });
    it("does not judge subnets it cannot find (ids of other stacks, unknown ids without dependencies)", async () => {
        expect(
            await messages(requirePrivateSubnets, [
                resource("aws:eks/nodeGroup:NodeGroup", "nodes", { ...nodeGroup, subnetIds: ["subnet-elsewhere", Unknown.instance] }),
            ]),
        ).to.deep.equal([]);
    });
});
