/**
 * VPC endpoints: an S3 gateway endpoint on the private route tables (free; image layers from ECR are
 * served from S3) and optional interface endpoints that keep AWS API traffic off the NAT gateways.
 * The interface endpoints' security group admits its clients only: the EKS node group adds its rule
 * (EksSecurityGroups), since the nodes are created after the network.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InterfaceEndpointService } from "../config/keys/network";
import { tcp, type NetworkFlow } from "./flows";
import { interfaceEndpointServiceName, s3GatewayServiceName } from "./partitions";

/**
 * The flows the interface endpoints serve: nodes and pods call ECR, STS and CloudWatch Logs through them
 * (private DNS resolves the service names to the endpoints' addresses). None without interface endpoints.
 */
export function vpcEndpointFlows(interfaceServices: readonly InterfaceEndpointService[]): NetworkFlow[] {
    const why = `${interfaceServices.join(", ")} API calls of kubelets and pods stay inside the VPC`;
    return interfaceServices.length === 0 ? [] : [tcp("nodes-to-interface-endpoints", "VpcEndpoints", { group: "node" }, { group: "endpoints" }, 443, why)];
}

/** Arguments of {@link VpcEndpoints}. */
export interface VpcEndpointsArgs {
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Region, for service names (`com.amazonaws.<region>.<service>`, `cn.com.amazonaws.` for some in China). */
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
    /** The interface endpoints' security group (no rules of its own: its clients add theirs); none without interface endpoints. */
    public readonly securityGroup?: aws.ec2.SecurityGroup;

    constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:VpcEndpoints", name, {}, opts);
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: args.vpcId,
                serviceName: s3GatewayServiceName(args.region),
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
                    // Kept as it was when the group admitted the whole VPC: a new description replaces the group.
                    description: "HTTPS from inside the VPC to the interface endpoints",
                    tags: { Name: `${args.namePrefix}-vpc-endpoints` },
                },
                { parent: this },
            );
            this.securityGroup = securityGroup;
            for (const service of args.interfaceServices) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(".", "-")}`,
                    {
                        vpcId: args.vpcId,
                        serviceName: interfaceEndpointServiceName(service, args.region),
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
        this.registerOutputs({ securityGroupId: this.securityGroup?.id });
    }
}
