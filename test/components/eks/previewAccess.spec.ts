import { run, type CelInput } from "@bufbuild/cel";
import { expect } from "chai";
import { PREVIEW_GROUP, PREVIEWED_KINDS, READ_ONLY_KINDS, dryRunOnlyBinding, dryRunOnlyPolicy, previewRules } from "../../../components/eks/previewAccess";
import { planWith, policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";

/* eslint-disable @typescript-eslint/no-require-imports -- kubernetes-models publishes one module per group version */
const admission = require("kubernetes-models/admissionregistration.k8s.io/v1") as Record<string, new (data: unknown) => { validate(): void }>;
const rbac = require("kubernetes-models/rbac.authorization.k8s.io/v1") as Record<string, new (data: unknown) => { validate(): void }>;
/* eslint-enable @typescript-eslint/no-require-imports */

const T = {
    entry: "aws:eks/accessEntry:AccessEntry",
    association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    vap: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
    vapBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
};
const DEV_ROLE = "arn:aws:iam::123456789012:role/platform-preview-dev";

/** An AdmissionRequest as VAP's CEL `request` variable sees it (the fields the policy reads). */
function request(groups: string[], dryRun: boolean): Map<string, CelInput> {
    return new Map<string, CelInput>([
        ["dryRun", dryRun],
        ["operation", "UPDATE"],
        [
            "userInfo",
            new Map<string, CelInput>([
                ["username", "arn:aws:sts::123456789012:assumed-role/platform-preview-dev/preview-dev-pr-1"],
                ["groups", groups],
            ]),
        ],
    ]);
}

/** The CEL expressions of a recorded ValidatingAdmissionPolicy. */
interface PolicyExpressions {
    readonly matchConditions: string[];
    readonly validations: string[];
}

function expressionsOf(policy: RecordedResource): PolicyExpressions {
    const spec = policy.inputs.spec as { matchConditions: { expression: string }[]; validations: { expression: string }[] };
    return { matchConditions: spec.matchConditions.map((c) => c.expression), validations: spec.validations.map((v) => v.expression) };
}

/** What the API server decides for a request under the policy: not matched (it does not apply), allowed or denied. */
function admit(policy: PolicyExpressions, groups: string[], dryRun: boolean): "not matched" | "allowed" | "denied" {
    const req = request(groups, dryRun);
    if (!policy.matchConditions.every((expression) => run(expression, { request: req }) === true)) {
        return "not matched";
    }
    return policy.validations.every((expression) => run(expression, { request: req }) === true) ? "allowed" : "denied";
}

function objectOf(resource: RecordedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, spec, rules, roleRef, subjects } = resource.inputs as Record<string, unknown>;
    return Object.fromEntries(Object.entries({ apiVersion, kind, metadata, spec, rules, roleRef, subjects }).filter(([, v]) => v !== undefined));
}

