import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { IAM } from "../../lib/types";
import { actionMatches, asStrings, describe, isConditioned, policyStatements, prop, records, type Statement } from "../../lib/values";

/**
 * Actions that let a principal grant itself more (privilege escalation, the sets of Rhino Security Labs'
 * research that checkov's CKV_AWS_286 and trivy follow), hand out credentials (CKV_AWS_287), read data
 * or secrets (CKV_AWS_288) or change who may do what (CKV_AWS_289). On every resource ("*") and without a
 * condition, each of them is a way out of least privilege.
 */
export const SENSITIVE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
    "privilege escalation": [
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:AttachUserPolicy",
        "iam:AttachGroupPolicy",
        "iam:AttachRolePolicy",
        "iam:PutUserPolicy",
        "iam:PutGroupPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:AddUserToGroup",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "lambda:UpdateFunctionCode",
        "lambda:CreateFunction",
        "glue:UpdateDevEndpoint",
        "cloudformation:CreateStack",
        "datapipeline:CreatePipeline",
    ],
    "credentials exposure": [
        "iam:CreateAccessKey",
        "iam:UpdateAccessKey",
        "iam:CreateServiceSpecificCredential",
        "iam:ResetServiceSpecificCredential",
        "sts:GetFederationToken",
        "redshift:GetClusterCredentials",
        "sso:GetRoleCredentials",
        "ec2:GetPasswordData",
        "ecr:GetAuthorizationToken",
    ],
    "data exfiltration": [
        "s3:GetObject",
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "kms:Decrypt",
        "dynamodb:Scan",
        "rds:CopyDBSnapshot",
        "ec2:CreateSnapshot",
    ],
    "permissions management": [
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "kms:PutKeyPolicy",
        "kms:CreateGrant",
        "s3:PutBucketPolicy",
        "s3:PutBucketAcl",
        "secretsmanager:PutResourcePolicy",
        "sns:SetTopicAttributes",
        "sqs:SetQueueAttributes",
    ],
};

/** What one statement allows that it should not (fragments); `allowed` are sensitive actions a reviewer accepted on every resource. */
export function statementProblems(s: Statement, allowed: readonly string[] = []): string[] {
    if (s.effect !== "Allow" || s.notAction) {
        return [];
    }
    const problems: string[] = [];
    const wildcards = s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
    if (wildcards.length > 0) {
        problems.push(`allows every action of a service (${wildcards.join(", ")}). List the actions the principal needs`);
    }
    // "*" on "*" is an administrator policy, which platform-iam-policy-privileges reports.
    const everything = s.actions.filter((a) => a === "*" || a === "*:*");
    if (everything.length > 0 && !s.resources.includes("*")) {
        problems.push(
            `allows every action of every service (${everything.join(", ")}) on ${s.resources.join(", ")}, its policy and access settings included. List the actions the principal needs`,
        );
    }
    if (s.resources.includes("*") && !isConditioned(s)) {
        for (const [category, actions] of Object.entries(SENSITIVE_ACTIONS)) {
            const found = actions.filter(
                (action) =>
                    !allowed.some((a) => a.toLowerCase() === action.toLowerCase()) &&
                    s.actions.some((pattern) => pattern !== "*" && pattern !== "*:*" && !/:\*$/.test(pattern) && actionMatches(pattern, action)),
            );
            if (found.length > 0) {
                problems.push(
                    `allows ${found.join(", ")} (${category}) on every resource without a condition. Name the resources, or add a condition that narrows them`,
                );
            }
        }
    }
    if (s.actions.some((a) => actionMatches(a, "iam:PassRole"))) {
        const unnamed = s.resources.filter((r) => r !== "*" && /:role\/.*[*?]/.test(r));
        if (unnamed.length > 0) {
            problems.push(`lets iam:PassRole pass roles matched by a wildcard (${unnamed.join(", ")}). Name each role it may pass`);
        }
    }
    return problems;
}

const DOCUMENT_TYPES = new Set<string>([IAM.policy, IAM.rolePolicy, IAM.groupPolicy]);

const policy: StackValidationPolicy = {
    name: "platform-iam-policy-sensitive-actions",
    description:
        'IAM policies the stack writes allow no service-wide wildcard (s3:*, iam:*, or "*" on named resources), none of the privilege-escalation, credentials-exposure, data-exfiltration or permissions-management actions on every resource without a condition, and iam:PassRole only for roles named one by one (no wildcard in the role\'s name).',
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedOnAnyResource: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    'Sensitive actions a reviewer accepts on "*" (for example ecr:GetAuthorizationToken, which supports no resource and a CI role that pushes images needs).',
            },
        },
    },
    validateStack: checkEachResource([...DOCUMENT_TYPES, IAM.role], (args, reportViolation) => {
        const allowed = asStrings(args.getConfig<{ allowedOnAnyResource?: string[] }>().allowedOnAnyResource);
        const documents = DOCUMENT_TYPES.has(args.type) ? [args.props.policy] : records(args.props.inlinePolicies).map((p) => prop(p, "policy"));
        for (const document of documents) {
            for (const statement of policyStatements(document) ?? []) {
                for (const problem of statementProblems(statement, allowed)) {
                    reportViolation(`${describe(args)} ${problem}.`);
                }
            }
        }
    }),
};

/** Sensitive IAM actions. */
export const restrictSensitiveActions: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["IAM-05", "AVD-AWS-0345"],
    // The named action sets, not every action of checkov's categories (cloudsplaining's lists, by access level).
    partial: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_355", "CKV2_AWS_40", "AVD-AWS-0342", "AVD-AWS-0346", "CKV_AWS_63"],
};
