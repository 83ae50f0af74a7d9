import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { IAM } from "../../lib/types";
import { actionMatches, asStrings, describe, prop, policyStatements, records } from "../../lib/values";

const FORBIDDEN_MANAGED = /:policy\/(AdministratorAccess|IAMFullAccess)$/;
const USER_TYPES = new Set<string>([IAM.user, IAM.userPolicy, IAM.userPolicyAttachment, IAM.accessKey]);
const ATTACHMENT_TYPES = new Set<string>([IAM.rolePolicyAttachment, IAM.policyAttachment, IAM.groupPolicyAttachment]);
const DOCUMENT_TYPES = new Set<string>([IAM.policy, IAM.rolePolicy, IAM.groupPolicy]);

/** What is too broad in one policy document, as message fragments. */
function documentProblems(document: unknown): string[] {
    const problems: string[] = [];
    for (const s of policyStatements(document) ?? []) {
        if (s.effect !== "Allow" || s.notAction || !s.resources.includes("*")) {
            continue;
        }
        if (s.actions.some((a) => a === "*" || a === "*:*")) {
            problems.push(
                'allows every action on every resource ("Action": "*", "Resource": "*"). Grant the actions the principal needs, on the resources it needs',
            );
        } else if (s.actions.some((a) => actionMatches(a, "kms:Decrypt"))) {
            problems.push('allows kms:Decrypt with every key ("Resource": "*"). Name the key ARNs the principal needs');
        } else if (s.actions.some((a) => actionMatches(a, "iam:PassRole"))) {
            problems.push('allows iam:PassRole on every role ("Resource": "*"). Name the role ARNs it may pass');
        }
    }
    return problems;
}

const policy: StackValidationPolicy = {
    name: "platform-iam-policy-privileges",
    description:
        "IAM permissions are least-privilege: no AdministratorAccess or IAMFullAccess attachment, no policy that allows every action on every resource, kms:Decrypt on every key or iam:PassRole on every role, and no IAM users (people and machines use roles).",
    enforcementLevel: "mandatory",
    validateStack: checkEachResource([...USER_TYPES, ...ATTACHMENT_TYPES, ...DOCUMENT_TYPES, IAM.role], (args, reportViolation) => {
        const type = args.type;
        if (USER_TYPES.has(type)) {
            reportViolation(
                `${describe(args)} creates an IAM user or its credentials. Use IAM roles (SSO for people, service-account roles for workloads) instead.`,
            );
            return;
        }
        const arns: string[] = [];
        const documents: unknown[] = [];
        if (ATTACHMENT_TYPES.has(type)) {
            arns.push(...asStrings(args.props.policyArn));
        } else if (DOCUMENT_TYPES.has(type)) {
            documents.push(args.props.policy);
        } else if (type === IAM.role) {
            arns.push(...asStrings(args.props.managedPolicyArns));
            documents.push(...records(args.props.inlinePolicies).map((p) => prop(p, "policy")));
        } else {
            return;
        }
        for (const arn of arns) {
            const match = FORBIDDEN_MANAGED.exec(arn);
            if (match) {
                reportViolation(`${describe(args)} attaches ${match[1]}. Attach a policy with only the permissions the role needs.`);
            }
        }
        for (const document of documents) {
            for (const problem of documentProblems(document)) {
                reportViolation(`${describe(args)} ${problem}.`);
            }
        }
    }),
};

/** IAM-03, IAM-04. */
export const restrictPolicyPrivileges: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["IAM-03", "IAM-04", "IAM.1", "IAM.2", "IAM.21", "KMS.1", "KMS.2", "CKV_AWS_274", "CKV2_AWS_56", "CKV_AWS_62", "CKV_AWS_40", "AVD-AWS-0143"],
    // Checkov's cloudsplaining-based checks cover every action of each category; this rule only `*:*`,
    // kms:Decrypt and iam:PassRole on "*" (platform-iam-policy-sensitive-actions covers the named sets;
    // policies/coverage/enforcedAws.ts says what each lets through).
    partial: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "CKV_AWS_63", "CKV2_AWS_40", "AVD-AWS-0342"],
};
