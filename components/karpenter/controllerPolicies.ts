/**
 * The Karpenter controller's IAM policies: the six managed policies of the upstream getting-started
 * template (github.com/aws/karpenter-provider-aws @ v1.14.1, website/content/en/preview/getting-started/
 * getting-started-with-karpenter/cloudformation.yaml; ../shared/charts/karpenter/controller-iam-policy.json),
 * statement for statement, with its placeholders filled in for this cluster, plus one the template lacks:
 * the cluster key for the nodes' encrypted root volumes and the encrypted interruption queue. Launches,
 * tagging and deletion are scoped by the tags Karpenter puts on what it creates
 * (`kubernetes.io/cluster/<cluster>: owned`, `eks:eks-cluster-name`, `karpenter.sh/nodepool`,
 * `karpenter.k8s.aws/ec2nodeclass`, `topology.kubernetes.io/region`), so the role cannot touch another
 * cluster's instances, and `iam:PassRole` names the node role only.
 */
import { viaService } from "../partitions";
import { policyDocument, type PolicyDocument, type PolicyStatement } from "../policyDocument";

/** What the policies are scoped to. */
export interface KarpenterPolicyContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** Name of the EKS cluster. */
    readonly clusterName: string;
    /** ARN of the node role, the only role the controller may pass (to EC2). */
    readonly nodeRoleArn: string;
    /** ARN of the interruption queue. */
    readonly queueArn: string;
    /** ARN of the KMS key of the nodes' root volumes and of the queue (the cluster key). */
    readonly keyArn: string;
}

/** The names of the policies, as upstream names them (`-<cluster>` is appended by the component). */
export const KARPENTER_POLICY_NAMES = [
    "KarpenterControllerNodeLifecyclePolicy",
    "KarpenterControllerIAMIntegrationPolicy",
    "KarpenterControllerEKSIntegrationPolicy",
    "KarpenterControllerInterruptionPolicy",
    "KarpenterControllerZonalShiftPolicy",
    "KarpenterControllerResourceDiscoveryPolicy",
    "KarpenterControllerVolumeEncryptionPolicy",
] as const;
/** One of {@link KARPENTER_POLICY_NAMES}. */
export type KarpenterPolicyName = (typeof KARPENTER_POLICY_NAMES)[number];

