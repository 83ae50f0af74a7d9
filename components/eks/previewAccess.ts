/**
 * What `pulumi preview` of this stack needs, for the pull-request roles, and nothing more.
 *
 * Kubernetes (an access entry per role, in the group {@link PREVIEW_GROUP}, with no EKS access policy):
 * the Kubernetes provider (pulumi-kubernetes 4.x, `enableServerSideApply: true`) previews a new object
 * with a dry-run create and a changed one with a GET of the live object and a dry-run server-side-apply
 * PATCH (provider.go Create/Update, await.go Creation/Update: `DryRun: All`); Check and Diff read only the
 * discovery and OpenAPI documents, which every authenticated user may read (system:discovery). A Helm v3
 * Release makes no API call in preview: Check renders the chart client-side, Diff compares inputs with the
 * state, Create and Update return before Helm runs (helm_release.go). Helm's release Secrets are read only
 * by a refresh, which the pull-request preview does not run. So the group gets, cluster-wide:
 *
 *   - get, create, patch on the kinds the program manages ({@link PREVIEWED_KINDS});
 *   - get only on the RBAC and admission-policy objects of this component ({@link READ_ONLY_KINDS}): admission
 *     policies are never applied to admission-policy objects, so a write there could not be held to dry
 *     runs, and a dry run of RBAC objects is not worth an escalation path;
 *   - nothing on Secrets: a GET of a Secret is its value. The provider answers a Forbidden preview with the
 *     client-side diff of the inputs against the state (provider.go: `req.GetPreview() && IsForbidden`), so
 *     Secrets are previewed from the state, whose values show as [secret] anyway.
 *
 * Kubernetes authorizes a dry run like the real request, so a ValidatingAdmissionPolicy (failurePolicy
 * Fail) refuses every request of the group that is not a dry run: "get" and "dry-run create/patch" are all
 * it can do. The cluster role is bound only after the policy and its binding exist.
 *
 * AWS (the managed policy <project>-<stack>-preview, attached to each role), from `pulumi preview` with
 * the diy S3 backend and the awskms secrets provider (pulumi/pulumi pkg/backend/diy):
 *
 *   - s3:GetObject on .pulumi/meta.yaml (the state layout) and .pulumi/stacks/<project>/<stack>.json(.gz),
 *     the stack's checkpoint: preview reads it, takes no lock and writes nothing (diyBackend.Preview calls
 *     apply with DryRun, which keeps no snapshot, history or backup);
 *   - s3:ListBucket under .pulumi/: the backend lists objects under the checkpoint's name to choose between
 *     <stack>.json and <stack>.json.gz (stackPath), and the stack folders when it opens the state;
 *   - kms:Decrypt on the secrets provider's key: the stack's data key is decrypted once; nothing is encrypted,
 *     since preview saves no state;
 *   - no statement for sts:GetCallerIdentity (the AWS provider's credential check, the program's
 *     getCallerIdentity invoke, and the presigned request behind `aws eks get-token`): it needs no permission.
 *
 * The AWS resources are diffed against the state without reading the cloud (no refresh), so no Describe or
 * Get permission on them is needed. The program calls no data source that reads a secret value (the RDS
 * master secret reaches the cluster through the External Secrets Operator), so there is no statement for
 * secretsmanager:GetSecretValue or the data key. If a state bucket uses SSE-KMS, its key's kms:Decrypt must be added.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { principalSlug } from "./cluster";

/** The Kubernetes group of the preview roles' access entries. */
export const PREVIEW_GROUP = "platform-previewers";

/** A Kubernetes kind the preview role covers: its API group (`""` for core) and its resource (plural) name. */
export interface PreviewedKind {
    /** API group, `""` for the core group. */
    readonly group: string;
    /** Kind, as in the objects (for the test that every managed kind is covered). */
    readonly kind: string;
    /** Resource name in RBAC rules. */
    readonly resource: string;
}

/**
 * The kinds the program creates through the Kubernetes provider (outside Helm releases), which previews
 * read and dry-run. A kind the program starts to manage must be added here (a test holds the list to the plan).
 */
