/**
 * A hardened S3 bucket built from the separate @pulumi/aws v7 settings resources: default encryption,
 * versioning, a public access block with all four flags, ACLs disabled, a TLS-only bucket policy (plus
 * the bucket's own grants), lifecycle rules, server access logging and optional object lock.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../policyDocument";
import { S3_ACCESS_LOG_PREFIX, bucketPolicy } from "./bucketPolicies";

/** Default encryption: SSE-KMS with a customer-managed key and S3 Bucket Keys, or SSE-S3. */
export type BucketEncryption =
    | { readonly kmsKeyArn: pulumi.Input<string> }
    /** SSE-S3 (AES256): only for buckets that receive S3 server access logs or ALB logs, which cannot be delivered to SSE-KMS buckets. */
    | "AES256";

/** What the bucket's lifecycle does. */
export interface BucketLifecycle {
    /** Move current objects to Standard-IA after this many days. */
    readonly infrequentAccessAfterDays?: number;
    /** Expire current objects after this many days (log buckets); otherwise only expired delete markers are removed. */
    readonly expireAfterDays?: number;
    /** Days a noncurrent version is kept. */
    readonly noncurrentVersionDays: number;
    /** Days before an incomplete multipart upload is aborted. */
    readonly abortIncompleteUploadDays: number;
}

/**
 * The lifecycle rules of a bucket: one rule over the whole bucket that moves objects to cheaper storage
 * (when asked), expires them or their expired delete markers, expires noncurrent versions and aborts
 * incomplete multipart uploads.
 */
export function lifecycleRules(lifecycle: BucketLifecycle): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    return [
        {
            id: "storage-class-and-expiry",
            status: "Enabled",
            filter: {},
            transitions:
                lifecycle.infrequentAccessAfterDays === undefined ? undefined : [{ days: lifecycle.infrequentAccessAfterDays, storageClass: "STANDARD_IA" }],
            // A days-based expiration also removes expired delete markers; without one, remove them explicitly.
            expiration: lifecycle.expireAfterDays === undefined ? { expiredObjectDeleteMarker: true } : { days: lifecycle.expireAfterDays },
            noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: lifecycle.abortIncompleteUploadDays },
        },
    ];
}

/** Arguments of {@link HardenedBucket}. */
export interface HardenedBucketArgs {
    /** Globally unique bucket name. */
    bucketName: pulumi.Input<string>;
    /** Default encryption. */
    encryption: BucketEncryption;
    /** Lifecycle of objects and versions. */
    lifecycle: BucketLifecycle;
    /** Grants beyond the TLS-only denials, given the bucket's ARN. Defaults to none. */
    policyStatements?: (bucketArn: string) => pulumi.Input<PolicyStatement[]>;
    /** The access-log bucket that receives this bucket's server access logs; omit only for an access-log bucket itself. */
    accessLogBucket?: HardenedBucket;
    /** Object Lock default retention; omit for no object lock. Object Lock can only be chosen when the bucket is created. */
    objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Tags of the bucket (the provider adds the stack's tags), at least `Name` and `purpose`. */
    tags: Readonly<Record<string, string>>;
    /** Pulumi `protect` on the bucket. */
    protect: boolean;
}

/** An S3 bucket with every hardening setting attached. */
export class HardenedBucket extends pulumi.ComponentResource {
    /** The bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** Its versioning: replication and object lock need it in place first. */
    public readonly versioning: aws.s3.BucketVersioning;
    /** Its bucket policy. */
    public readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: HardenedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:HardenedBucket", name, {}, opts);
        const child = { parent: this };
        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: args.bucketName,
                // Never empty a bucket of backups or logs to delete it: pulumi destroy fails instead.
                forceDestroy: false,
                objectLockEnabled: args.objectLock !== undefined,
                tags: { ...args.tags },
            },
            { parent: this, protect: args.protect },
        );
        // Settings resources name the bucket (a v7 bucket's id is its name too).
        const bucket = this.bucket.bucket;

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    args.encryption === "AES256"
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                        : {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.kmsKeyArn },
                              bucketKeyEnabled: true,
                          },
                ],
            },
            child,
        );
        this.versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        this.policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket,
                policy: this.bucket.arn.apply((arn) =>
                    pulumi.output(args.policyStatements?.(arn) ?? []).apply((statements) => JSON.stringify(bucketPolicy(arn, statements as PolicyStatement[]))),
                ),
            },
            // S3 aborts a policy change that races a public-access-block change on the same bucket.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { bucket, rules: lifecycleRules(args.lifecycle) },
            // S3 refuses noncurrent-version rules on a bucket whose versioning it has not seen yet.
            { parent: this, dependsOn: [this.versioning] },
        );
        if (args.accessLogBucket !== undefined) {
            new aws.s3.BucketLogging(
                `${name}-access-logs`,
                {
                    bucket,
                    targetBucket: args.accessLogBucket.bucket.bucket,
                    targetPrefix: S3_ACCESS_LOG_PREFIX,
                    // <prefix><account>/<region>/<bucket>/<yyyy>/<mm>/<dd>/: per-bucket, per-day keys for Athena.
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                },
                // Delivery starts at once: the target's policy must already admit the S3 logging service.
                { parent: this, dependsOn: [args.accessLogBucket.policy] },
            );
        }
        if (args.objectLock !== undefined) {
            new aws.s3.BucketObjectLockConfiguration(
                `${name}-object-lock`,
                { bucket, rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
                { parent: this, dependsOn: [this.versioning] },
            );
        }
        this.registerOutputs({ bucketName: this.bucket.bucket, bucketArn: this.bucket.arn });
    }
}
