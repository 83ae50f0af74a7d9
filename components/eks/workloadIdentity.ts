/**
 * IAM roles for Kubernetes service accounts (IRSA): a role that exactly one service account of one
 * namespace can assume through the cluster's OIDC provider, with a least-privilege policy. Every
 * controller role of the platform is made here.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type PolicyDocument } from "../policyDocument";

/**
 * The audience EKS projects into service-account tokens meant for STS. The same in every partition: the
 * pod identity webhook's default audience, which is not the STS endpoint name (in aws-cn an OIDC provider
 * or trust policy with `sts.amazonaws.com.cn` fails with "Incorrect token audience"; eksctl-io/eksctl#1910,
 * terraform-aws-modules/terraform-aws-eks#1704).
 */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The only names the trust policy accepts: Kubernetes DNS labels, so no `*` or `?` can widen the match. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Service account names are DNS subdomains. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Who may assume a workload role. */
export interface ServiceAccountRef {
    /** ARN of the cluster's IAM OIDC provider. */
    readonly oidcProviderArn: string;
    /** The cluster's OIDC issuer URL, with or without `https://`. */
    readonly issuer: string;
    /** Namespace of the service account. */
    readonly namespace: string;
    /** Name of the service account. */
    readonly serviceAccount: string;
}

/**
 * The trust policy of a workload role: web-identity federation through the cluster's OIDC provider,
 * with `StringEquals` on both the subject (exactly `system:serviceaccount:<ns>:<sa>`) and the audience
 * (`sts.amazonaws.com`). Throws on names that are not Kubernetes names, so a wildcard can never slip in.
 */
export function workloadTrustPolicy(ref: ServiceAccountRef): PolicyDocument {
    if (!DNS_LABEL.test(ref.namespace)) {
        throw new Error(`workload role: namespace ${JSON.stringify(ref.namespace)} is not a Kubernetes namespace name (no wildcards)`);
    }
    if (!DNS_SUBDOMAIN.test(ref.serviceAccount)) {
        throw new Error(`workload role: service account ${JSON.stringify(ref.serviceAccount)} is not a Kubernetes name (no wildcards)`);
    }
    const issuer = ref.issuer.replace(/^https:\/\//, "");
    return policyDocument({
        Effect: "Allow",
        Principal: { Federated: ref.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:${ref.namespace}:${ref.serviceAccount}`,
                [`${issuer}:aud`]: STS_AUDIENCE,
            },
        },
    });
}

/** Arguments of {@link WorkloadRole}. */
export interface WorkloadRoleArgs {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Namespace of the one service account that may assume the role. */
    namespace: string;
    /** Name of that service account. */
    serviceAccount: string;
    /** What the role is for, for its description. */
    purpose: string;
    /** Prefix of the role's Name tag (the cluster name). */
    namePrefix: string;
    /** The role's own least-privilege policy (an inline policy). */
    policy?: pulumi.Input<PolicyDocument>;
    /** AWS-managed policies to attach, for controllers AWS publishes a policy for. */
    managedPolicyArns?: string[];
}

/**
 * A role for one service account. Anything that must not run without the role's permissions (or must
 * keep them until it is gone, on destroy) depends on this component, which stands for the role and
 * every policy of it.
 */
export class WorkloadRole extends pulumi.ComponentResource {
    /** The role. */
    public readonly role: aws.iam.Role;

    constructor(name: string, args: WorkloadRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.policy === undefined && (args.managedPolicyArns ?? []).length === 0) {
            throw new Error(`${name}: a workload role needs a policy or a managed policy`);
        }
        super("platform:eks:WorkloadRole", name, {}, opts);
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `${args.purpose} (service account ${args.namespace}/${args.serviceAccount})`,
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.issuer])
                    .apply(([oidcProviderArn, issuer]) =>
                        JSON.stringify(workloadTrustPolicy({ oidcProviderArn, issuer, namespace: args.namespace, serviceAccount: args.serviceAccount })),
                    ),
                tags: { Name: `${args.namePrefix}-${args.serviceAccount}` },
            },
            { parent: this },
        );
        if (args.policy !== undefined) {
            new aws.iam.RolePolicy(
                `${name}-policy`,
                { role: this.role.id, policy: pulumi.output(args.policy).apply((doc) => JSON.stringify(doc)) },
                { parent: this },
            );
        }
        for (const policyArn of args.managedPolicyArns ?? []) {
            new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: this.role.name, policyArn }, { parent: this });
        }
        this.registerOutputs({ roleArn: this.role.arn });
    }
}
