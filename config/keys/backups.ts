/**
 * Config keys of the S3 backup bucket (Velero backups, database exports): storage classes, version
 * expiry, cross-region replication and object lock.
 */
import { integer, text } from "../fields";

/** Object-lock modes; `none` leaves object lock off. */
export const OBJECT_LOCK_MODES = ["none", "GOVERNANCE", "COMPLIANCE"] as const;
/** One of {@link OBJECT_LOCK_MODES}. */
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

/** An AWS region name (the same shape `aws:region` is checked against). */
export const REGION_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The backup keys. */
export const backupKeys = {
    "backups.replicaRegion": text<string>({
        description:
            "Region of the cross-region replica of the backup bucket (its own bucket, KMS key and access-log bucket there). Empty: no replication. prod requires a region other than aws:region; it must be in the same partition (S3 replication does not cross partitions).",
        default: "",
        check: (value) =>
            value === "" || REGION_NAME.test(value) ? undefined : 'is not an AWS region name; expected a name such as "eu-central-1", or "" for no replica',
    }),
    "backups.infrequentAccessAfterDays": integer({
        description: "Days after which backup objects move to S3 Standard-IA (S3 requires at least 30).",
        default: 30,
        min: 30,
        max: 3650,
    }),
    "backups.noncurrentVersionDays": integer({
        description: "Days a deleted or overwritten backup object stays recoverable as a noncurrent version before it expires.",
        default: 90,
        min: 1,
        max: 3650,
    }),
    "backups.objectLockMode": text({
        description:
            "S3 Object Lock default retention of the backup bucket (and its replica): GOVERNANCE (privileged users can lift it), COMPLIANCE (nobody can, not even root) or none. Changing it from none replaces the buckets.",
        default: "none",
        oneOf: OBJECT_LOCK_MODES,
    }),
    "backups.objectLockDays": integer({
        description: "Days every new backup object is locked against deletion and overwrite when backups.objectLockMode is not none.",
        default: 30,
        min: 1,
        max: 3650,
    }),
};
