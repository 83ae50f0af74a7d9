/**
 * Config keys of a stack created from another stack's backups after the loss of its region
 * (docs/runbooks/disaster-recovery.md): the database from the replicated automated backups, the
 * application namespaces from the replicated Velero bucket. Off by default: a stack starts empty.
 */
import { flag, integer, text } from "../fields";
import { REGION_NAME } from "./backups";

/** The ARN of replicated automated backups, as RDS prints it (`aws rds describe-db-instance-automated-backups`). */
export const AUTOMATED_BACKUPS_ARN = /^arn:(aws|aws-cn|aws-us-gov):rds:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):auto-backup:ab-[a-z0-9]+$/;
/** The ARN of a KMS key (not an alias: RDS and S3 record the key itself). */
export const KMS_KEY_ARN =
    /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):key\/[0-9a-f-]{36}$|^arn:(aws|aws-cn|aws-us-gov):kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):key\/mrk-[0-9a-f]{32}$/;
/** A restore time: `latest`, or a UTC instant to the second. */
export const RESTORE_TIME = /^latest$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** An S3 bucket name. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A Velero backup name (a Kubernetes object name). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A Pulumi stack name. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The restore keys. */
export const restoreKeys = {
    "restore.enabled": flag({
        description:
            "Create this stack from another stack's backups instead of empty (disaster recovery into this stack's aws:region): the database by point-in-time restore of the replicated automated backups, the application namespaces from the replicated Velero bucket. Keep the restore.* keys for the life of the stack: the restored database is never replaced when they change.",
        default: false,
    }),
    "restore.sourceStack": text<string>({
        description: "The stack being recovered (its Pulumi.<stack>.yaml stays in the repository), for example prod.",
        default: "",
        check: (value) => (value === "" || STACK_NAME.test(value) ? undefined : "is not a Pulumi stack name; expected letters, digits, -, _ or ."),
    }),
    "restore.sourceRegion": text<string>({
        description: "The region that was lost (the source stack's aws:region); must differ from this stack's aws:region.",
        default: "",
        check: (value) => (value === "" || REGION_NAME.test(value) ? undefined : 'is not an AWS region name; expected a name such as "eu-west-1"'),
    }),
    "restore.databaseAutomatedBackupsArn": text<string>({
        description:
            "ARN of the source database's replicated automated backups in this stack's region (the source stack's output databaseBackupReplicaArn, or aws rds describe-db-instance-automated-backups --region <this region>).",
        default: "",
        check: (value) =>
            value === "" || AUTOMATED_BACKUPS_ARN.test(value)
                ? undefined
                : "is not the ARN of replicated automated backups; expected arn:<partition>:rds:<region>:<account>:auto-backup:ab-<id>",
    }),
    "restore.databaseKeyArn": text<string>({
        description:
            "ARN of the KMS key the replicated automated backups are encrypted with (the source stack's output databaseBackupReplicaKeyArn); the restored instance stays encrypted with it, since a point-in-time restore cannot change the key.",
        default: "",
        check: (value) =>
            value === "" || KMS_KEY_ARN.test(value) ? undefined : "is not a KMS key ARN; expected arn:<partition>:kms:<region>:<account>:key/<key id>",
    }),
    "restore.databaseRestoreTime": text<string>({
        description:
            "The instant the database is restored to: latest (the latest restorable time, minutes behind the source) or a UTC time such as 2026-12-01T09:30:00Z inside the replicated backups' window (restore.windowDays).",
        default: "latest",
        pattern: RESTORE_TIME,
        expected: 'latest or a UTC time such as "2026-12-01T09:30:00Z"',
    }),
    "restore.windowDays": integer({
        description:
            "Days of replicated backups the source kept (its database.backupReplicationRetentionDays): a restore time older than that is outside the window.",
        default: 7,
        min: 1,
        max: 35,
    }),
    "restore.veleroBucket": text<string>({
        description:
            "The replicated Velero bucket in this stack's region (the source stack's output backupReplicaBucketName); Velero reads it through a read-only backup storage location named recovery.",
        default: "",
        check: (value) =>
            value === "" || BUCKET_NAME.test(value) ? undefined : "is not an S3 bucket name; expected 3 to 63 lowercase letters, digits, dots or hyphens",
    }),
    "restore.veleroPrefix": text<string>({
        description: "Prefix of the source cluster's Velero objects in that bucket: the source stack's cluster name (<project>-<stack>-eks).",
        default: "",
    }),
    "restore.veleroKeyArn": text<string>({
        description: "ARN of the KMS key of the replicated Velero bucket (alias/<project>-<stack>-backups-replica in this region).",
        default: "",
        check: (value) =>
            value === "" || KMS_KEY_ARN.test(value) ? undefined : "is not a KMS key ARN; expected arn:<partition>:kms:<region>:<account>:key/<key id>",
    }),
    "restore.veleroBackup": text<string>({
        description:
            "Name of the Velero backup whose application namespaces are restored (velero backup get, on the recovery location). Empty: the recovery location is created, nothing is restored.",
        default: "",
        check: (value) => (value === "" || OBJECT_NAME.test(value) ? undefined : "is not a Velero backup name; expected a Kubernetes object name"),
    }),
};
