import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { describe, isConditioned, prop, policyStatements } from "../../lib/values";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** True when a bucket policy document allows anyone without a condition. */
function allowsAnyone(document: unknown): boolean {
    return (policyStatements(document) ?? []).some((s) => s.effect === "Allow" && s.principals?.anyone === true && !isConditioned(s));
}

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-public-access",
    description:
        'Every S3 bucket (Bucket or BucketV2) has a BucketPublicAccessBlock with all four flags true, and no bucket policy allows anyone ("*") without a condition: backups and logs are never public. A stack rule, because v7 declares these settings as separate resources.',
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const view = bucketView(args.resources);
        for (const block of view.settings.get("publicAccessBlock") ?? []) {
            const off = FLAGS.filter((flag) => prop(block.props, flag) !== true);
            if (off.length > 0) {
                reportViolation(`${describe(block)} does not set ${off.join(", ")} to true. Set all four flags to true.`, block.urn);
            }
        }
        for (const bucket of view.buckets) {
            if (settingsOf(bucket, "publicAccessBlock").length === 0) {
                reportViolation(
                    `${describe(bucket.resource)} has no public access block. Add an aws.s3.BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.`,
                    bucket.resource.urn,
                );
            }
        }
        for (const r of [...(view.settings.get("policy") ?? []), ...view.buckets.map((b) => b.resource)]) {
            const document = prop(r.props, "policy");
            if (document !== undefined && allowsAnyone(document)) {
                reportViolation(
                    `${describe(r)} has a bucket policy that allows anyone ("*") without a condition. Name the principals, or add a condition such as aws:SourceVpce or aws:PrincipalOrgID.`,
                    r.urn,
                );
            }
        }
    },
};

/** S3-01, S3-06 (and the public-access part of X-01). */
export const blockBucketPublicAccess: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: [
        "S3-01",
        "S3-06",
        "X-01",
        "S3.1",
        "S3.2",
        "S3.3",
        "S3.6",
        "S3.8",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "CKV2_AWS_6",
        "CKV_AWS_70",
        "AVD-AWS-0086",
        "AVD-AWS-0087",
        "AVD-AWS-0091",
        "AVD-AWS-0093",
        "AVD-AWS-0094",
    ],
};
