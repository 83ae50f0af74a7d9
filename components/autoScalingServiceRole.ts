/**
 * The EC2 Auto Scaling service-linked role (AWSServiceRoleForAutoScaling), for accounts that do not have
 * it yet. The cluster key's policy names it, and KMS refuses a key policy whose principal does not exist
 * (MalformedPolicyDocumentException), so on a fresh account the key must wait for it.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** The AWS service whose service-linked role launches the EKS nodes (managed node groups run on Auto Scaling groups). */
export const AUTO_SCALING_SERVICE = "autoscaling.amazonaws.com";

/**
 * Creates the Auto Scaling service-linked role. It is retained on destroy: it is the account's one role of
 * that name, and every Auto Scaling group of the account (other stacks, other teams) launches through it.
 * IAM is eventually consistent, so KMS may not see a role created seconds earlier; the AWS provider retries
 * CreateKey on MalformedPolicyDocumentException for its create timeout (two minutes by default; terraform-provider-aws
 * internal/service/kms: resourceKeyCreate through waitIAMPropagation), which covers that propagation.
 */
export function createAutoScalingServiceRole(name: string, opts: pulumi.CustomResourceOptions): aws.iam.ServiceLinkedRole {
    return new aws.iam.ServiceLinkedRole(
        name,
        {
            awsServiceName: AUTO_SCALING_SERVICE,
            description: "Default service-linked role of EC2 Auto Scaling; created by the platform program for the EKS node groups, kept on destroy",
        },
        { ...opts, retainOnDelete: true },
    );
}
