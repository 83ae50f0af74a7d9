/**
 * Synthetic S3 graphs: a bucket and its settings resources, joined through property dependencies of
 * `bucket` (as the program's are), in the v7 shape or with the deprecated `…V2` twins.
 */
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { resource } from "../check";
import { KEY_ARN } from "../fixtures";

/** The settings a fully configured bucket has, by kind. */
export type Kind = "publicAccessBlock" | "encryption" | "versioning" | "logging" | "ownership" | "policy" | "lifecycle" | "objectLock" | "replication";

const TYPES: Record<Kind, [string, string?]> = {
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    objectLock: [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
};

/** A policy that denies plain HTTP. */
export const TLS_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyPlainHttp",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
});

/** Compliant settings of a backups bucket (SSE-KMS) or of an access-log bucket (SSE-S3). */
export function settingsProps(kind: Kind, logBucket = false): Record<string, unknown> {
    switch (kind) {
        case "publicAccessBlock":
            return { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        case "encryption":
            return logBucket
                ? { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }
                : { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }] };
        case "versioning":
            return { versioningConfiguration: { status: "Enabled" } };
        case "logging":
            return { targetBucket: "logs", targetPrefix: "s3/" };
        case "ownership":
            return { rule: { objectOwnership: "BucketOwnerEnforced" } };
        case "policy":
            return { policy: TLS_POLICY };
        case "lifecycle":
            return {
                rules: [
                    {
                        id: "tidy",
                        status: "Enabled",
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        noncurrentVersionExpiration: { noncurrentDays: 90 },
                    },
                ],
            };
        case "objectLock":
            return { rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } };
        case "replication":
            return {
                role: "arn:aws:iam::123456789012:role/replication",
                rules: [{ id: "all", status: "Enabled", destination: { bucket: "arn:aws:s3:::replica" } }],
            };
    }
}

/** Options of {@link bucketGraph}. */
export interface GraphOptions {
    /** Bucket type token (default Bucket). */
    readonly bucketType?: string;
    /** Use the deprecated `…V2` settings types where they exist. */
    readonly v2?: boolean;
    /** Settings to leave out. */
    readonly without?: readonly Kind[];
    /** Settings to override (props merged over the compliant ones). */
    readonly override?: Partial<Record<Kind, Record<string, unknown>>>;
    /** Extra bucket props (tags, inline settings). */
    readonly bucket?: Record<string, unknown>;
    /** The bucket is an access-log bucket (SSE-S3, no logging of its own). */
    readonly logBucket?: boolean;
    /** Settings to include beyond the defaults. */
    readonly with?: readonly Kind[];
}

/** A bucket named `name` with its settings; the bucket name is an unknown output, so only dependencies join them. */
export function bucketGraph(name: string, options: GraphOptions = {}): PolicyInput[] {
    const bucket = resource(options.bucketType ?? "aws:s3/bucket:Bucket", name, { bucket: Unknown.instance, ...options.bucket });
    const kinds: Kind[] = [
        "publicAccessBlock",
        "encryption",
        "versioning",
        "ownership",
        "policy",
        "lifecycle",
        ...(options.logBucket ? [] : (["logging"] as Kind[])),
        ...(options.with ?? []),
    ];
    const settings = kinds
        .filter((k) => !(options.without ?? []).includes(k))
        .map((kind) => {
            const [type, v2] = TYPES[kind];
            return resource(
                options.v2 && v2 ? v2 : type,
                `${name}-${kind}`,
                { bucket: Unknown.instance, ...settingsProps(kind, options.logBucket), ...options.override?.[kind] },
                { propertyDependencies: { bucket: [bucket.urn] } },
            );
        });
    return [bucket, ...settings];
}

/** An access-log bucket `logs`, target of the `logging` settings of the other buckets (joined by its name). */
export function logBucket(): PolicyInput[] {
    return bucketGraph("logs", { logBucket: true, bucket: { bucket: "logs" } });
}
