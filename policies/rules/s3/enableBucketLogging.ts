import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { LOG_BUCKET_TAG, bucketView, settingsOf } from "../../lib/s3";
import { describe, isSetRef, peek } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-logging",
    description: `Every S3 bucket writes server access logs (a BucketLogging with a targetBucket), except the access-log buckets themselves (the targets of logging, or tagged ${LOG_BUCKET_TAG.key}=${LOG_BUCKET_TAG.value}).`,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketView(args.resources).buckets) {
            if (bucket.logTarget !== undefined) {
                continue;
            }
            const separate = settingsOf(bucket, "logging");
            if (separate.length === 0 && !isSetRef(peek(bucket.resource.props, "logging", "targetBucket"))) {
                reportViolation(
                    `${describe(bucket.resource)} writes no server access logs. Add an aws.s3.BucketLogging for it with targetBucket set to the access-log bucket.`,
                    bucket.resource.urn,
                );
            }
            for (const logging of separate) {
                if (!isSetRef(peek(logging.props, "targetBucket"))) {
                    reportViolation(`${describe(logging)} has no targetBucket. Set targetBucket to the access-log bucket.`, logging.urn);
                }
            }
        }
    },
};

/** S3-04 (the logging part of X-01); the log bucket itself is exempt. */
export const enableBucketLogging: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["S3-04", "X-01", "S3.9"],
    partial: ["CKV_AWS_18", "AVD-AWS-0089"],
};
