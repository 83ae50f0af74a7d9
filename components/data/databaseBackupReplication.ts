/**
 * Cross-region replication of the database's automated backups: RDS copies every snapshot and the
 * transaction logs to the replica region as soon as they are ready, so that the instance can be
 * restored to a point in time there when the home region is lost (docs/runbooks/disaster-recovery.md).
 * A customer-managed key in the replica region encrypts the copies; an EventBridge rule pages the data
 * tier's alarm topic when RDS reports a replication event of the instance (stopped, failed).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy } from "../keys";
import type { AccountContext } from "../policyDocument";

/** The suffix of the EventBridge rule's name, and its section in docs/runbooks/alerts.md. */
export const BACKUP_REPLICATION_ALERT = "database-backup-replication";

/** Arguments of {@link DatabaseBackupReplication}. */
export interface DatabaseBackupReplicationArgs {
    /** Prefix of names and aliases. */
    namePrefix: string;
    /** Account of the stack; its region is the home region. */
    account: pulumi.Input<AccountContext>;
    /** The region the backups are replicated to (`backups.replicaRegion`). */
    replicaRegion: string;
    /** The AWS provider of the replica region (same account and default tags). */
    replicaProvider: aws.Provider;
    /** The source instance. */
    instance: aws.rds.Instance;
    /** Days the replicated backups are kept. */
    retentionDays: number;
    /** The data tier's alarm topic (home region): replication events are published there. */
    alarmTopicArn: pulumi.Input<string>;
    /** Days before a deleted KMS key is destroyed. */
    kmsDeletionWindowDays: number;
    /** Pulumi `protect` on the key and the replication. */
    protect: boolean;
}

/**
 * The EventBridge pattern of the instance's backup events that are about replication. RDS puts the
 * replication of automated backups in the instance's `backup` event category; the message names the
 * replication, so a wildcard on it keeps the daily "backing up" and "finished backup" events out.
 */
export function replicationEventPattern(instanceIdentifier: string): Record<string, unknown> {
    return {
        source: ["aws.rds"],
        "detail-type": ["RDS DB Instance Event"],
        detail: {
            SourceIdentifier: [instanceIdentifier],
            EventCategories: ["backup"],
            Message: [{ wildcard: "*eplicat*" }],
        },
    };
}

/** The replica region's key, the replication, and the alarm on its events. */
export class DatabaseBackupReplication extends pulumi.ComponentResource {
    /** The replica region's key of the replicated backups (a restore there keeps it). */
    public readonly key: aws.kms.Key;
    /** The replication; its id is the ARN of the replicated automated backups. */
    public readonly replication: aws.rds.InstanceAutomatedBackupsReplication;

    constructor(name: string, args: DatabaseBackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DatabaseBackupReplication", name, {}, opts);
        const inReplicaRegion = { parent: this, provider: args.replicaProvider };
        const replicaAccount = pulumi.output(args.account).apply((ctx) => ({ ...ctx, region: args.replicaRegion }));

        // Like the home keys: the account administers it and delegates use to IAM. RDS encrypts the copies
        // with the caller's permissions (kms:ViaService), so no service statement is needed.
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${args.namePrefix} database backups in ${args.replicaRegion}: replicated RDS automated backups`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.kmsDeletionWindowDays,
                isEnabled: true,
                bypassPolicyLockoutSafetyCheck: false,
                policy: replicaAccount.apply((ctx) => JSON.stringify(keyPolicy("backups", ctx))),
                tags: { Name: `${args.namePrefix}-database-backups-replica`, purpose: "backups" },
            },
            { ...inReplicaRegion, protect: args.protect },
        );
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}-database-backups-replica`, targetKeyId: this.key.keyId }, inReplicaRegion);

        // Made in the destination region (the provider signs the source region's request itself).
        this.replication = new aws.rds.InstanceAutomatedBackupsReplication(
            `${name}-replication`,
            { sourceDbInstanceArn: args.instance.arn, kmsKeyId: this.key.arn, retentionPeriod: args.retentionDays },
            { ...inReplicaRegion, protect: args.protect },
        );

        // RDS emits the instance's events in the home region: the rule and the topic are there.
        const rule = new aws.cloudwatch.EventRule(
            `${name}-events`,
            {
                name: `${args.namePrefix}-${BACKUP_REPLICATION_ALERT}`,
                description: `Backup replication events of ${args.namePrefix}-postgres (stopped, failed): replicated backups may be falling behind`,
                eventPattern: args.instance.identifier.apply((identifier) => JSON.stringify(replicationEventPattern(identifier))),
            },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(`${name}-events-to-alarms`, { rule: rule.name, arn: args.alarmTopicArn }, { parent: this });

        this.registerOutputs({ replicatedBackupsArn: this.replication.id, keyArn: this.key.arn });
    }
}
