/**
 * Typed IAM / KMS policy documents, built as plain data and serialised with JSON.stringify.
 */

/** One statement of an IAM or resource policy. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Wraps statements into a policy document. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Identity of the account the stack deploys into, for ARNs and confused-deputy conditions. */
export interface AccountContext {
    /** 12-digit account id. */
    readonly accountId: string;
    /** Region of the stack. */
    readonly region: string;
    /** ARN partition. */
    readonly partition: string;
}

/** The ARN of the account root principal (delegates to IAM policies; grants nothing on its own). */
export function accountRootArn(ctx: AccountContext): string {
    return `arn:${ctx.partition}:iam::${ctx.accountId}:root`;
}

/**
 * A trust policy that lets one AWS service assume a role, only on behalf of this account
 * (`aws:SourceAccount`) and, when given, only for the source ARNs matched (`aws:SourceArn`).
 */
export function serviceTrustPolicy(service: string, ctx: AccountContext, sourceArnLike?: string): PolicyDocument {
    const condition: PolicyStatement["Condition"] = { StringEquals: { "aws:SourceAccount": ctx.accountId } };
    if (sourceArnLike) {
        condition.ArnLike = { "aws:SourceArn": sourceArnLike };
    }
    return policyDocument({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: condition,
    });
}
