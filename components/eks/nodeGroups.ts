/**
 * Managed node groups: one node IAM role, and per group a launch template (IMDSv2 with hop limit 1, an
 * encrypted gp3 root volume, no SSH key, no public address, the node security group) and an EKS managed
 * node group spread over the private subnets of every AZ.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, type NodeGroupConfig } from "../../config/keys/nodeGroups";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { servicePrincipal } from "../partitions";

/**
 * What the node role gets: joining the cluster and pulling images. The VPC CNI's EC2 permissions are
 * not here: the CNI gets them through its own service-account role, so pods cannot borrow them.
 */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"] as const;

/** The EKS-optimized AMI family of every node (the root volume below is its device). */
export const NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";
/** Root device of the AL2023 EKS AMIs. */
const ROOT_DEVICE = "/dev/xvda";

const defaults = {
    /** One node at a time is replaced on updates, so capacity never drops by more than a node. */
    maxUnavailable: 1,
};

/** Trust policy of the node role: only EC2 instances (of the stack's partition) assume it. */
export function nodeTrustPolicy(partition: string): PolicyDocument {
    return policyDocument({ Effect: "Allow", Principal: { Service: servicePrincipal("ec2", partition) }, Action: "sts:AssumeRole" });
}

/** What {@link nodeLaunchTemplateArgs} needs besides the group. */
export interface LaunchTemplateContext {
    /** Prefix of the template's name and the instances' Name tag. */
    readonly namePrefix: string;
    /** The node security group. */
    readonly securityGroupId: pulumi.Input<string>;
    /** KMS key of the root volumes. */
    readonly volumeKeyArn: pulumi.Input<string>;
    /** Tags of the instances, volumes and network interfaces (provider default tags do not reach them). */
    readonly tags: Readonly<Record<string, string>>;
}

/** The launch template of one node group. */
export function nodeLaunchTemplateArgs(group: NodeGroupConfig, ctx: LaunchTemplateContext): aws.ec2.LaunchTemplateArgs {
    const tags = { ...ctx.tags, Name: `${ctx.namePrefix}-${group.name}` };
    return {
        // A prefix, not a name: a replacement template is created before the old one is deleted.
        namePrefix: `${ctx.namePrefix}-${group.name}-`,
        description: `Nodes of the ${group.name} group of ${ctx.namePrefix}`,
        updateDefaultVersion: true,
        // Hop limit 1: pods (one hop further than the node) cannot reach the instance metadata and the
        // node role's credentials; they use their own service-account roles.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [
            {
                deviceName: ROOT_DEVICE,
                ebs: { volumeSize: group.diskSizeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: ctx.volumeKeyArn, deleteOnTermination: "true" },
            },
        ],
        // One interface, never with a public address, carrying only the node security group. No key pair:
        // nodes have no SSH access.
        networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [ctx.securityGroupId] }],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
        tags: { Name: `${ctx.namePrefix}-${group.name}` },
    };
}

/** Node labels of a group: its own plus the purpose label the add-ons select system nodes by. */
export function nodeLabels(group: NodeGroupConfig): Record<string, string> {
    return { ...group.labels, [NODE_PURPOSE_LABEL]: group.purpose };
}

/** Arguments of {@link NodeGroups}. */
export interface NodeGroupsArgs {
    /** Name of the cluster (the cluster's output, so the groups wait for it). */
    clusterName: pulumi.Input<string>;
    /** Kubernetes version of the nodes (the cluster's, so they upgrade after it). */
    kubernetesVersion: pulumi.Input<string>;
    /** Prefix of node group and template names: the cluster name. */
    namePrefix: string;
    /** ARN partition, for AWS-managed policy ARNs. */
    partition: string;
    /** Private subnets, one per AZ: every group spans all of them. */
    subnetIds: pulumi.Input<string>[];
    /** The node security group. */
    securityGroupId: pulumi.Input<string>;
    /** KMS key of the root volumes. */
    volumeKeyArn: pulumi.Input<string>;
    /** The groups. */
    groups: readonly NodeGroupConfig[];
    /** Tags of instances, volumes and network interfaces. */
    tags: Readonly<Record<string, string>>;
    /** What nodes need before they can become Ready: the networking add-ons and the routes out of the VPC. */
    after: pulumi.Input<pulumi.Resource>[];
}

/** The node role and the managed node groups. */
export class NodeGroups extends pulumi.ComponentResource {
    /** The node groups, by config name. */
    public readonly nodeGroups: Record<string, aws.eks.NodeGroup>;
    /** The node role. */
    public readonly role: aws.iam.Role;

    constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:NodeGroups", name, {}, opts);
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `EKS nodes of ${args.namePrefix}`,
                assumeRolePolicy: JSON.stringify(nodeTrustPolicy(args.partition)),
                tags: { Name: `${args.namePrefix}-node` },
            },
            { parent: this },
        );
        const attachments = NODE_ROLE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-role-${policy}`,
                    { role: this.role.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
                    { parent: this },
                ),
        );

        const ctx: LaunchTemplateContext = {
            namePrefix: args.namePrefix,
            securityGroupId: args.securityGroupId,
            volumeKeyArn: args.volumeKeyArn,
            tags: args.tags,
        };
        const entries = args.groups.map((group) => {
            const template = new aws.ec2.LaunchTemplate(`${name}-${group.name}`, nodeLaunchTemplateArgs(group, ctx), { parent: this });
            const nodeGroup = new aws.eks.NodeGroup(
                `${name}-${group.name}`,
                {
                    clusterName: args.clusterName,
                    // A prefix, not a name: changes that replace a group create the new one before draining the old.
                    // Names are unique per cluster, so the group's own name is enough (EKS allows 63 characters).
                    nodeGroupNamePrefix: `${group.name}-`,
                    version: args.kubernetesVersion,
                    nodeRoleArn: this.role.arn,
                    subnetIds: args.subnetIds,
                    amiType: NODE_AMI_TYPE,
                    capacityType: group.capacityType,
                    instanceTypes: [...group.instanceTypes],
                    scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
                    updateConfig: { maxUnavailable: defaults.maxUnavailable },
                    labels: nodeLabels(group),
                    taints: group.taints.map((t) => ({ ...t })),
                    launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
                    tags: { Name: `${args.namePrefix}-${group.name}` },
                },
                // The role keeps its policies until the nodes are gone, so they can drain cleanly on delete.
                { parent: this, dependsOn: [...attachments, ...args.after] },
            );
            return [group.name, nodeGroup] as const;
        });
        this.nodeGroups = Object.fromEntries(entries);

        this.registerOutputs({ nodeRoleArn: this.role.arn, nodeGroupArns: Object.fromEntries(entries.map(([n, g]) => [n, g.arn])) });
    }
}
