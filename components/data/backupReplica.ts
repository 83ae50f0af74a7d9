/**
 * The cross-region copy of the backup bucket: a KMS key, an access-log bucket and a replica bucket in the
 * replica region (through the replica-region provider), and the replication rule on the source bucket
 * with a role that can touch only the two buckets and the two keys.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { replicaRegionBackupsKey } from "../keys";
import { serviceTrustPolicy, type AccountContext } from "../policyDocument";
import { logDeliveryStatements, replicationRolePolicy } from "./bucketPolicies";
import { HardenedBucket, type BucketLifecycle } from "./hardenedBucket";
import { servicePrincipal } from "../partitions";

/** Arguments of {@link BackupReplica}. */
export interface BackupReplicaArgs {
    /** Prefix of names and aliases. */
    namePrefix: string;
    /** Account and region of the source (the stack's region). */
    account: pulumi.Input<AccountContext>;
    /** Region of the replica; must differ from the source's. */
    replicaRegion: string;
    /** The AWS provider of the replica region (same account and default tags as the stack's provider). */
    provider: aws.Provider;
    /** The source bucket. */
    sourceBucket: aws.s3.Bucket;
    /** The source bucket's versioning: replication can only be configured once it is on. */
    sourceVersioning: aws.s3.BucketVersioning;
    /** KMS key of the source bucket. */
    sourceKeyArn: pulumi.Input<string>;
    /** Name of the replica bucket. */
    replicaBucketName: pulumi.Input<string>;
    /** Name of the replica region's access-log bucket. */
    logBucketName: pulumi.Input<string>;
    /** Lifecycle of the replica bucket. */
    lifecycle: BucketLifecycle;
    /** Lifecycle of the replica region's access-log bucket. */
    logLifecycle: BucketLifecycle;
    /** Object Lock of the replica (S3 requires it on the destination when the source has it). */
    objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Days before a deleted KMS key is destroyed. */
    kmsDeletionWindowDays: number;
    /** Pulumi `protect` on the buckets and the key. */
    protect: boolean;
}

/** The replica region's key and buckets, and the replication from the source bucket. */
export class BackupReplica extends pulumi.ComponentResource {
    /** The replica bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** The replica region's backups key. */
    public readonly key: aws.kms.Key;

    constructor(name: string, args: BackupReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:BackupReplica", name, {}, opts);
        const inReplicaRegion = { parent: this, provider: args.provider };
        const replicaAccount = pulumi.output(args.account).apply((ctx) => ({ ...ctx, region: args.replicaRegion }));

        this.key = replicaRegionBackupsKey(
            `${name}-key`,
            {
                description: `${args.namePrefix} backups replica in ${args.replicaRegion}: cross-region copy of the S3 backup bucket`,
                aliasName: `alias/${args.namePrefix}-backups-replica`,
                nameTag: `${args.namePrefix}-backups-replica`,
                account: replicaAccount,
                deletionWindowDays: args.kmsDeletionWindowDays,
                protect: args.protect,
            },
            inReplicaRegion,
        );

        const replicaBucketArn = pulumi.interpolate`arn:${pulumi.output(args.account).partition}:s3:::${args.replicaBucketName}`;
        const logs = new HardenedBucket(
            `${name}-access-logs`,
            {
                bucketName: args.logBucketName,
                // S3 server access logs cannot be delivered to an SSE-KMS bucket.
                encryption: "AES256",
                lifecycle: args.logLifecycle,
                policyStatements: (arn) =>
                    pulumi
                        .all([replicaAccount, replicaBucketArn])
                        .apply(([ctx, source]) => logDeliveryStatements(arn, ctx, { sourceBucketArns: [source], albLogs: false })),
                tags: { Name: `${args.namePrefix}-access-logs-replica`, purpose: "access-logs" },
                protect: args.protect,
            },
            inReplicaRegion,
        );
        const replica = new HardenedBucket(
            `${name}-bucket`,
            {
                bucketName: args.replicaBucketName,
                encryption: { kmsKeyArn: this.key.arn },
                lifecycle: args.lifecycle,
                accessLogBucket: logs,
                objectLock: args.objectLock,
                tags: { Name: `${args.namePrefix}-backups-replica`, purpose: "backups-replica" },
                protect: args.protect,
            },
            inReplicaRegion,
        );
        this.bucket = replica.bucket;

        // IAM is global: the role and its policy go through the stack's own provider.
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Replicates ${args.namePrefix} backups to ${args.replicaRegion}`,
                assumeRolePolicy: pulumi
                    .all([args.account, args.sourceBucket.arn])
                    .apply(([ctx, sourceArn]) => JSON.stringify(serviceTrustPolicy(servicePrincipal("s3", ctx.partition), ctx, sourceArn))),
            },
            { parent: this },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.account, args.sourceBucket.arn, args.sourceKeyArn, replica.bucket.arn, this.key.arn])
                    .apply(([ctx, sourceBucketArn, sourceKeyArn, replicaBucketArn, replicaKeyArn]) =>
                        JSON.stringify(
                            replicationRolePolicy({
                                sourceBucketArn,
                                sourceKeyArn,
                                sourceRegion: ctx.region,
                                replicaBucketArn,
                                replicaKeyArn,
                                replicaRegion: args.replicaRegion,
                            }),
                        ),
                    ),
            },
            { parent: this },
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                bucket: args.sourceBucket.bucket,
                role: role.arn,
                rules: [
                    {
                        id: "backups-to-replica-region",
                        status: "Enabled",
                        filter: {},
                        // Deletions by Velero replicate as delete markers; the replica keeps the noncurrent versions
                        // for as long as its lifecycle says. Permanent version deletions are never replicated.
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: replica.bucket.arn,
                            storageClass: "STANDARD_IA",
                            encryptionConfiguration: { replicaKmsKeyId: this.key.arn },
                        },
                    },
                ],
            },
            { parent: this, dependsOn: [args.sourceVersioning, replica.versioning, rolePolicy] },
        );
        this.registerOutputs({ replicaBucketName: replica.bucket.bucket, replicaKeyArn: this.key.arn });
    }
}
