/**
 * Who a resource policy (an SNS topic's, an SQS queue's) lets in from outside the stack's account: a
 * statement that allows anyone without a condition that narrows the caller, or an AWS principal of
 * another account.
 */
import { policyStatements, type Statement } from "./values";

/** Condition keys that narrow an anonymous principal to a caller of known origin. */
const NARROWING_KEYS = [
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:sourcevpce",
    "aws:sourcevpc",
];

/** True when a statement's condition names one of {@link NARROWING_KEYS} (any operator). */
function narrowed(statement: Statement): boolean {
    return Object.values(statement.condition).some((block) => Object.keys(block).some((key) => NARROWING_KEYS.includes(key.toLowerCase())));
}

/** The account of an AWS principal (a 12-digit id or an ARN), or undefined for anything else. */
function accountOf(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) {
        return principal;
    }
    return /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
}

/** The account that owns what a statement grants on: the account field of its Resource ARNs, when they agree. */
function ownerOf(statement: Statement): string | undefined {
    const accounts = new Set(statement.resources.map((arn) => arn.split(":")[4]).filter((a): a is string => a !== undefined && /^\d{12}$/.test(a)));
    return accounts.size === 1 ? [...accounts][0] : undefined;
}

/**
 * What a resource policy lets in from outside: fragments to follow "has a policy statement that ...". The
 * stack's account is the owner of the statement's resources (the topic's or queue's ARN).
 */
export function openStatements(policy: unknown): string[] {
    const problems: string[] = [];
    for (const statement of policyStatements(policy) ?? []) {
        const accountId = ownerOf(statement);
        if (statement.effect !== "Allow" || statement.principals === undefined) {
            continue;
        }
        if (statement.principals.anyone && !narrowed(statement)) {
            problems.push(
                `allows any principal ("*") to ${statement.actions.length > 0 ? statement.actions.join(", ") : "act"} without a condition on the caller's account or source`,
            );
        }
        const foreign = statement.principals.aws.filter(
            (p) => p !== "*" && accountId !== undefined && accountOf(p) !== undefined && accountOf(p) !== accountId,
        );
        if (foreign.length > 0) {
            problems.push(`allows principals of another account (${foreign.join(", ")})`);
        }
    }
    return problems;
}
