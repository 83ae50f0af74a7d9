/**
 * Pure policy documents of the data tier's buckets and roles: the TLS-only bucket policy, the log
 * delivery grants of the access-log buckets, the replication role and the RDS Proxy role.
 */
import { elbLogDeliveryPrincipal, viaService } from "../partitions";
import { policyDocument, type AccountContext, type PolicyDocument, type PolicyStatement } from "../policyDocument";

/** S3 server access logs are delivered under this prefix of an access-log bucket. */
export const S3_ACCESS_LOG_PREFIX = "s3/";
/** Application load balancer access logs go under this prefix of the access-log bucket. */
export const ALB_ACCESS_LOG_PREFIX = "alb";

/** The service principal that delivers S3 server access logs (the same name in every partition). */
export const S3_LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com";
export { ELB_LOG_DELIVERY_SERVICE } from "../partitions";

/**
 * The statements every bucket policy starts with: deny any request that is not over TLS, or over a TLS
 * version older than 1.2, whoever makes it.
 */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
    const resources = [bucketArn, `${bucketArn}/*`];
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": false } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

/** A bucket's policy: the TLS-only denials, then the bucket's own grants. */
export function bucketPolicy(bucketArn: string, statements: readonly PolicyStatement[] = []): PolicyDocument {
    return policyDocument(...tlsOnlyStatements(bucketArn), ...statements);
}

/** What an access-log bucket receives. */
export interface LogDeliverySources {
    /** ARNs of the buckets whose server access logs it receives (same region and account). */
    readonly sourceBucketArns: readonly string[];
    /** Also receive the logs of the account's application load balancers, under {@link ALB_ACCESS_LOG_PREFIX}. */
    readonly albLogs: boolean;
}

/**
 * The grants of an access-log bucket: S3 log delivery for the listed source buckets of this account,
 * and (when asked) ELB log delivery for this account's load balancers, each limited to its prefix.
 * Nothing else is allowed to write.
 */
export function logDeliveryStatements(logBucketArn: string, ctx: AccountContext, sources: LogDeliverySources): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (sources.sourceBucketArns.length > 0) {
        statements.push({
            Sid: "AllowS3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: S3_LOG_DELIVERY_SERVICE },
            Action: "s3:PutObject",
            Resource: `${logBucketArn}/${S3_ACCESS_LOG_PREFIX}*`,
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ArnLike: { "aws:SourceArn": [...sources.sourceBucketArns] },
            },
        });
    }
    if (sources.albLogs) {
        // Exactly AWS's statement (ELB User Guide, "Enable access logs for your Application Load Balancer",
        // step 2): the regional ELB account in regions opened before August 2022, the log delivery service in
        // newer ones, and no condition: AWS documents none for ELB log delivery, and one the delivery request
        // does not carry (aws:SourceAccount from the ELB account) would silently drop every log. The
        // account's own prefix in the resource is what limits it to this account's load balancers.
        statements.push({
            Sid: "AllowElbAccessLogDelivery",
            Effect: "Allow",
            Principal: elbLogDeliveryPrincipal(ctx.region),
            Action: "s3:PutObject",
            Resource: `${logBucketArn}/${ALB_ACCESS_LOG_PREFIX}/AWSLogs/${ctx.accountId}/*`,
        });
    }
    return statements;
}

/** The two sides of a cross-region replication. */
export interface ReplicationPeers {
    /** Source bucket ARN. */
    readonly sourceBucketArn: string;
    /** KMS key of the source bucket. */
    readonly sourceKeyArn: string;
    /** Region of the source bucket. */
    readonly sourceRegion: string;
    /** Destination bucket ARN. */
    readonly replicaBucketArn: string;
    /** KMS key of the destination bucket. */
    readonly replicaKeyArn: string;
    /** Region of the destination bucket. */
    readonly replicaRegion: string;
}

/**
 * The permissions of the S3 replication role: read the source bucket's versions, write replicas to the
 * destination bucket, decrypt with the source key and encrypt with the destination key, each only
 * through S3 in its region and only for objects of that bucket. With S3 Bucket Keys the encryption
 * context is the bucket ARN instead of the object ARN, so both are allowed.
 */
export function replicationRolePolicy(p: ReplicationPeers): PolicyDocument {
    const context = (bucketArn: string) => ({ "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] });
    return policyDocument(
        {
            Sid: "ReadReplicationConfigurationOfTheSource",
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            Resource: p.sourceBucketArn,
        },
        {
            Sid: "ReadSourceObjectVersions",
            Effect: "Allow",
            Action: [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
                "s3:GetObjectRetention",
                "s3:GetObjectLegalHold",
            ],
            Resource: `${p.sourceBucketArn}/*`,
        },
        {
            Sid: "WriteReplicas",
            Effect: "Allow",
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
            Resource: `${p.replicaBucketArn}/*`,
        },
        {
            Sid: "DecryptSourceObjects",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: p.sourceKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": viaService("s3", p.sourceRegion) },
                StringLike: context(p.sourceBucketArn),
            },
        },
        {
            Sid: "EncryptReplicas",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Resource: p.replicaKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": viaService("s3", p.replicaRegion) },
                StringLike: context(p.replicaBucketArn),
            },
        },
    );
}

/**
 * The permissions of the RDS Proxy role: read the one secret that holds the master credentials, and
 * decrypt it with its key only through Secrets Manager in the stack's region.
 */
export function proxySecretPolicy(secretArn: string, keyArn: string, region: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "ReadTheMasterUserSecret",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: secretArn,
        },
        {
            Sid: "DecryptTheSecretThroughSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager", region) } },
        },
    );
}
