/**
 * The VPC: three subnet tiers per availability zone, internet and NAT gateways, route tables, a default
 * security group stripped of all rules, flow logs and endpoints.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config";
import { VpcFlowLogs } from "./flowLogs";
import type { AccountContext } from "./policyDocument";
import { VpcEndpoints } from "./vpcEndpoints";
import { KARPENTER_DISCOVERY_TAG } from "./karpenter/nodeClasses";

/** Arguments of {@link Network}. */
export interface NetworkArgs extends NetworkConfig {
    /** Region of the VPC. */
    region: string;
    /** Prefix of Name tags and log group names. */
    namePrefix: string;
    /** Retention of the flow log group, in days. */
    logRetentionDays: number;
    /** KMS key that encrypts the flow log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Account context for the flow-log role's trust policy. */
    account: pulumi.Input<AccountContext>;
    /** Name of the cluster whose nodes the private subnets hold: Karpenter finds them by its discovery tag. */
    clusterName: string;
}

/** The subnet tiers. */
export type SubnetTier = "public" | "private" | "database";

/** Tags each tier carries; the AWS Load Balancer Controller picks subnets by the role tags. */
export const TIER_TAGS: Record<SubnetTier, Record<string, string>> = {
    public: { tier: "public", "kubernetes.io/role/elb": "1" },
    private: { tier: "private", "kubernetes.io/role/internal-elb": "1" },
    database: { tier: "database" },
};

/** The platform's VPC. */
export class Network extends pulumi.ComponentResource {
    /** The VPC. */
    public readonly vpc: aws.ec2.Vpc;
    /** Public subnets, one per AZ (load balancers, NAT gateways). */
    public readonly publicSubnets: aws.ec2.Subnet[];
    /** Private subnets, one per AZ (nodes and pods). */
    public readonly privateSubnets: aws.ec2.Subnet[];
    /** Database subnets, one per AZ, with no route to the internet. */
    public readonly databaseSubnets: aws.ec2.Subnet[];
    /** The route table of each private subnet. */
    public readonly privateRouteTables: aws.ec2.RouteTable[];
    /** The flow log group. */
    public readonly flowLogGroup: aws.cloudwatch.LogGroup;
    /** Security group of the interface endpoints (clients add their ingress rules); none without interface endpoints. */
    public readonly endpointSecurityGroup?: aws.ec2.SecurityGroup;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        const child = { parent: this };
        const tag = (suffix: string, extra: Record<string, string> = {}) => ({ Name: `${args.namePrefix}-${suffix}`, ...extra });

        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.cidr, enableDnsSupport: true, enableDnsHostnames: true, instanceTenancy: "default", tags: tag("vpc") },
            child,
        );
        const vpcId = this.vpc.id;

        // Take over the default security group and leave it with no rules: anything that lands in it by
        // accident can neither receive nor send traffic.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId, ingress: [], egress: [], tags: tag("default-deny-all") }, child);

        const subnets = (tier: SubnetTier) =>
            args.availabilityZones.map(
                (az, i) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-${az}`,
                        {
                            vpcId,
                            availabilityZone: az,
                            cidrBlock: args.subnets[tier][i],
                            // Nothing launched here needs a public address: ALBs and NAT gateways bring their own.
                            mapPublicIpOnLaunch: false,
                            // Karpenter launches nodes in exactly the subnets with the discovery tag: the private ones.
                            tags: tag(
                                `${tier}-${az}`,
                                tier === "private" ? { ...TIER_TAGS[tier], [KARPENTER_DISCOVERY_TAG]: args.clusterName } : TIER_TAGS[tier],
                            ),
                        },
                        child,
                    ),
            );
        this.publicSubnets = subnets("public");
        this.privateSubnets = subnets("private");
        this.databaseSubnets = subnets("database");

        const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId, tags: tag("igw") }, child);
        const publicRouteTable = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId, tags: tag("public") }, child);
        new aws.ec2.Route(
            `${name}-public-default-route`,
            { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id },
            child,
        );
        this.publicSubnets.forEach(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${args.availabilityZones[i]}`,
                    { subnetId: subnet.id, routeTableId: publicRouteTable.id },
                    child,
                ),
        );

        const natZones = args.natGateways === "perAz" ? args.availabilityZones : args.availabilityZones.slice(0, 1);
        const natGateways = natZones.map((az, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${az}`, { domain: "vpc", tags: tag(`nat-${az}`) }, child);
            return new aws.ec2.NatGateway(
                `${name}-nat-${az}`,
                { allocationId: eip.id, subnetId: this.publicSubnets[i].id, connectivityType: "public", tags: tag(`nat-${az}`) },
                { parent: this, dependsOn: [internetGateway] },
            );
        });

        // One route table per private subnet, so each AZ egresses through its own NAT gateway when there
        // is one per AZ (an AZ outage then takes down only that AZ's egress).
        this.privateRouteTables = args.availabilityZones.map((az, i) => {
            const routeTable = new aws.ec2.RouteTable(`${name}-private-rt-${az}`, { vpcId, tags: tag(`private-${az}`) }, child);
            new aws.ec2.Route(
                `${name}-private-default-route-${az}`,
                { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id },
                child,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${az}`, { subnetId: this.privateSubnets[i].id, routeTableId: routeTable.id }, child);
            return routeTable;
        });

        // The database tier's route table has only the implicit local route: no way out of the VPC.
        const databaseRouteTable = new aws.ec2.RouteTable(`${name}-database-rt`, { vpcId, tags: tag("database") }, child);
        this.databaseSubnets.forEach(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-database-${args.availabilityZones[i]}`,
                    { subnetId: subnet.id, routeTableId: databaseRouteTable.id },
                    child,
                ),
        );

        const flowLogs = new VpcFlowLogs(
            `${name}-flow-logs`,
            {
                vpcId,
                logGroupName: `/aws/vpc/${args.namePrefix}/flow-logs`,
                retentionDays: args.logRetentionDays,
                kmsKeyArn: args.logsKeyArn,
                trafficType: args.flowLogTrafficType,
                account: args.account,
            },
            child,
        );
        this.flowLogGroup = flowLogs.logGroup;

        this.endpointSecurityGroup = new VpcEndpoints(
            `${name}-endpoints`,
            {
                vpcId,
                region: args.region,
                privateRouteTableIds: this.privateRouteTables.map((rt) => rt.id),
                privateSubnetIds: this.privateSubnets.map((s) => s.id),
                interfaceServices: args.interfaceEndpoints,
                namePrefix: args.namePrefix,
            },
            child,
        ).securityGroup;

        this.registerOutputs({
            vpcId,
            publicSubnetIds: this.publicSubnets.map((s) => s.id),
            privateSubnetIds: this.privateSubnets.map((s) => s.id),
            databaseSubnetIds: this.databaseSubnets.map((s) => s.id),
        });
    }
}