export const PREVIEWED_KINDS: readonly PreviewedKind[] = [
    { group: "", kind: "Namespace", resource: "namespaces" },
    { group: "", kind: "ResourceQuota", resource: "resourcequotas" },
    { group: "", kind: "LimitRange", resource: "limitranges" },
    { group: "", kind: "ServiceAccount", resource: "serviceaccounts" },
    { group: "", kind: "ConfigMap", resource: "configmaps" },
    { group: "", kind: "Service", resource: "services" },
    { group: "apps", kind: "Deployment", resource: "deployments" },
    { group: "batch", kind: "Job", resource: "jobs" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler", resource: "horizontalpodautoscalers" },
    { group: "policy", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets" },
    { group: "networking.k8s.io", kind: "NetworkPolicy", resource: "networkpolicies" },
    { group: "networking.k8s.io", kind: "Ingress", resource: "ingresses" },
    { group: "storage.k8s.io", kind: "StorageClass", resource: "storageclasses" },
    { group: "scheduling.k8s.io", kind: "PriorityClass", resource: "priorityclasses" },
    { group: "monitoring.coreos.com", kind: "ServiceMonitor", resource: "servicemonitors" },
    { group: "monitoring.coreos.com", kind: "PrometheusRule", resource: "prometheusrules" },
    { group: "cert-manager.io", kind: "ClusterIssuer", resource: "clusterissuers" },
    { group: "cert-manager.io", kind: "Certificate", resource: "certificates" },
    { group: "external-secrets.io", kind: "SecretStore", resource: "secretstores" },
    { group: "external-secrets.io", kind: "ExternalSecret", resource: "externalsecrets" },
    { group: "karpenter.sh", kind: "NodePool", resource: "nodepools" },
    { group: "karpenter.k8s.aws", kind: "EC2NodeClass", resource: "ec2nodeclasses" },
];

/** The objects of this component: readable, never written by the group (see the file comment). */
export const READ_ONLY_KINDS: readonly PreviewedKind[] = [
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole", resource: "clusterroles" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding", resource: "clusterrolebindings" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy", resource: "validatingadmissionpolicies" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding", resource: "validatingadmissionpolicybindings" },
];

/** The verbs of a previewed kind: read the live object, dry-run a new one (create) or a change (server-side apply is a PATCH). */
export const PREVIEW_VERBS = ["get", "create", "patch"] as const;

/** An RBAC policy rule. */
export interface RbacRule {
    /** API groups. */
    readonly apiGroups: string[];
    /** Resources. */
    readonly resources: string[];
    /** Verbs. */
    readonly verbs: string[];
}

function rulesFor(kinds: readonly PreviewedKind[], verbs: readonly string[]): RbacRule[] {
    const groups = [...new Set(kinds.map((k) => k.group))];
    return groups.map((group) => ({ apiGroups: [group], resources: kinds.filter((k) => k.group === group).map((k) => k.resource), verbs: [...verbs] }));
}

/** The rules of the preview cluster role: one per API group, no wildcard, no Secrets. */
export function previewRules(): RbacRule[] {
    return [...rulesFor(PREVIEWED_KINDS, PREVIEW_VERBS), ...rulesFor(READ_ONLY_KINDS, ["get"])];
}

/** Match condition of the admission policy: requests of the preview group (every request carries system:authenticated, so groups is never empty). */
export const PREVIEW_GROUP_CONDITION = `'${PREVIEW_GROUP}' in request.userInfo.groups`;

/** The one validation of the admission policy: the request is a dry run. */
export const DRY_RUN_ONLY = "request.dryRun == true";

/** The ValidatingAdmissionPolicy that holds the preview group to dry runs, as a Kubernetes object. */
export function dryRunOnlyPolicy(name: string): k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name, labels: { "app.kubernetes.io/part-of": "platform" } },
        spec: {
            // A policy that cannot be evaluated refuses the request: a broken policy must not open writes.
            failurePolicy: "Fail",
            matchConstraints: {
                resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*", "*/*"], scope: "*" }],
            },
            matchConditions: [{ name: "preview-group", expression: PREVIEW_GROUP_CONDITION }],
            validations: [
                {
                    expression: DRY_RUN_ONLY,
                    message: `members of ${PREVIEW_GROUP} may send only dry-run requests (pulumi preview)`,
                    reason: "Forbidden",
                },
            ],
        },
    };
}

/** The binding that enforces the policy (Deny) on every resource. */
export function dryRunOnlyBinding(name: string, policyName: string): k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs {
    return {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name, labels: { "app.kubernetes.io/part-of": "platform" } },
        spec: { policyName, validationActions: ["Deny"] },
    };
}

/** Where the preview roles read the stack's state and secrets. */
export interface PreviewStateAccess {
    /** ARN partition. */
    readonly partition: string;
    /** S3 bucket of the Pulumi state (the state at its root). */
    readonly stateBucket: string;
    /** Pulumi project name (the state folder). */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** ARN of the secrets provider's KMS key. */
    readonly secretsKeyArn: string;
}

/** The AWS permissions of a preview (each one explained in the file comment). */
export function previewPolicy(access: PreviewStateAccess): PolicyDocument {
    const bucketArn = `arn:${access.partition}:s3:::${access.stateBucket}`;
    const checkpoint = `${bucketArn}/.pulumi/stacks/${access.project}/${access.stack}.json`;
    return policyDocument(
        {
            Sid: "ReadTheStateLayoutAndThisStacksCheckpoint",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: [`${bucketArn}/.pulumi/meta.yaml`, checkpoint, `${checkpoint}.gz`],
        },
        {
            Sid: "ListTheStateFolders",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": [".pulumi/*"] } },
        },
        {
            Sid: "DecryptThisStacksSecrets",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: access.secretsKeyArn,
        },
    );
}

/** The name of an IAM role from its ARN (the last path segment). */
export function roleName(roleArn: string): string {
    return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** Arguments of {@link PreviewAccess}. */
export interface PreviewAccessArgs extends PreviewStateAccess {
    /** Name of the cluster. */
    clusterName: pulumi.Input<string>;
    /** Prefix of physical names: `<project>-<stack>`. */
    namePrefix: string;
    /** IAM roles that run previews. */
    roleArns: readonly string[];
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** Access entries, RBAC, the dry-run-only admission policy and the AWS policy of the preview roles. */
export class PreviewAccess extends pulumi.ComponentResource {
    /** The managed policy attached to every preview role. */
    public readonly policy: aws.iam.Policy;

    constructor(name: string, args: PreviewAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:PreviewAccess", name, {}, opts);
        const child = { parent: this };
        const inCluster = { parent: this, provider: args.provider };

        this.policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                name: `${args.namePrefix}-preview`,
                description: `pulumi preview of ${args.project}/${args.stack}: its state and secrets, nothing else`,
                policy: JSON.stringify(previewPolicy(args)),
            },
            child,
        );
        for (const roleArn of args.roleArns) {
            const slug = principalSlug(roleArn);
            new aws.iam.RolePolicyAttachment(`${name}-policy-${slug}`, { role: roleName(roleArn), policyArn: this.policy.arn }, child);
            // No access policy association: the group's RBAC below is all the role gets in the cluster.
            new aws.eks.AccessEntry(
                `${name}-entry-${slug}`,
                { clusterName: args.clusterName, principalArn: roleArn, type: "STANDARD", kubernetesGroups: [PREVIEW_GROUP] },
                child,
            );
        }

        const policyName = `${args.namePrefix}-preview-dry-run-only`;
        const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-dry-run-only`, dryRunOnlyPolicy(policyName), inCluster);
        const binding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
            `${name}-dry-run-only-binding`,
            dryRunOnlyBinding(policyName, policyName),
            { ...inCluster, dependsOn: [policy] },
        );
        const roleObjectName = `${args.namePrefix}-preview`;
        const clusterRole = new k8s.rbac.v1.ClusterRole(
            `${name}-role`,
            { metadata: { name: roleObjectName, labels: { "app.kubernetes.io/part-of": "platform" } }, rules: previewRules() },
            inCluster,
        );
        // Bound last (and unbound first on destroy): the group may act only while the dry-run policy holds.
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-binding`,
            {
                metadata: { name: roleObjectName, labels: { "app.kubernetes.io/part-of": "platform" } },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
                subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PREVIEW_GROUP }],
            },
            { ...inCluster, dependsOn: [policy, binding] },
        );

        this.registerOutputs({ policyArn: this.policy.arn });
    }
}
