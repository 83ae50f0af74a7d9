/**
 * The security group of a data service (PostgreSQL, Redis, the RDS Proxy): ingress on the service's one
 * port from the listed client security groups only, no CIDR anywhere, and no egress unless the service
 * itself connects to another group (the proxy to the database). Each client group gets the matching
 * egress rule to this group on that port, here where both groups are known: a client group that allows
 * only some egress (the EKS node group) could otherwise not open the connection at all.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link ServiceSecurityGroup}. */
export interface ServiceSecurityGroupArgs {
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Name tag, also in the descriptions. */
    groupName: string;
    /** What the group protects, for its description. */
    service: string;
    /** The TCP port clients connect to. */
    port: number;
    /** Security groups whose members may connect (for example the EKS node group); each gets its egress rule to this group on `port`. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Security groups this service connects to on `port` (the proxy's targets). Defaults to none: no egress at all. */
    egressSecurityGroupIds?: pulumi.Input<string>[];
}

/** A security group that admits one port from named groups only. */
export class ServiceSecurityGroup extends pulumi.ComponentResource {
    /** The group. */
    public readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: ServiceSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:ServiceSecurityGroup", name, {}, opts);
        // No inline rules: the provider then removes the allow-all egress rule AWS adds to a new group.
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `${args.service}: port ${args.port} from named security groups only`, tags: { Name: args.groupName } },
            { parent: this },
        );
        const tcp = { ipProtocol: "tcp", fromPort: args.port, toPort: args.port };
        args.clientSecurityGroupIds.forEach((client, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${args.port}-client-${i}`,
                {
                    securityGroupId: this.securityGroup.id,
                    referencedSecurityGroupId: client,
                    description: `${args.service} clients`,
                    ...tcp,
                    tags: { Name: `${args.groupName}-in-${args.port}-client-${i}` },
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-client-${i}-out-${args.port}`,
                {
                    securityGroupId: client,
                    referencedSecurityGroupId: this.securityGroup.id,
                    description: `To ${args.service} on ${args.port}`,
                    ...tcp,
                    tags: { Name: `${args.groupName}-client-${i}-out-${args.port}` },
                },
                { parent: this },
            );
        });
        (args.egressSecurityGroupIds ?? []).forEach((target, i) => {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-out-${args.port}-target-${i}`,
                {
                    securityGroupId: this.securityGroup.id,
                    referencedSecurityGroupId: target,
                    description: `${args.service} to its targets`,
                    ...tcp,
                    tags: { Name: `${args.groupName}-out-${args.port}-target-${i}` },
                },
                { parent: this },
            );
        });
        this.registerOutputs({ securityGroupId: this.securityGroup.id });
    }
}
