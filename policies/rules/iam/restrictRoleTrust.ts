import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { IAM } from "../../lib/types";
import { actionMatches, asStrings, describe, isConditioned, policyStatements, type Statement } from "../../lib/values";

/** An account root principal, as ARN (any partition) or bare account id; group 1 or 2 is the account. */
const ACCOUNT_ROOT = /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/;
/** An entry of trustedAccounts. */
const ACCOUNT_ID = /^\d{12}$/;
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

interface Settings {
    trustedAccounts?: unknown;
}

/** The account of an account-root principal (`arn:<partition>:iam::<account>:root` or a bare id), else undefined. */
export function rootAccount(principal: string): string | undefined {
    const match = ACCOUNT_ROOT.exec(principal);
    return match === null ? undefined : (match[1] ?? match[2]);
}

const policy: ResourceValidationPolicy = {
    name: "platform-iam-role-trust",
    description:
        'IAM role trust policies never trust "*"; they trust an account root (or a bare account id: every principal that account\'s IAM policies allow) only for an account listed in trustedAccounts, whatever the condition, and then only with a condition; service-account roles (IRSA) trust exactly one "system:serviceaccount:<namespace>:<name>" with StringEquals, and only the sts.amazonaws.com audience, so no other pod of the cluster can assume them.',
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            trustedAccounts: {
                type: "array",
                items: { type: "string", pattern: ACCOUNT_ID.source },
                default: [],
                description:
                    "Accounts (12-digit ids) whose root a role may trust, with a condition: reviewed cross-account access such as a central security or deployment account, and the stack's own account when its IAM principals must assume a role. The pack cannot tell the stack's account from another (only the provider learns it), so an account that is not listed is refused.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== IAM.role) {
            return;
        }
        const statements = policyStatements(args.props.assumeRolePolicy);
        if (statements === undefined) {
            return;
        }
        const trusted = asStrings(args.getConfig<Settings>().trustedAccounts).filter((a) => ACCOUNT_ID.test(a));
        for (const statement of statements) {
            if (statement.effect !== "Allow" || statement.principals === undefined) {
                continue;
            }
            const { anyone, aws, federated } = statement.principals;
            if (anyone) {
                reportViolation(`${describe(args)} can be assumed by any AWS principal ("*"). Name the principals (services, roles) that may assume it.`);
            } else {
                const roots = aws.filter((p) => rootAccount(p) !== undefined);
                for (const root of roots.filter((p) => !trusted.includes(rootAccount(p) as string))) {
                    const account = rootAccount(root) as string;
                    reportViolation(
                        `${describe(args)} trusts the root of account ${account} (${root}), which is not in trustedAccounts: every principal that account's administrators allow may assume it, whatever the condition says. Name the role of that account that assumes it, or add ${account} to trustedAccounts of the stack's policy config once the cross-account access is reviewed.`,
                    );
                }
                const listed = roots.filter((p) => trusted.includes(rootAccount(p) as string));
                if (listed.length > 0 && !isConditioned(statement)) {
                    reportViolation(
                        `${describe(args)} trusts the whole account ${listed.join(", ")} without a condition. Name the role that assumes it, or add a condition (aws:PrincipalArn, sts:ExternalId).`,
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

/** IAM-01, IAM-02; no account root outside trustedAccounts. */
export const restrictRoleTrust: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["IAM-01", "IAM-02", "CIS EKS 5.2.1", "CKV_AWS_60", "CKV_AWS_61"],
    // No role of the program trusts an account root; a stack that must trust one lists the account here
    // (npm run generate writes it to policies/config/<stack>.json).
    config: { prod: { trustedAccounts: [] }, dev: { trustedAccounts: [] } },
};
