/**
 * VPC endpoints: an S3 gateway endpoint on the private route tables (free; image layers from ECR are
 * served from S3) and optional interface endpoints that keep AWS API traffic off the NAT gateways.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InterfaceEndpointService } from "../config/keys/network";

/** Arguments of {@link VpcEndpoints}. */
export interface VpcEndpointsArgs {
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** VPC CIDR: the only source allowed to reach the interface endpoints. */
    vpcCidr: string;
    /** Region, for service names (`com.amazonaws.<region>.<service>`). */
    region: string;
    /** Route tables that get the S3 gateway route (the private ones). */
    privateRouteTableIds: pulumi.Input<string>[];
    /** Subnets of the interface endpoints' network interfaces (the private ones). */
    privateSubnetIds: pulumi.Input<string>[];
    /** Interface endpoints to create; none when empty. */
    interfaceServices: readonly InterfaceEndpointService[];
    /** Prefix for Name tags. */
    namePrefix: string;
}

/** The VPC's endpoints. */
export class VpcEndpoints extends pulumi.ComponentResource {
    constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:VpcEndpoints", name, {}, opts);
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: args.privateRouteTableIds,
                tags: { Name: `${args.namePrefix}-s3` },
            },
            { parent: this },
        );
        if (args.interfaceServices.length > 0) {
            const securityGroup = new aws.ec2.SecurityGroup(
                `${name}-sg`,
                {
                    vpcId: args.vpcId,
                    description: "HTTPS from inside the VPC to the interface endpoints",
                    tags: { Name: `${args.namePrefix}-vpc-endpoints` },
                },
                { parent: this },
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-sg-https-from-vpc`,
                {
                    securityGroupId: securityGroup.id,
                    description: "HTTPS from the VPC",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: args.vpcCidr,
                },
                { parent: this },
            );
            for (const service of args.interfaceServices) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(".", "-")}`,
                    {
                        vpcId: args.vpcId,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: args.privateSubnetIds,
                        securityGroupIds: [securityGroup.id],
                        tags: { Name: `${args.namePrefix}-${service}` },
                    },
                    { parent: this },
                );
            }
        }
        this.registerOutputs({});
    }
}
