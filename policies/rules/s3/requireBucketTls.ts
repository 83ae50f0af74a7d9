import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { asStrings, describe, prop, policyStatements, type Statement } from "../../lib/values";

/** True for a Deny statement conditioned on aws:SecureTransport being false. */
function deniesPlainHttp(statement: Statement): boolean {
    if (statement.effect !== "Deny") {
        return false;
    }
    const block = statement.condition.Bool ?? {};
    const value = Object.prototype.hasOwnProperty.call(block, "aws:SecureTransport") ? block["aws:SecureTransport"] : undefined;
    return value === false || asStrings(value).some((v) => v.toLowerCase() === "false");
}

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-secure-transport",
    description:
        "Every S3 bucket's policy denies requests that do not use TLS (a Deny statement on aws:SecureTransport = false), so no client can read or write backups in the clear.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketView(args.resources).buckets) {
            const documents = [...settingsOf(bucket, "policy").map((p) => prop(p.props, "policy")), prop(bucket.resource.props, "policy")];
            if (!documents.some((d) => (policyStatements(d) ?? []).some(deniesPlainHttp))) {
                reportViolation(
                    `${describe(bucket.resource)} accepts requests over plain HTTP. Add an aws.s3.BucketPolicy statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`,
                    bucket.resource.urn,
                );
            }
        }
    },
};

/** S3-07 (the TLS part of X-01). */
export const requireBucketTls: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["S3-07", "X-01", "S3.5"],
};
