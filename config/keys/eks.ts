/**
 * Config keys of the EKS cluster: Kubernetes version, API endpoint access, who administers the cluster,
 * deletion protection and the managed node groups (their key lives in ./nodeGroups).
 */
import { flag, list, text } from "../fields";
import { PRIVATE_RANGES, contains, parseCidr } from "../cidr";
import { DEFAULT_KUBERNETES_VERSION, REFUSED_KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../../versions";
import { nodeGroupsField } from "./nodeGroups";

/** Whether the program creates the Auto Scaling service-linked role or the account already has it. */
export type AutoScalingServiceLinkedRole = "create" | "exists";

const PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

function checkVersion(value: string): string | undefined {
    if ((SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(value)) {
        return undefined;
    }
    const reason = REFUSED_KUBERNETES_VERSIONS[value];
    const expected = `expected one of: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`;
    return reason ? `is not supported: it ${reason}; ${expected}` : `is not a supported Kubernetes version; ${expected}`;
}

function checkPublicCidr(value: string): string | undefined {
    const cidr = parseCidr(value);
    if (typeof cidr === "string") {
        return `${cidr}; expected a.b.c.d/n, for example "203.0.113.0/24"`;
    }
    if (cidr.prefix === 0) {
        return "opens the API endpoint to the whole internet; expected the specific public CIDRs that may reach it (VPN or office egress), or an empty list for a private-only endpoint";
    }
    if (PRIVATE_RANGES.some((range) => contains(range, cidr))) {
        return "is a private range and never reaches the public endpoint; expected a public CIDR (private networks go in platform:eks.privateAccessCidrs)";
    }
    return undefined;
}

function checkPrivateCidr(value: string): string | undefined {
    const cidr = parseCidr(value);
    if (typeof cidr === "string") {
        return `${cidr}; expected a.b.c.d/n, for example "10.100.0.0/16"`;
    }
    if (!PRIVATE_RANGES.some((range) => contains(range, cidr))) {
        return "is not a private range; expected a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";
    }
    return undefined;
}

function checkPrincipal(value: string): string | undefined {
    return PRINCIPAL_ARN.test(value)
        ? undefined
        : 'is not an IAM role or user ARN; expected "arn:aws:iam::<account>:role/<name>" (for a session, the ARN of the role it assumed)';
}

const principals = (who: string) =>
    list({
        description: `IAM role or user ARNs that get an EKS access entry with ${who}.`,
        default: [],
        unique: true,
        item: checkPrincipal,
    });

/** The EKS keys. */
export const eksKeys = {
    "eks.version": text<KubernetesVersion>({
        description: `Kubernetes version of the control plane and nodes: one in EKS standard support (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}; the list and every add-on pin live in versions.ts). Upgrade one minor at a time.`,
        default: DEFAULT_KUBERNETES_VERSION,
        check: checkVersion,
    }),
    "eks.publicAccessCidrs": list({
        description:
            "Public CIDRs allowed to reach the cluster's public API endpoint. Empty (the default): the public endpoint is off and the API is reached only through the private endpoint. 0.0.0.0/0 is refused.",
        default: [],
        unique: true,
        item: checkPublicCidr,
    }),
    "eks.privateAccessCidrs": list({
        description:
            "Private CIDRs (VPN, peered networks, CI runners) allowed to reach the private API endpoint on 443. pulumi itself needs this when the public endpoint is off: it creates Kubernetes resources through the API.",
        default: [],
        unique: true,
        item: checkPrivateCidr,
    }),
    "eks.adminPrincipalArns": principals("the AmazonEKSClusterAdminPolicy (cluster-admin); include the role pulumi runs as"),
    "eks.viewerPrincipalArns": principals("the AmazonEKSViewPolicy (read-only, no Secrets)"),
    "eks.bootstrapCreatorAdmin": flag({
        description:
            "Give the IAM identity that creates the cluster cluster-admin through an implicit access entry. Off by default: admins are listed in eks.adminPrincipalArns. Fixed at creation (changing it replaces the cluster).",
        default: false,
    }),
    "eks.deletionProtection": flag({
        description: "EKS deletion protection: the cluster cannot be deleted until it is switched off. prod requires true.",
        default: true,
    }),
    "eks.autoscalingServiceLinkedRole": text<AutoScalingServiceLinkedRole>({
        description:
            'Whether the account already has the EC2 Auto Scaling service-linked role AWSServiceRoleForAutoScaling, which the cluster key\'s policy names (it launches the nodes and encrypts their volumes) and which KMS requires to exist before the key: "exists" if `aws iam get-role --role-name AWSServiceRoleForAutoScaling` finds it (any Auto Scaling group, EKS node group or earlier stack of the account made it), "create" if that answers NoSuchEntity (the program then creates it before the key and keeps it on destroy, as other stacks of the account use it). Exactly one stack per account says "create".',
        oneOf: ["create", "exists"],
    }),
    "eks.nodeGroups": nodeGroupsField,
};
