import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { asNumber, asString, at, describe, prop, records } from "../../lib/values";

/** What the enabled lifecycle rules of a bucket cover. */
function coverage(rules: Record<string, unknown>[], inline: boolean) {
    const enabled = rules.filter((r) => (inline ? prop(r, "enabled") === true : asString(prop(r, "status")) === "Enabled"));
    return {
        abortsUploads: enabled.some(
            (r) =>
                asNumber(inline ? prop(r, "abortIncompleteMultipartUploadDays") : at(r, "abortIncompleteMultipartUpload", "daysAfterInitiation")) !== undefined,
        ),
        expiresVersions: enabled.some(
            (r) => asNumber(inline ? at(r, "noncurrentVersionExpiration", "days") : at(r, "noncurrentVersionExpiration", "noncurrentDays")) !== undefined,
        ),
    };
}

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-lifecycle",
    description:
        "Recommended for every S3 bucket: an enabled lifecycle rule that aborts incomplete multipart uploads and one that expires noncurrent versions, so versioned backups do not grow without bound. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketView(args.resources).buckets) {
            const separate = settingsOf(bucket, "lifecycle");
            const rules =
                separate.length > 0 ? separate.flatMap((l) => records(prop(l.props, "rules"))) : records(prop(bucket.resource.props, "lifecycleRules"));
            const { abortsUploads, expiresVersions } = coverage(rules, separate.length === 0);
            const missing = [abortsUploads ? "" : "aborts incomplete multipart uploads", expiresVersions ? "" : "expires noncurrent versions"].filter(Boolean);
            if (missing.length > 0) {
                reportViolation(
                    `${describe(bucket.resource)} has no enabled lifecycle rule that ${missing.join(" or that ")}. Add an aws.s3.BucketLifecycleConfiguration with abortIncompleteMultipartUpload.daysAfterInitiation and noncurrentVersionExpiration.noncurrentDays.`,
                    bucket.resource.urn,
                );
            }
        }
    },
};

/** S3-08; advisory in every stack. */
export const configureBucketLifecycle: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["S3-08", "S3.10", "S3.13", "CKV2_AWS_61", "CKV_AWS_300"],
};
