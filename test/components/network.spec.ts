import { expect } from "chai";
import { planStack, policyOf, type Plan, type RecordedResource } from "../harness";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

function tier(plan: Plan, name: string): RecordedResource[] {
    return plan.ofType(SUBNET).filter((s) => (s.inputs.tags as Record<string, string>).tier === name);
}

/** The route table a subnet is associated with. */
function routeTableOf(plan: Plan, subnet: RecordedResource): RecordedResource {
    const association = plan.ofType(ASSOCIATION).find((a) => a.inputs.subnetId === subnet.id);
    expect(association, `association of ${subnet.name}`).to.not.equal(undefined);
    return plan.byId(association!.inputs.routeTableId)!;
}

function routesOf(plan: Plan, routeTable: RecordedResource): RecordedResource[] {
    return plan.ofType(ROUTE).filter((r) => r.inputs.routeTableId === routeTable.id);
}

describe("network", function () {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await planStack("dev");
        prod = await planStack("prod");
    });

    it("the VPC has DNS support and hostnames and the configured CIDR", () => {
        const vpc = dev.get("aws:ec2/vpc:Vpc", "network-vpc");
        expect(vpc.inputs).to.include({ cidrBlock: "10.20.0.0/16", enableDnsSupport: true, enableDnsHostnames: true });
    });

    it("dev spans two zones with one subnet of each tier per zone", () => {
        for (const name of ["public", "private", "database"]) {
            expect(tier(dev, name).map((s) => s.inputs.availabilityZone)).to.deep.equal(["eu-west-1a", "eu-west-1b"]);
        }
    });

    it("prod spans three zones with one subnet of each tier per zone", () => {
        for (const name of ["public", "private", "database"]) {
            expect(tier(prod, name).map((s) => s.inputs.availabilityZone)).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        }
    });

    it("subnets carry the load balancer role tags and never map public IPs", () => {
        for (const s of tier(prod, "public")) {
            expect(s.inputs.tags).to.include({ "kubernetes.io/role/elb": "1" });
        }
        for (const s of tier(prod, "private")) {
            expect(s.inputs.tags).to.include({ "kubernetes.io/role/internal-elb": "1" });
        }
        for (const s of prod.ofType(SUBNET)) {
            expect(s.inputs.mapPublicIpOnLaunch, s.name).to.equal(false);
        }
    });

    it("dev shares one NAT gateway; prod has one per zone, each in its zone's public subnet", () => {
        expect(dev.ofType("aws:ec2/natGateway:NatGateway")).to.have.length(1);
        const nats = prod.ofType("aws:ec2/natGateway:NatGateway");
        expect(nats).to.have.length(3);
        const publicSubnets = tier(prod, "public");
        nats.forEach((nat, i) => expect(nat.inputs.subnetId).to.equal(publicSubnets[i].id));
    });

    it("each private subnet egresses through the NAT gateway of its own zone in prod", () => {
        const nats = prod.ofType("aws:ec2/natGateway:NatGateway");
        tier(prod, "private").forEach((subnet, i) => {
            const routes = routesOf(prod, routeTableOf(prod, subnet));
            expect(routes.map((r) => [r.inputs.destinationCidrBlock, r.inputs.natGatewayId])).to.deep.equal([["0.0.0.0/0", nats[i].id]]);
        });
    });

    it("public subnets route to the internet gateway", () => {
        const igw = dev.get("aws:ec2/internetGateway:InternetGateway", "network-igw");
        for (const subnet of tier(dev, "public")) {
            const routes = routesOf(dev, routeTableOf(dev, subnet));
            expect(routes.map((r) => r.inputs.gatewayId)).to.deep.equal([igw.id]);
        }
    });

    it("database subnets have no route out of the VPC", () => {
        for (const plan of [dev, prod]) {
            for (const subnet of tier(plan, "database")) {
                const table = routeTableOf(plan, subnet);
                expect(routesOf(plan, table), `${subnet.name}`).to.deep.equal([]);
                expect(table.inputs.routes ?? []).to.deep.equal([]);
            }
        }
    });

    it("every subnet is associated with exactly one route table", () => {
        for (const subnet of prod.ofType(SUBNET)) {
            expect(
                prod.ofType(ASSOCIATION).filter((a) => a.inputs.subnetId === subnet.id),
                subnet.name,
            ).to.have.length(1);
        }
        expect(prod.ofType(ROUTE_TABLE)).to.have.length(1 + 3 + 1);
    });

    it("the default security group is managed and has no rules", () => {
        const vpc = prod.get("aws:ec2/vpc:Vpc", "network-vpc");
        const group = prod.get("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg");
        expect(group.inputs.vpcId).to.equal(vpc.id);
        expect(group.inputs.ingress).to.deep.equal([]);
        expect(group.inputs.egress).to.deep.equal([]);
    });

    it("flow logs go to a KMS-encrypted log group with the stack's retention", () => {
        const logsKey = dev.get("aws:kms/key:Key", "keys-logs");
        const group = dev.get("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs-log-group");
        expect(group.inputs).to.include({ name: "/aws/vpc/platform-dev/flow-logs", retentionInDays: 14, kmsKeyId: logsKey.outputs.arn });
        const flowLog = dev.get("aws:ec2/flowLog:FlowLog", "network-flow-logs-flow-log");
        expect(flowLog.inputs).to.include({
            vpcId: dev.get("aws:ec2/vpc:Vpc", "network-vpc").id,
            trafficType: "REJECT",
            logDestinationType: "cloud-watch-logs",
            logDestination: group.outputs.arn,
        });
        expect(prod.get("aws:ec2/flowLog:FlowLog", "network-flow-logs-flow-log").inputs.trafficType).to.equal("ALL");
        expect(prod.get("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs-log-group").inputs.retentionInDays).to.equal(400);
    });

    it("the flow-log role is assumable only by the flow-logs service for this account and writes only its log group", () => {
        const role = dev.get("aws:iam/role:Role", "network-flow-logs-role");
        expect(policyOf(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
            {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": "123456789012" },
                    ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
                },
            },
        ]);
        const group = dev.get("aws:cloudwatch/logGroup:LogGroup", "network-flow-logs-log-group");
        const statement = policyOf(dev.get("aws:iam/rolePolicy:RolePolicy", "network-flow-logs-delivery").inputs.policy).Statement[0];
        expect(statement.Resource).to.deep.equal([group.outputs.arn, `${String(group.outputs.arn)}:*`]);
    });

    it("an S3 gateway endpoint serves the private route tables", () => {
        const s3 = prod.get(ENDPOINT, "network-endpoints-s3");
        const privateTables = tier(prod, "private").map((s) => routeTableOf(prod, s).id);
        expect(s3.inputs).to.include({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
        expect(s3.inputs.routeTableIds).to.deep.equal(privateTables);
    });

    it("interface endpoints are created only when configured, in the private subnets, reachable only from the node group", () => {
        expect(dev.ofType(ENDPOINT).map((e) => e.inputs.vpcEndpointType)).to.deep.equal(["Gateway"]);
        const interfaces = prod.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.inputs.serviceName)).to.deep.equal(["ecr.api", "ecr.dkr", "sts", "logs"].map((s) => `com.amazonaws.eu-west-1.${s}`));
        const privateIds = tier(prod, "private").map((s) => s.id);
        for (const e of interfaces) {
            expect(e.inputs.subnetIds).to.deep.equal(privateIds);
            expect(e.inputs.privateDnsEnabled).to.equal(true);
        }
        const group = prod.get("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg");
        const node = prod.get("aws:ec2/securityGroup:SecurityGroup", "eks-security-groups-node");
        expect(interfaces.every((e) => (e.inputs.securityGroupIds as unknown[]).includes(group.id))).to.equal(true);
        const ingress = prod.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([
            [node.id, undefined, 443, 443],
        ]);
    });
});
