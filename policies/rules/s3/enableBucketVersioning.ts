import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { asString, at, describe } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-versioning",
    description: 'Every S3 bucket keeps object versions (a BucketVersioning with status "Enabled"), so an overwrite or a deletion can be undone.',
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketView(args.resources).buckets) {
            const separate = settingsOf(bucket, "versioning");
            if (separate.length === 0) {
                if (at(bucket.resource.props, "versioning", "enabled") !== true) {
                    reportViolation(
                        `${describe(bucket.resource)} does not keep object versions. Add an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".`,
                        bucket.resource.urn,
                    );
                }
                continue;
            }
            for (const v of separate) {
                const status = asString(at(v.props, "versioningConfiguration", "status"));
                if (status !== "Enabled") {
                    reportViolation(
                        `${describe(v)} sets versioning of ${describe(bucket.resource)} to ${JSON.stringify(status ?? null)}. Set versioningConfiguration.status "Enabled".`,
                        v.urn,
                    );
                }
            }
        }
    },
};

/** S3-03 (the versioning part of X-01). */
export const enableBucketVersioning: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["S3-03", "X-01", "S3.14", "CKV_AWS_21", "AVD-AWS-0090"],
};
