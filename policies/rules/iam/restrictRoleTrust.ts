import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { IAM } from "../../lib/types";
import { actionMatches, asStrings, describe, isConditioned, policyStatements, type Statement } from "../../lib/values";

const ACCOUNT_ROOT = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;
const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const STS_AUDIENCE = "sts.amazonaws.com";

/** The condition entries of an operator whose key ends with `suffix` (`<issuer>:sub`). */
function conditionValues(statement: Statement, operator: string, suffix: string): string[] | undefined {
    const block = statement.condition[operator];
    if (block === undefined) {
        return undefined;
    }
    const keys = Object.keys(block).filter((k) => k.endsWith(suffix));
    return keys.length === 0 ? undefined : keys.flatMap((k) => asStrings(block[k]));
}

function webIdentityProblems(statement: Statement): string[] {
    const problems: string[] = [];
    const likeSub = conditionValues(statement, "StringLike", ":sub");
    const sub = conditionValues(statement, "StringEquals", ":sub");
    if (likeSub !== undefined) {
        problems.push(
            `matches service accounts with StringLike (${likeSub.join(", ")}). Use StringEquals with the exact "system:serviceaccount:<namespace>:<name>" of the one service account that needs the role.`,
        );
    } else if (sub === undefined || sub.length === 0) {
        problems.push(
            `lets every service account of the cluster assume it: its web-identity trust has no StringEquals condition on <issuer>:sub. Add StringEquals { "<issuer>:sub": "system:serviceaccount:<namespace>:<name>" }.`,
        );
    } else {
        const loose = sub.filter((s) => !SERVICE_ACCOUNT_SUBJECT.test(s));
        if (loose.length > 0) {
            problems.push(
                `trusts the subject ${loose.map((s) => JSON.stringify(s)).join(", ")}, which is not one exact service account. Use "system:serviceaccount:<namespace>:<name>" with no wildcards.`,
            );
        }
    }
    const aud = conditionValues(statement, "StringEquals", ":aud");
    if (aud === undefined || aud.length === 0 || aud.some((a) => a !== STS_AUDIENCE)) {
        problems.push(`does not pin the token audience. Add StringEquals { "<issuer>:aud": "${STS_AUDIENCE}" }.`);
    }
    return problems;
}

const policy: ResourceValidationPolicy = {
    name: "platform-iam-role-trust",
    description:
        'IAM role trust policies never trust "*", and trust an account root only with a condition; service-account roles (IRSA) trust exactly one "system:serviceaccount:<namespace>:<name>" with StringEquals, and only the sts.amazonaws.com audience, so no other pod of the cluster can assume them.',
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== IAM.role) {
            return;
        }
        const statements = policyStatements(args.props.assumeRolePolicy);
        if (statements === undefined) {
            return;
        }
        for (const statement of statements) {
            if (statement.effect !== "Allow" || statement.principals === undefined) {
                continue;
            }
            const { anyone, aws, federated } = statement.principals;
            if (anyone) {
                reportViolation(`${describe(args)} can be assumed by any AWS principal ("*"). Name the principals (services, roles) that may assume it.`);
            } else if (!isConditioned(statement)) {
                const roots = aws.filter((p) => ACCOUNT_ROOT.test(p));
                if (roots.length > 0) {
                    reportViolation(
                        `${describe(args)} trusts the whole account ${roots.join(", ")} without a condition. Name the role that assumes it, or add a condition (aws:PrincipalArn, sts:ExternalId).`,
                    );
                }
            }
            const webIdentity = statement.actions.some((a) => actionMatches(a, "sts:AssumeRoleWithWebIdentity"));
            if (webIdentity && federated.some((f) => f.includes(":oidc-provider/"))) {
                webIdentityProblems(statement).forEach((problem) => reportViolation(`${describe(args)} ${problem}`));
            }
        }
    },
};

/** IAM-01, IAM-02. */
export const restrictRoleTrust: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["IAM-01", "IAM-02", "CIS EKS 5.2.1", "CKV_AWS_60"],
    partial: ["CKV_AWS_61"],
};
