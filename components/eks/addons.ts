/**
 * EKS managed add-ons at the versions pinned in versions.ts, each controller with its own
 * service-account role. The add-ons come in two batches, because nodes and add-ons wait on each other:
 * nodes cannot become Ready without vpc-cni and kube-proxy, while CoreDNS and the EBS CSI controller
 * are Deployments that sit DEGRADED until there are nodes to run on.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EKS_ADDON_VERSIONS, type CoreAddonName, type KubernetesVersion } from "../../versions";
import { KUBE_DNS, dnsFlows, httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { WorkloadRole } from "./workloadIdentity";

/** How the platform runs one add-on. */
export interface AddonSpec {
    /** True for add-ons whose pods are Deployments: created only after the node groups. */
    readonly needsNodes: boolean;
    /** The service account its controller runs as, when it calls AWS APIs. */
    readonly serviceAccount?: { readonly namespace: string; readonly name: string };
    /** AWS-managed policy (path after `policy/`) of that service account's role. */
    readonly managedPolicy?: string;
    /** Permissions its role needs on the volume key, given the key's ARN. */
    readonly keyPolicy?: (keyArn: string) => PolicyDocument;
    /** The add-on's configuration values (its JSON schema: `aws eks describe-addon-configuration`). */
    readonly configuration?: Readonly<Record<string, unknown>>;
}

/** The platform's settings of every core add-on. */
export const ADDON_SPECS: Readonly<Record<CoreAddonName, AddonSpec>> = {
    "vpc-cni": {
        needsNodes: false,
        serviceAccount: { namespace: "kube-system", name: "aws-node" },
        managedPolicy: "AmazonEKS_CNI_Policy",
        // The VPC CNI's node agent enforces Kubernetes NetworkPolicies; without it they are silently ignored.
        configuration: { enableNetworkPolicy: "true" },
    },
    "kube-proxy": { needsNodes: false },
    "eks-pod-identity-agent": { needsNodes: false },
    coredns: { needsNodes: true },
    "aws-ebs-csi-driver": {
        needsNodes: true,
        serviceAccount: { namespace: "kube-system", name: "ebs-csi-controller-sa" },
        managedPolicy: "service-role/AmazonEBSCSIDriverPolicy",
        keyPolicy: (keyArn) => ebsCsiKeyPolicy(keyArn),
    },
};

/** The add-ons created before the node groups (nodes need them to become Ready). */
export const NODE_BOOTSTRAP_ADDONS = (Object.keys(ADDON_SPECS) as CoreAddonName[]).filter((a) => !ADDON_SPECS[a].needsNodes);
/** The add-ons created after the node groups. */
export const NODE_DEPENDENT_ADDONS = (Object.keys(ADDON_SPECS) as CoreAddonName[]).filter((a) => ADDON_SPECS[a].needsNodes);

/**
 * What the EBS CSI controller needs on the cluster key to create and attach encrypted volumes: grants
 * for EC2 (only for AWS resources) and the data-key operations, on that key only.
 */
export function ebsCsiKeyPolicy(keyArn: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "GrantEc2UseOfTheVolumeKey",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: keyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
        },
        {
            Sid: "UseTheVolumeKey",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: keyArn,
        },
    );
}

/** Arguments of {@link CoreAddons}. */
export interface CoreAddonsArgs {
    /** Name of the cluster (the cluster's output, so add-ons wait for it). */
    clusterName: pulumi.Input<string>;
    /** Prefix of Name tags (the cluster name). */
    namePrefix: string;
    /** Kubernetes version: selects the pinned builds. */
    kubernetesVersion: KubernetesVersion;
    /** The add-ons of this batch. */
    addons: readonly CoreAddonName[];
    /** ARN of the cluster's OIDC provider, for the controllers' roles. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** ARN partition, for AWS-managed policy ARNs. */
    partition: string;
    /** KMS key of EBS volumes (nodes' and pods'). */
    volumeKeyArn: pulumi.Input<string>;
    /** What the batch waits for: the node groups, for add-ons that need nodes. */
    after?: pulumi.Input<pulumi.Resource>[];
}

/** One batch of core add-ons. */
export class CoreAddons extends pulumi.ComponentResource {
    /** The add-ons, by name. */
    public readonly addons: Partial<Record<CoreAddonName, aws.eks.Addon>>;

    constructor(name: string, args: CoreAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        const after = args.after ?? [];
        const early = args.addons.find((addon) => ADDON_SPECS[addon].needsNodes && after.length === 0);
        if (early !== undefined) {
            throw new Error(`${name}: ${early} runs as a Deployment and must be created after the node groups (pass them as after)`);
        }
        super("platform:eks:CoreAddons", name, {}, opts);
        const entries = args.addons.map((addon) => {
            const spec = ADDON_SPECS[addon];
            const role =
                spec.serviceAccount &&
                new WorkloadRole(
                    `${name}-${addon}`,
                    {
                        oidcProviderArn: args.oidcProviderArn,
                        issuer: args.issuer,
                        namespace: spec.serviceAccount.namespace,
                        serviceAccount: spec.serviceAccount.name,
                        purpose: `EKS add-on ${addon}`,
                        namePrefix: args.namePrefix,
                        managedPolicyArns: spec.managedPolicy ? [`arn:${args.partition}:iam::aws:policy/${spec.managedPolicy}`] : [],
                        policy: spec.keyPolicy ? pulumi.output(args.volumeKeyArn).apply(spec.keyPolicy) : undefined,
                    },
                    { parent: this },
                );
            const resource = new aws.eks.Addon(
                `${name}-${addon}`,
                {
                    clusterName: args.clusterName,
                    addonName: addon,
                    addonVersion: EKS_ADDON_VERSIONS[args.kubernetesVersion][addon],
                    serviceAccountRoleArn: role ? role.role.arn : undefined,
                    configurationValues: spec.configuration ? JSON.stringify(spec.configuration) : undefined,
                    // The program owns the add-ons' settings: drift from manual edits is overwritten.
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                    tags: { Name: `${args.namePrefix}-${addon}` },
                },
                // The role keeps its policies until the add-on is gone.
                { parent: this, dependsOn: [...(role ? [role] : []), ...after] },
            );
            return [addon, resource] as const;
        });
        this.addons = Object.fromEntries(entries);
        this.registerOutputs({ addonArns: Object.fromEntries(entries.map(([a, r]) => [a, r.arn])) });
    }
}

/** The core add-ons' own flows (aws-node and kube-proxy run on the host network: the cluster's node flows cover them). */
export function coreAddonFlows(): NetworkFlow[] {
    const c = "CoreAddons";
    return [
        ...dnsFlows("coredns-to-vpc-resolver", c, KUBE_DNS, { addresses: "vpcResolver" }, "CoreDNS forwards names outside the cluster to the VPC's DNS server"),
        tcp("coredns-to-api", c, KUBE_DNS, { group: "cluster" }, 443, "CoreDNS watches Services and EndpointSlices"),
        httpsToInternet(
            "ebs-csi-controller-to-ec2",
            c,
            podsOf("kube-system", { app: "ebs-csi-controller" }),
            "volumes and snapshots through the EC2 API, STS for its role",
        ),
    ];
}