describe("preview access (pull-request roles)", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    describe("Kubernetes: an access entry in the preview group, RBAC for reads and dry runs, and nothing else", () => {
        it("each preview role has an access entry in platform-previewers and no EKS access policy", () => {
            const entry = dev.get(T.entry, "preview-access-entry-role-platform-preview-dev");
            expect(entry.inputs).to.deep.include({ principalArn: DEV_ROLE, type: "STANDARD", kubernetesGroups: [PREVIEW_GROUP] });
            expect(dev.ofType(T.association).filter((a) => a.inputs.principalArn === DEV_ROLE)).to.deep.equal([]);
            expect(prod.get(T.entry, "preview-access-entry-role-platform-preview-prod").inputs.principalArn).to.equal(
                "arn:aws:iam::123456789012:role/platform-preview-prod",
            );
        });

        it("the cluster role grants exactly get, create and patch on the managed kinds, and get on its own objects", () => {
            const role = dev.get(T.clusterRole, "preview-access-role");
            expect(role.inputs.rules).to.deep.equal([
                {
                    apiGroups: [""],
                    resources: ["namespaces", "resourcequotas", "limitranges", "serviceaccounts", "configmaps", "services"],
                    verbs: ["get", "create", "patch"],
                },
                { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["scheduling.k8s.io"], resources: ["priorityclasses"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors", "prometheusrules"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["cert-manager.io"], resources: ["clusterissuers", "certificates"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["external-secrets.io"], resources: ["secretstores", "externalsecrets"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["karpenter.sh"], resources: ["nodepools"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"], verbs: ["get", "create", "patch"] },
                { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], verbs: ["get"] },
                {
                    apiGroups: ["admissionregistration.k8s.io"],
                    resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"],
                    verbs: ["get"],
                },
            ]);
            const binding = dev.get(T.clusterRoleBinding, "preview-access-binding");
            expect(binding.inputs.subjects).to.deep.equal([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PREVIEW_GROUP }]);
            expect(binding.inputs.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "platform-dev-preview" });
        });

        it("no Secrets, no wildcard, no list, watch, update or delete, nothing that writes RBAC or admission policy", () => {
            for (const rule of previewRules()) {
                expect(rule.resources).to.not.include("secrets");
                expect(
                    [...rule.resources, ...rule.verbs, ...rule.apiGroups].some((v) => v.includes("*")),
                    JSON.stringify(rule),
                ).to.equal(false);
                expect(
                    rule.verbs.every((v) => ["get", "create", "patch"].includes(v)),
                    JSON.stringify(rule),
                ).to.equal(true);
                if (["rbac.authorization.k8s.io", "admissionregistration.k8s.io"].includes(rule.apiGroups[0])) {
                    expect(rule.verbs).to.deep.equal(["get"]);
                }
            }
        });

        for (const stack of ["dev", "prod"] as const) {
            it(`covers every kind ${stack} manages through the Kubernetes provider (a new kind must be added to PREVIEWED_KINDS)`, () => {
                const plan = stack === "dev" ? dev : prod;
                const covered = new Set([...PREVIEWED_KINDS, ...READ_ONLY_KINDS].map((k) => `${k.group}:${k.kind}`));
                const managed = new Set(
                    plan.resources
                        .filter((r) => r.type.startsWith("kubernetes:") && r.custom)
                        .map((r) => r.type.match(/^kubernetes:(?:core\/)?([^:]*?)\/?v[^/:]*:(\w+)$/))
                        .filter((m): m is RegExpMatchArray => m !== null)
                        .map((m) => `${m[1]}:${m[2]}`),
                );
                // Helm releases make no API call in preview; Secrets are previewed from the state (see previewAccess.ts).
                const uncovered = [...managed].filter((k) => !covered.has(k) && k !== "helm.sh:Release" && k !== ":Secret");
                expect(uncovered).to.deep.equal([]);
                expect(managed.has("apps:Deployment") && managed.has(":Namespace"), "the match itself").to.equal(true);
            });
        }

        it("every object validates against the Kubernetes schemas", () => {
            const models: Record<string, new (data: unknown) => { validate(): void }> = { ...admission, ...rbac };
            for (const type of [T.vap, T.vapBinding, T.clusterRole, T.clusterRoleBinding]) {
                const object = objectOf(dev.ofType(type)[0]);
                expect(() => new models[object.kind as string](object).validate(), type).to.not.throw();
            }
            const broken = dryRunOnlyPolicy("x") as { spec: Record<string, unknown> };
            expect(
                () => new admission.ValidatingAdmissionPolicy({ ...broken, spec: { ...broken.spec, failurePolicy: "Sometimes" } }).validate(),
                "the check itself",
            ).to.throw();
        });
    });

    describe("the admission policy holds the group to dry runs", () => {
        it("fails closed, matches every request of the group on every resource, and denies what is not a dry run", () => {
            const policy = dev.get(T.vap, "preview-access-dry-run-only");
            expect(policy.inputs.spec).to.deep.equal({
                failurePolicy: "Fail",
                matchConstraints: { resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*", "*/*"], scope: "*" }] },
                matchConditions: [{ name: "preview-group", expression: "'platform-previewers' in request.userInfo.groups" }],
                validations: [
                    {
                        expression: "request.dryRun == true",
                        message: "members of platform-previewers may send only dry-run requests (pulumi preview)",
                        reason: "Forbidden",
                    },
                ],
            });
            expect(dev.get(T.vapBinding, "preview-access-dry-run-only-binding").inputs.spec).to.deep.equal({
                policyName: "platform-dev-preview-dry-run-only",
                validationActions: ["Deny"],
            });
            expect((policy.inputs.metadata as { name: string }).name).to.equal("platform-dev-preview-dry-run-only");
            expect(dryRunOnlyBinding("b", "p")).to.deep.include({ kind: "ValidatingAdmissionPolicyBinding" });
        });

        it("evaluated with CEL: a previewer's dry run passes, its real request is denied, other users are not matched", () => {
            const policy = expressionsOf(dev.get(T.vap, "preview-access-dry-run-only"));
            const previewer = ["system:authenticated", PREVIEW_GROUP];
            expect(admit(policy, previewer, true)).to.equal("allowed");
            expect(admit(policy, previewer, false)).to.equal("denied");
            expect(admit(policy, ["system:authenticated", "platform-previewers-not"], false)).to.equal("not matched");
            expect(admit(policy, ["system:authenticated"], false)).to.equal("not matched");
            // The check itself: without the validation every matched request would pass.
            expect(admit({ ...policy, validations: [] }, previewer, false)).to.equal("allowed");
        });

        it("the role is bound only after the policy and its binding exist", () => {
            const binding = dev.get(T.clusterRoleBinding, "preview-access-binding");
            expect(dev.dependsOn(binding, dev.get(T.vap, "preview-access-dry-run-only"))).to.equal(true);
            expect(dev.dependsOn(binding, dev.get(T.vapBinding, "preview-access-dry-run-only-binding"))).to.equal(true);
        });
    });

    describe("AWS: the state of this stack and its secrets key, nothing else", () => {
        it("the managed policy reads this stack's checkpoint and the layout file, lists the state folders, decrypts with the secrets key", () => {
            const policy = dev.get(T.policy, "preview-access-policy");
            expect(policy.inputs.name).to.equal("platform-dev-preview");
            expect(policyOf(policy.inputs.policy).Statement).to.deep.equal([
                {
                    Sid: "ReadTheStateLayoutAndThisStacksCheckpoint",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: [
                        "arn:aws:s3:::platform-pulumi-state-123456789012/.pulumi/meta.yaml",
                        "arn:aws:s3:::platform-pulumi-state-123456789012/.pulumi/stacks/platform/dev.json",
                        "arn:aws:s3:::platform-pulumi-state-123456789012/.pulumi/stacks/platform/dev.json.gz",
                    ],
                },
                {
                    Sid: "ListTheStateFolders",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: "arn:aws:s3:::platform-pulumi-state-123456789012",
                    Condition: { StringLike: { "s3:prefix": [".pulumi/*"] } },
                },
                {
                    Sid: "DecryptThisStacksSecrets",
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                },
            ]);
            const prodStatements = policyOf(prod.get(T.policy, "preview-access-policy").inputs.policy).Statement;
            expect(prodStatements[0].Resource).to.include("arn:aws:s3:::platform-pulumi-state-123456789012/.pulumi/stacks/platform/prod.json");
        });

        it("is attached to each preview role by name", () => {
            const attachment = dev.get(T.attachment, "preview-access-policy-role-platform-preview-dev");
            expect(attachment.inputs.role).to.equal("platform-preview-dev");
            expect(attachment.inputs.policyArn).to.equal(dev.get(T.policy, "preview-access-policy").outputs.arn);
        });
    });

    it("a stack without preview roles gets none of it", async () => {
        const plan = await planWith("dev", {
            "platform:preview.roleArns": undefined,
            "platform:preview.stateBucket": undefined,
            "platform:preview.secretsKeyArn": undefined,
        });
        expect(plan.resources.filter((r) => r.name.startsWith("preview-access"))).to.deep.equal([]);
    });
});
