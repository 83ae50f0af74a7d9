/**
 * The EKS control plane: its log group (created first, with retention and KMS), its IAM role, the
 * cluster itself (API authentication mode, private endpoint, secrets envelope encryption, all control
 * plane logs), the access entries of administrators and viewers, and the cluster's IAM OIDC provider
 * for workload roles.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { STS_AUDIENCE } from "./workloadIdentity";
import { servicePrincipal } from "../partitions";

/** Every control plane log type; the audit log is the one incident response needs most. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The log group EKS writes control plane logs to (its name is fixed by EKS). */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/** The cluster access policies the platform grants. */
export type AccessLevel = "admin" | "viewer";

/** The EKS access policy of an access level (cluster-admin, or view: read-only without Secrets). */
export function accessPolicyArn(partition: string, level: AccessLevel): string {
    const policy = level === "admin" ? "AmazonEKSClusterAdminPolicy" : "AmazonEKSViewPolicy";
    return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** A resource-name-safe, stable name for a principal: its type and last path segment (`role-platform-admins`). */
export function principalSlug(arn: string): string {
    const [type, ...path] = arn.slice(arn.indexOf(":", arn.indexOf(":iam::") + 6) + 1).split("/");
    return `${type}-${path[path.length - 1]}`.replace(/[^A-Za-z0-9-]/g, "-");
}

/** Trust policy of the cluster role: only the EKS service (of the stack's partition) assumes it. */
export function clusterTrustPolicy(partition: string): PolicyDocument {
    return policyDocument({ Effect: "Allow", Principal: { Service: servicePrincipal("eks", partition) }, Action: "sts:AssumeRole" });
}

/** Arguments of {@link EksCluster}. */
export interface EksClusterArgs {
    /** Name of the cluster (also in its log group's name). */
    clusterName: string;
    /** Kubernetes version. */
    version: string;
    /** ARN partition, for AWS-managed policy ARNs. */
    partition: string;
    /** Subnets of the control plane's network interfaces (the private ones, one per AZ). */
    subnetIds: pulumi.Input<string>[];
    /** Security group of the control plane's network interfaces. */
    securityGroupId: pulumi.Input<string>;
    /** CIDRs allowed on the public endpoint; empty turns the public endpoint off. */
    publicAccessCidrs: readonly string[];
    /** Principals with cluster-admin access entries. */
    adminPrincipalArns: readonly string[];
    /** Principals with read-only access entries. */
    viewerPrincipalArns: readonly string[];
    /** Give the cluster creator implicit cluster-admin. */
    bootstrapCreatorAdmin: boolean;
    /** EKS deletion protection. */
    deletionProtection: boolean;
    /** KMS key for secrets envelope encryption. */
    secretsKeyArn: pulumi.Input<string>;
    /** KMS key of the control plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the control plane logs, in days. */
    logRetentionDays: number;
}

/** The control plane, its access entries and its OIDC provider. */
export class EksCluster extends pulumi.ComponentResource {
    /** The cluster. */
    public readonly cluster: aws.eks.Cluster;
    /** The cluster's IAM OIDC provider, for workload roles. */
    public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    /** The cluster's OIDC issuer URL. */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** Access entries and their policy associations: the Kubernetes API refuses the program until they exist. */
    public readonly accessGrants: pulumi.Resource[];

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:Cluster", name, {}, opts);
        const child = { parent: this };

        // Created by the program before the cluster, or EKS creates it itself: unencrypted, kept forever.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            { name: controlPlaneLogGroupName(args.clusterName), retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `EKS control plane of ${args.clusterName}`,
                assumeRolePolicy: JSON.stringify(clusterTrustPolicy(args.partition)),
                tags: { Name: `${args.clusterName}-cluster` },
            },
            child,
        );
        const rolePolicy = new aws.iam.RolePolicyAttachment(
            `${name}-role-policy`,
            { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            child,
        );

        const publicEndpoint = args.publicAccessCidrs.length > 0;
        this.cluster = new aws.eks.Cluster(
            `${name}-control-plane`,
            {
                name: args.clusterName,
                version: args.version,
                roleArn: role.arn,
                vpcConfig: {
                    subnetIds: args.subnetIds,
                    securityGroupIds: [args.securityGroupId],
                    endpointPrivateAccess: true,
                    endpointPublicAccess: publicEndpoint,
                    ...(publicEndpoint ? { publicAccessCidrs: [...args.publicAccessCidrs] } : {}),
                },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: args.bootstrapCreatorAdmin },
                // The program installs vpc-cni, kube-proxy and CoreDNS as managed add-ons with pinned versions
                // and its own settings; the self-managed copies EKS would install would conflict with them.
                bootstrapSelfManagedAddons: false,
                encryptionConfig: { provider: { keyArn: args.secretsKeyArn }, resources: ["secrets"] },
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                // STANDARD: when standard support ends EKS upgrades the cluster instead of billing extended support.
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.deletionProtection,
                tags: { Name: args.clusterName },
            },
            // The role keeps its policy until the cluster is gone: EKS needs it to clean up on delete.
            { parent: this, dependsOn: [logGroup, rolePolicy] },
        );

        this.oidcIssuer = this.cluster.identities.apply((identities) => {
            const issuer = identities[0]?.oidcs?.[0]?.issuer;
            if (!issuer) {
                throw new Error(`cluster ${args.clusterName} reports no OIDC issuer`);
            }
            return issuer;
        });
        this.oidcProvider = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: this.oidcIssuer, clientIdLists: [STS_AUDIENCE], tags: { Name: `${args.clusterName}-oidc` } },
            child,
        );

        const grant = (level: AccessLevel, principalArn: string) => {
            const entryName = `${name}-${level}-${principalSlug(principalArn)}`;
            const entry = new aws.eks.AccessEntry(entryName, { clusterName: this.cluster.name, principalArn, type: "STANDARD" }, child);
            const association = new aws.eks.AccessPolicyAssociation(
                `${entryName}-policy`,
                {
                    clusterName: this.cluster.name,
                    principalArn: entry.principalArn,
                    policyArn: accessPolicyArn(args.partition, level),
                    accessScope: { type: "cluster" },
                },
                child,
            );
            return [entry, association];
        };
        this.accessGrants = [
            ...args.adminPrincipalArns.flatMap((arn) => grant("admin", arn)),
            ...args.viewerPrincipalArns.flatMap((arn) => grant("viewer", arn)),
        ];

        this.registerOutputs({ clusterName: this.cluster.name, endpoint: this.cluster.endpoint, oidcProviderArn: this.oidcProvider.arn });
    }
}
