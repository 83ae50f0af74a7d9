/**
 * The S3 backup bucket (Velero backups, database exports) with its access-log bucket, and in stacks with
 * a replica region, its cross-region replica.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupsConfig } from "../../config";
import type { AccountContext } from "../policyDocument";
import { BackupReplica } from "./backupReplica";
import { logDeliveryStatements } from "./bucketPolicies";
import { HardenedBucket, type BucketLifecycle } from "./hardenedBucket";

/** Days before an incomplete multipart upload is aborted, in every bucket. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * A bucket name unique across AWS: `<namePrefix>-<role>-<account>-<region>`. Account and region make it
 * unique without random suffixes, so it is known before the bucket exists (log-delivery policies name it).
 */
export function bucketName(namePrefix: string, role: string, ctx: AccountContext): string {
    return `${namePrefix}-${role}-${ctx.accountId}-${ctx.region}`;
}

/** The ARN of a bucket from its name. */
export function bucketArn(name: string, partition: string): string {
    return `arn:${partition}:s3:::${name}`;
}

/** Arguments of {@link BackupStorage}. */
export interface BackupStorageArgs extends BackupsConfig {
    /** Prefix of bucket names and Name tags. */
    namePrefix: string;
    /** Account, region and partition of the stack. */
    account: pulumi.Input<AccountContext>;
    /** The stack's `backups` KMS key (SSE-KMS of the backup bucket). */
    backupsKeyArn: pulumi.Input<string>;
    /** Days the access logs are kept. */
    logRetentionDays: number;
    /** Days before a deleted KMS key (the replica's) is destroyed. */
    kmsDeletionWindowDays: number;
    /** The AWS provider of `replicaRegion`; required when `replicaRegion` is set. */
    replicaProvider?: aws.Provider;
    /** Pulumi `protect` on the buckets and the replica key. */
    protect: boolean;
}

/** The backup bucket, its access-log bucket and its replica. */
export class BackupStorage extends pulumi.ComponentResource {
    /** The backup bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** The access-log bucket of the region: S3 server access logs under `s3/`, ALB access logs under `alb/`. */
    public readonly accessLogBucket: aws.s3.Bucket;
    /** The replica, in stacks with a replica region. */
    public readonly replica?: BackupReplica;

    constructor(name: string, args: BackupStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:BackupStorage", name, {}, opts);
        if (args.replicaRegion !== undefined && args.replicaProvider === undefined) {
            throw new pulumi.InputPropertyError({
                propertyPath: "replicaProvider",
                reason: `a provider for the replica region ${args.replicaRegion} is required`,
            });
        }
        const account = pulumi.output(args.account);
        const names = account.apply((ctx) => ({
            backups: bucketName(args.namePrefix, "backups", ctx),
            logs: bucketName(args.namePrefix, "access-logs", ctx),
            replica: args.replicaRegion === undefined ? "" : bucketName(args.namePrefix, "backups", { ...ctx, region: args.replicaRegion }),
            replicaLogs: args.replicaRegion === undefined ? "" : bucketName(args.namePrefix, "access-logs", { ...ctx, region: args.replicaRegion }),
        }));
        const logLifecycle: BucketLifecycle = {
            expireAfterDays: args.logRetentionDays,
            noncurrentVersionDays: 1,
            abortIncompleteUploadDays: ABORT_INCOMPLETE_UPLOAD_DAYS,
        };

        const logs = new HardenedBucket(
            `${name}-access-logs`,
            {
                bucketName: names.logs,
                // S3 server access logs and ALB access logs cannot be delivered to an SSE-KMS bucket.
                encryption: "AES256",
                lifecycle: logLifecycle,
                policyStatements: (arn) =>
                    pulumi
                        .all([account, names.backups])
                        .apply(([ctx, backups]) => logDeliveryStatements(arn, ctx, { sourceBucketArns: [bucketArn(backups, ctx.partition)], albLogs: true })),
                tags: { Name: `${args.namePrefix}-access-logs`, purpose: "access-logs" },
                protect: args.protect,
            },
            { parent: this },
        );
        this.accessLogBucket = logs.bucket;

        const backups = new HardenedBucket(
            `${name}-backups`,
            {
                bucketName: names.backups,
                encryption: { kmsKeyArn: args.backupsKeyArn },
                lifecycle: {
                    infrequentAccessAfterDays: args.infrequentAccessAfterDays,
                    noncurrentVersionDays: args.noncurrentVersionDays,
                    abortIncompleteUploadDays: ABORT_INCOMPLETE_UPLOAD_DAYS,
                },
                accessLogBucket: logs,
                objectLock: args.objectLock,
                tags: { Name: `${args.namePrefix}-backups`, purpose: "backups" },
                protect: args.protect,
            },
            { parent: this },
        );
        this.bucket = backups.bucket;

        if (args.replicaRegion !== undefined && args.replicaProvider !== undefined) {
            this.replica = new BackupReplica(
                `${name}-replica`,
                {
                    namePrefix: args.namePrefix,
                    account: args.account,
                    replicaRegion: args.replicaRegion,
                    provider: args.replicaProvider,
                    sourceBucket: backups.bucket,
                    sourceVersioning: backups.versioning,
                    sourceKeyArn: args.backupsKeyArn,
                    replicaBucketName: names.replica,
                    logBucketName: names.replicaLogs,
                    // Objects arrive in Standard-IA already; only versions and uploads need a lifecycle.
                    lifecycle: { noncurrentVersionDays: args.noncurrentVersionDays, abortIncompleteUploadDays: ABORT_INCOMPLETE_UPLOAD_DAYS },
                    logLifecycle,
                    objectLock: args.objectLock,
                    kmsDeletionWindowDays: args.kmsDeletionWindowDays,
                    protect: args.protect,
                },
                { parent: this },
            );
        }
        this.registerOutputs({
            backupBucketName: this.bucket.bucket,
            accessLogBucketName: this.accessLogBucket.bucket,
            replicaBucketName: this.replica?.bucket.bucket,
        });
    }
}
