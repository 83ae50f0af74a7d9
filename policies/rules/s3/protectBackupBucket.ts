import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { asString, asStrings, at, describe, knownTags, prop } from "../../lib/values";

interface Settings {
    backupPurposes?: string[];
}

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-backup-protection",
    description:
        "Recommended for backup buckets (tagged purpose=backups): object lock (objectLockEnabled and a BucketObjectLockConfiguration), a BucketReplicationConfig copying to another region, and MFA delete on versioning (or, since only the root user can turn MFA delete on, an object-lock default retention), so neither a mistake nor a stolen credential can erase the backups. Advisory, in prod only.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            backupPurposes: {
                type: "array",
                items: { type: "string" },
                default: ["backups"],
                description: "Values of the purpose tag that mark a backup bucket.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const purposes = asStrings(args.getConfig<Settings>().backupPurposes ?? ["backups"]);
        for (const bucket of bucketView(args.resources).buckets) {
            const purpose = knownTags(bucket.resource.props).purpose;
            if (purpose === undefined || !purposes.includes(purpose)) {
                continue;
            }
            const props = bucket.resource.props;
            const b = describe(bucket.resource);
            if (
                prop(props, "objectLockEnabled") !== true ||
                (settingsOf(bucket, "objectLock").length === 0 && prop(props, "objectLockConfiguration") === undefined)
            ) {
                reportViolation(
                    `${b} holds backups without object lock. Set objectLockEnabled: true (at creation) and add an aws.s3.BucketObjectLockConfiguration with a default retention.`,
                    bucket.resource.urn,
                );
            }
            if (settingsOf(bucket, "replication").length === 0 && prop(props, "replicationConfiguration") === undefined) {
                reportViolation(
                    `${b} holds backups in one region only. Add an aws.s3.BucketReplicationConfig to a bucket in another region.`,
                    bucket.resource.urn,
                );
            }
            // MFA delete can only be turned on by the root user with its MFA device, never by a deployment;
            // object lock with a default retention protects the versions as well, so it counts instead.
            const mfaDelete =
                settingsOf(bucket, "versioning").some((v) => asString(at(v.props, "versioningConfiguration", "mfaDelete")) === "Enabled") ||
                at(props, "versioning", "mfaDelete") === true;
            const lockRetention =
                settingsOf(bucket, "objectLock").some((l) => at(l.props, "rule", "defaultRetention") !== undefined) ||
                at(props, "objectLockConfiguration", "rule", "defaultRetention") !== undefined;
            if (!mfaDelete && !lockRetention) {
                reportViolation(
                    `${b} holds backups whose versions can be deleted. Give its BucketObjectLockConfiguration a default retention, or enable versioningConfiguration.mfaDelete (with the root account's MFA device).`,
                    bucket.resource.urn,
                );
            }
        }
    },
};

/** S3-09; advisory in prod, off in dev. */
export const protectBackupBucket: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "disabled" },
    sources: ["S3-09", "S3.15", "S3.7", "S3.20"],
    partial: ["CKV_AWS_143", "CKV_AWS_144", "AVD-AWS-0170"],
};