function nodeLifecycle(ctx: KarpenterPolicyContext): PolicyDocument {
    const ec2 = (resource: string, account = "*") => `arn:${ctx.partition}:ec2:${ctx.region}:${account}:${resource}`;
    const owned = `kubernetes.io/cluster/${ctx.clusterName}`;
    const created = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map((r) => ec2(r));
    return policyDocument(
        {
            Sid: "AllowScopedEC2InstanceAccessActions",
            Effect: "Allow",
            Resource: [
                ec2("image/*", ""),
                ec2("snapshot/*", ""),
                ec2("security-group/*"),
                ec2("subnet/*"),
                ec2("capacity-reservation/*"),
                ec2("placement-group/*"),
            ],
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        },
        {
            Sid: "AllowScopedEC2LaunchTemplateAccessActions",
            Effect: "Allow",
            Resource: ec2("launch-template/*"),
            Action: ["ec2:RunInstances", "ec2:CreateFleet"],
            Condition: { StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
        {
            Sid: "AllowScopedEC2InstanceActionsWithTags",
            Effect: "Allow",
            Resource: created,
            Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
            Condition: {
                StringEquals: { [`aws:RequestTag/${owned}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedResourceCreationTagging",
            Effect: "Allow",
            Resource: created,
            Action: "ec2:CreateTags",
            Condition: {
                StringEquals: {
                    [`aws:RequestTag/${owned}`]: "owned",
                    "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName,
                    "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                },
                StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
            },
        },
        {
            Sid: "AllowScopedResourceTagging",
            Effect: "Allow",
            Resource: ec2("instance/*"),
            Action: "ec2:CreateTags",
            Condition: {
                StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" },
                StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
                StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName },
                "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
            },
        },
        {
            Sid: "AllowScopedDeletion",
            Effect: "Allow",
            Resource: [ec2("instance/*"), ec2("launch-template/*")],
            Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
            Condition: { StringEquals: { [`aws:ResourceTag/${owned}`]: "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
        },
    );
}

function iamIntegration(ctx: KarpenterPolicyContext): PolicyDocument {
    const profiles = `arn:${ctx.partition}:iam::${ctx.accountId}:instance-profile/*`;
    const owned = `kubernetes.io/cluster/${ctx.clusterName}`;
    const resourceScope = { [`aws:ResourceTag/${owned}`]: "owned", "aws:ResourceTag/topology.kubernetes.io/region": ctx.region };
    const requestScope = {
        [`aws:RequestTag/${owned}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": ctx.clusterName,
        "aws:RequestTag/topology.kubernetes.io/region": ctx.region,
    };
    return policyDocument(
        {
            Sid: "AllowPassingInstanceRole",
            Effect: "Allow",
            Resource: ctx.nodeRoleArn,
            Action: "iam:PassRole",
            // The values iam:PassedToService takes for EC2, as upstream lists them (a condition value, not a
            // principal: in China the passed-to service is reported as ec2.amazonaws.com.cn).
            Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
        },
        {
            Sid: "AllowScopedInstanceProfileCreationActions",
            Effect: "Allow",
            Resource: profiles,
            Action: ["iam:CreateInstanceProfile"],
            Condition: { StringEquals: requestScope, StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
        },
        {
            Sid: "AllowScopedInstanceProfileTagActions",
            Effect: "Allow",
            Resource: profiles,
            Action: ["iam:TagInstanceProfile"],
            Condition: {
                StringEquals: { ...resourceScope, ...requestScope },
                StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*", "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
            },
        },
        {
            Sid: "AllowScopedInstanceProfileActions",
            Effect: "Allow",
            Resource: profiles,
            Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
            Condition: { StringEquals: resourceScope, StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" } },
        },
    );
}

function clusterArn(ctx: KarpenterPolicyContext): string {
    return `arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${ctx.clusterName}`;
}

function resourceDiscovery(ctx: KarpenterPolicyContext): PolicyDocument {
    return policyDocument(
        {
            Sid: "AllowRegionalReadActions",
            Effect: "Allow",
            Resource: "*",
            Action: [
                "ec2:DescribeCapacityReservations",
                "ec2:DescribeImages",
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeInstanceTypeOfferings",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribePlacementGroups",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSpotPriceHistory",
                "ec2:DescribeSubnets",
            ],
            Condition: { StringEquals: { "aws:RequestedRegion": ctx.region } },
        },
        {
            Sid: "AllowSSMReadActions",
            Effect: "Allow",
            Resource: `arn:${ctx.partition}:ssm:${ctx.region}::parameter/aws/service/*`,
            Action: "ssm:GetParameter",
        },
        { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
        { Sid: "AllowUnscopedInstanceProfileListAction", Effect: "Allow", Resource: "*", Action: "iam:ListInstanceProfiles" },
        {
            Sid: "AllowInstanceProfileReadActions",
            Effect: "Allow",
            Resource: `arn:${ctx.partition}:iam::${ctx.accountId}:instance-profile/*`,
            Action: "iam:GetInstanceProfile",
        },
    );
}

/**
 * Not in the template, which leaves volume encryption to the account's default key: EC2 creates the root
 * volumes of the instances Karpenter launches (CreateFleet) with the caller's permissions on the key, and
 * the controller reads the queue SQS encrypts with it. Both through the service only (`kms:ViaService`),
 * on the one key; grants only for AWS resources (the volumes). The key policy delegates to IAM policies
 * of the account (components/keys.ts), so no key-policy statement names this role.
 */
function volumeEncryption(ctx: KarpenterPolicyContext): PolicyDocument {
    const viaEc2 = { StringEquals: { "kms:ViaService": viaService("ec2", ctx.region) } };
    return policyDocument(
        {
            Sid: "AllowClusterKeyForNodeVolumes",
            Effect: "Allow",
            Resource: ctx.keyArn,
            Action: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"],
            Condition: viaEc2,
        },
        {
            Sid: "AllowClusterKeyGrantsForNodeVolumes",
            Effect: "Allow",
            Resource: ctx.keyArn,
            Action: "kms:CreateGrant",
            Condition: { ...viaEc2, Bool: { "kms:GrantIsForAWSResource": true } },
        },
        {
            Sid: "AllowClusterKeyForTheInterruptionQueue",
            Effect: "Allow",
            Resource: ctx.keyArn,
            Action: "kms:Decrypt",
            Condition: { StringEquals: { "kms:ViaService": viaService("sqs", ctx.region) } },
        },
    );
}

/** Every policy of the controller's role, by name. */
export function karpenterControllerPolicies(ctx: KarpenterPolicyContext): Record<KarpenterPolicyName, PolicyDocument> {
    const statement = (s: PolicyStatement) => policyDocument(s);
    return {
        KarpenterControllerNodeLifecyclePolicy: nodeLifecycle(ctx),
        KarpenterControllerIAMIntegrationPolicy: iamIntegration(ctx),
        KarpenterControllerEKSIntegrationPolicy: statement({
            Sid: "AllowAPIServerEndpointDiscovery",
            Effect: "Allow",
            Resource: clusterArn(ctx),
            Action: "eks:DescribeCluster",
        }),
        KarpenterControllerInterruptionPolicy: statement({
            Sid: "AllowInterruptionQueueActions",
            Effect: "Allow",
            Resource: ctx.queueArn,
            Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        }),
        KarpenterControllerZonalShiftPolicy: statement({
            Sid: "AllowZonalShiftStatusReadOnly",
            Effect: "Allow",
            Resource: "*",
            Action: ["arc-zonal-shift:GetManagedResource"],
            Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn(ctx) } },
        }),
        KarpenterControllerResourceDiscoveryPolicy: resourceDiscovery(ctx),
        KarpenterControllerVolumeEncryptionPolicy: volumeEncryption(ctx),
    };
}
