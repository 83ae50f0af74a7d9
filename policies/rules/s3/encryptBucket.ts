import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { LOG_BUCKET_TAG, bucketView, settingsOf, type Bucket } from "../../lib/s3";
import { asString, at, describe, isAwsManagedKey, isSetRef, peek, prop, records } from "../../lib/values";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The default-encryption rules that apply to a bucket, with the resource that declares them. */
function encryptionRules(bucket: Bucket): { declaredBy: PolicyResource; rules: Record<string, unknown>[] } | undefined {
    const [separate] = settingsOf(bucket, "encryption");
    if (separate !== undefined) {
        return { declaredBy: separate, rules: records(prop(separate.props, "rules")) };
    }
    const inline = at(bucket.resource.props, "serverSideEncryptionConfiguration", "rule");
    return inline === undefined ? undefined : { declaredBy: bucket.resource, rules: records([inline]) };
}

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-encryption",
    description: `Every S3 bucket has default encryption with SSE-KMS (aws:kms or aws:kms:dsse), a customer-managed key and the S3 bucket key. Access-log buckets (the target of a BucketLogging or of load balancer access logs, or tagged ${LOG_BUCKET_TAG.key}=${LOG_BUCKET_TAG.value}) use SSE-S3 (AES256) instead, because log delivery cannot write to SSE-KMS buckets.`,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketView(args.resources).buckets) {
            const b = describe(bucket.resource);
            const found = encryptionRules(bucket);
            const logTarget = bucket.logTarget;
            if (found === undefined || found.rules.length === 0) {
                reportViolation(
                    logTarget !== undefined
                        ? `${b} has no default encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "AES256" (SSE-S3: ${logTarget}, and log delivery cannot write to SSE-KMS buckets).`
                        : `${b} has no default encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", kmsMasterKeyId set to the stack's backups key and bucketKeyEnabled: true.`,
                    bucket.resource.urn,
                );
                continue;
            }
            const { declaredBy, rules } = found;
            const where = declaredBy === bucket.resource ? b : `${describe(declaredBy)} (for ${b})`;
            for (const rule of rules) {
                const algorithm = asString(at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
                if (logTarget !== undefined) {
                    if (algorithm !== "AES256") {
                        reportViolation(
                            `${where} encrypts an access-log bucket with ${algorithm ?? "no algorithm"}, but ${logTarget} and log delivery can only write to SSE-S3 buckets. Set sseAlgorithm "AES256".`,
                            declaredBy.urn,
                        );
                    }
                    continue;
                }
                if (algorithm === undefined || !KMS_ALGORITHMS.includes(algorithm)) {
                    reportViolation(
                        `${where} encrypts with ${algorithm ?? "no algorithm"} instead of a customer-managed KMS key. Set sseAlgorithm "aws:kms" and kmsMasterKeyId to the stack's backups key.`,
                        declaredBy.urn,
                    );
                    continue;
                }
                const key = peek(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
                if (!isSetRef(key) || isAwsManagedKey(key)) {
                    reportViolation(
                        `${where} uses the AWS-managed key aws/s3. Set kmsMasterKeyId to the stack's customer-managed backups key.`,
                        declaredBy.urn,
                    );
                }
                if (prop(rule, "bucketKeyEnabled") !== true) {
                    reportViolation(`${where} does not use an S3 bucket key, so every object operation calls KMS. Set bucketKeyEnabled: true.`, declaredBy.urn);
                }
            }
        }
    },
};

/** S3-02 (the encryption part of X-01), with the access-log bucket exception. */
export const encryptBucket: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["S3-02", "X-01", "S3.17", "CKV_AWS_19"],
    partial: ["CKV_AWS_145", "AVD-AWS-0132"],
};
