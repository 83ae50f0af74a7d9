import { expect } from "chai";
import { ELB_LOG_DELIVERY_SERVICE, S3_LOG_DELIVERY_SERVICE, logDeliveryStatements, replicationRolePolicy } from "../../../components/data/bucketPolicies";
import { lifecycleRules } from "../../../components/data/hardenedBucket";
import { policyOf, type Plan, type RecordedResource } from "../../harness";
import { T, devPlan, keyArn, prodPlan, regionOf } from "./plans";

const S3 = {
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
} as const;

const ctx = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };
const purpose = (bucket: RecordedResource) => (bucket.inputs.tags as Record<string, string>).purpose;
const bucketByPurpose = (plan: Plan, p: string) => plan.ofType(T.bucket).find((b) => purpose(b) === p) as RecordedResource;
/** The settings resources of one type attached to a bucket. */
const settingsOf = (plan: Plan, type: string, bucket: RecordedResource) => plan.ofType(type).filter((s) => s.inputs.bucket === bucket.outputs.bucket);

describe("data tier: S3 backup bucket", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await devPlan();
        prod = await prodPlan();
    });

    it("has a backup bucket and an access-log bucket in dev; prod adds both again in the replica region", () => {
        expect(dev.ofType(T.bucket).map(purpose)).to.have.members(["backups", "access-logs"]);
        expect(prod.ofType(T.bucket).map(purpose)).to.have.members(["backups", "access-logs", "backups-replica", "access-logs"]);
        expect(dev.outputs.backupBucketName).to.equal("platform-dev-backups-123456789012-eu-west-1");
        expect(dev.outputs.accessLogBucketName).to.equal("platform-dev-access-logs-123456789012-eu-west-1");
        expect(prod.outputs.backupReplicaBucketName).to.equal("platform-prod-backups-123456789012-eu-central-1");
        expect(dev.outputs.backupReplicaBucketName).to.equal(null);
    });

    it("every bucket has exactly one of each settings resource, attached to it and made through the bucket's own provider", () => {
        for (const plan of [dev, prod]) {
            for (const bucket of plan.ofType(T.bucket)) {
                const isLogBucket = purpose(bucket) === "access-logs";
                const expected: [string, number][] = [
                    [S3.publicAccessBlock, 1],
                    [S3.ownership, 1],
                    [S3.encryption, 1],
                    [S3.versioning, 1],
                    [S3.policy, 1],
                    [S3.lifecycle, 1],
                    [S3.logging, isLogBucket ? 0 : 1],
                ];
                for (const [type, count] of expected) {
                    const found = settingsOf(plan, type, bucket);
                    expect(found, `${type} of ${bucket.name}`).to.have.length(count);
                    for (const setting of found) {
                        expect(setting.provider, `${setting.name}`).to.equal(bucket.provider);
                        expect(plan.dependsOn(setting, bucket), `${setting.name} depends on ${bucket.name}`).to.equal(true);
                    }
                }
            }
        }
    });

    it("blocks public access with all four flags and disables ACLs on every bucket", () => {
        for (const plan of [dev, prod]) {
            for (const pab of plan.ofType(S3.publicAccessBlock)) {
                expect(pab.inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            }
            for (const ownership of plan.ofType(S3.ownership)) {
                expect(ownership.inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
            }
            for (const bucket of plan.ofType(T.bucket)) {
                expect(bucket.inputs).to.include({ forceDestroy: false });
                expect(bucket.inputs).to.not.have.any.keys("acl", "policy", "serverSideEncryptionConfiguration", "versioning", "logging", "lifecycleRules");
            }
        }
    });

    it("encrypts backups with SSE-KMS and bucket keys (the backups key; the replica's own key), access logs with SSE-S3", () => {
        const rule = (plan: Plan, p: string) => (settingsOf(plan, S3.encryption, bucketByPurpose(plan, p))[0].inputs.rules as Record<string, unknown>[])[0];
        expect(rule(prod, "backups")).to.deep.equal({
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(prod, "backups") },
            bucketKeyEnabled: true,
        });
        const replicaKey = prod.get(T.key, "data-backups-replica-key");
        expect(rule(prod, "backups-replica")).to.deep.equal({
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: replicaKey.outputs.arn },
            bucketKeyEnabled: true,
        });
        for (const log of prod.ofType(T.bucket).filter((b) => purpose(b) === "access-logs")) {
            expect((settingsOf(prod, S3.encryption, log)[0].inputs.rules as unknown[])[0]).to.deep.equal({
                applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
            });
        }
    });

    it("versions every bucket, and each bucket's policy denies any request without TLS 1.2", () => {
        for (const bucket of prod.ofType(T.bucket)) {
            expect(settingsOf(prod, S3.versioning, bucket)[0].inputs.versioningConfiguration).to.deep.include({ status: "Enabled" });
            const policy = settingsOf(prod, S3.policy, bucket)[0];
            expect(prod.dependsOn(policy, settingsOf(prod, S3.publicAccessBlock, bucket)[0]), "policy after the public access block").to.equal(true);
            const [deny, denyOldTls] = policyOf(policy.inputs.policy).Statement;
            expect(deny).to.deep.equal({
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.outputs.arn, `${String(bucket.outputs.arn)}/*`],
                Condition: { Bool: { "aws:SecureTransport": false } },
            });
            expect(denyOldTls.Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
        }
    });

    it("lets only the log delivery services write to the access-log bucket: S3 for the backup bucket, ELB under alb/", () => {
        const logs = bucketByPurpose(prod, "access-logs");
        const backups = bucketByPurpose(prod, "backups");
        const allows = policyOf(settingsOf(prod, S3.policy, logs)[0].inputs.policy).Statement.filter((s) => s.Effect === "Allow");
        expect(allows).to.deep.equal(logDeliveryStatements(String(logs.outputs.arn), ctx, { sourceBucketArns: [String(backups.outputs.arn)], albLogs: true }));
        expect(allows).to.deep.equal([
            {
                Sid: "AllowS3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: S3_LOG_DELIVERY_SERVICE },
                Action: "s3:PutObject",
                Resource: `${String(logs.outputs.arn)}/s3/*`,
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": [backups.outputs.arn] } },
            },
            {
                // eu-west-1 opened before August 2022: AWS's statement names the region's ELB account, with no condition.
                Sid: "AllowElbAccessLogDelivery",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::156460612806:root" },
                Action: "s3:PutObject",
                Resource: `${String(logs.outputs.arn)}/alb/AWSLogs/123456789012/*`,
            },
        ]);
        expect(logs.inputs.tags).to.include({ purpose: "access-logs" });
    });

    it("in a region opened since August 2022 the ELB log delivery service writes the load balancer logs, with no condition", () => {
        const [elb] = logDeliveryStatements("arn:aws:s3:::logs", { ...ctx, region: "eu-south-2" }, { sourceBucketArns: [], albLogs: true });
        expect(elb).to.deep.equal({
            Sid: "AllowElbAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*",
        });
    });

    it("the backup bucket and its replica log to the access-log bucket of their own region; the backup bucket grants nobody", () => {
        for (const [source, region] of [
            ["backups", "eu-west-1"],
            ["backups-replica", "eu-central-1"],
        ] as const) {
            const bucket = bucketByPurpose(prod, source);
            const logging = settingsOf(prod, S3.logging, bucket)[0];
            const target = prod.ofType(T.bucket).find((b) => b.outputs.bucket === logging.inputs.targetBucket) as RecordedResource;
            expect(purpose(target)).to.equal("access-logs");
            expect(regionOf(prod, target)).to.equal(region);
            expect(regionOf(prod, bucket)).to.equal(region);
            expect(logging.inputs).to.deep.include({ targetPrefix: "s3/", targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } } });
            // Delivery starts at once, so the target must already admit the S3 logging service for this bucket.
            const targetPolicy = settingsOf(prod, S3.policy, target)[0];
            expect(prod.dependsOn(logging, targetPolicy)).to.equal(true);
            const grant = policyOf(targetPolicy.inputs.policy).Statement.filter((st) => st.Effect === "Allow");
            expect(
                grant.map((st) => [st.Principal, (st.Condition as Record<string, Record<string, unknown>> | undefined)?.ArnLike?.["aws:SourceArn"]]),
            ).to.deep.include([{ Service: S3_LOG_DELIVERY_SERVICE }, [bucket.outputs.arn]]);
            if (region === "eu-central-1") {
                // No load balancer logs in the replica region: S3 log delivery is the only writer.
                expect(grant).to.have.length(1);
            }
            const statements = policyOf(settingsOf(prod, S3.policy, bucket)[0].inputs.policy).Statement;
            expect(statements.filter((s) => s.Effect === "Allow")).to.deep.equal([]);
        }
    });

    it("moves backups to Standard-IA, expires noncurrent versions and aborts incomplete uploads; access logs expire with log retention", () => {
        const rules = (plan: Plan, p: string) => settingsOf(plan, S3.lifecycle, bucketByPurpose(plan, p))[0].inputs.rules;
        expect(rules(prod, "backups")).to.deep.equal(
            lifecycleRules({ infrequentAccessAfterDays: 30, noncurrentVersionDays: 90, abortIncompleteUploadDays: 7 }),
        );
        expect(rules(dev, "backups")).to.deep.equal([
            {
                id: "storage-class-and-expiry",
                status: "Enabled",
                filter: {},
                transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
                expiration: { expiredObjectDeleteMarker: true },
                noncurrentVersionExpiration: { noncurrentDays: 7 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ]);
        expect((rules(dev, "access-logs") as Record<string, unknown>[])[0]).to.deep.include({ expiration: { days: 14 } });
    });

    it("is protected from pulumi destroy in prod only", () => {
        expect(prod.ofType(T.bucket).every((b) => b.protect)).to.equal(true);
        expect(dev.ofType(T.bucket).some((b) => b.protect)).to.equal(false);
    });

    it("replicates only in prod, to a bucket in the replica region under its own rotating key there", () => {
        expect(dev.ofType(S3.replication)).to.deep.equal([]);
        expect(dev.ofType("pulumi:providers:aws")).to.have.length(1);
        const [replication] = prod.ofType(S3.replication);
        const backups = bucketByPurpose(prod, "backups");
        const replica = bucketByPurpose(prod, "backups-replica");
        const replicaKey = prod.get(T.key, "data-backups-replica-key");
        expect(replication.inputs.bucket).to.equal(backups.outputs.bucket);
        expect(regionOf(prod, replication)).to.equal("eu-west-1");
        expect(regionOf(prod, replica)).to.equal("eu-central-1");
        expect(regionOf(prod, replicaKey)).to.equal("eu-central-1");
        expect(replicaKey.outputs.arn).to.match(/^arn:aws:kms:eu-central-1:/);
        expect(replicaKey.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(replicaKey.protect).to.equal(true);
        expect(replication.inputs.rules).to.deep.equal([
            {
                id: "backups-to-replica-region",
                status: "Enabled",
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: { bucket: replica.outputs.arn, storageClass: "STANDARD_IA", encryptionConfiguration: { replicaKmsKeyId: replicaKey.outputs.arn } },
            },
        ]);
        for (const versioning of [settingsOf(prod, S3.versioning, backups)[0], settingsOf(prod, S3.versioning, replica)[0]]) {
            expect(prod.dependsOn(replication, versioning), versioning.name).to.equal(true);
        }
        expect(prod.dependsOn(replication, prod.get(T.rolePolicy, "data-backups-replica-role-policy"))).to.equal(true);
    });

    it("the replication role is assumable by S3 for the backup bucket only and touches only the two buckets and keys", () => {
        const [replication] = prod.ofType(S3.replication);
        const role = prod.ofType(T.role).find((r) => r.outputs.arn === replication.inputs.role) as RecordedResource;
        const backups = bucketByPurpose(prod, "backups");
        const replica = bucketByPurpose(prod, "backups-replica");
        expect(policyOf(role.inputs.assumeRolePolicy).Statement[0]).to.deep.include({
            Principal: { Service: "s3.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": backups.outputs.arn } },
        });
        const policy = prod.ofType(T.rolePolicy).find((p) => p.inputs.role === role.id) as RecordedResource;
        const expected = replicationRolePolicy({
            sourceBucketArn: String(backups.outputs.arn),
            sourceKeyArn: String(keyArn(prod, "backups")),
            sourceRegion: "eu-west-1",
            replicaBucketArn: String(replica.outputs.arn),
            replicaKeyArn: String(prod.get(T.key, "data-backups-replica-key").outputs.arn),
            replicaRegion: "eu-central-1",
        });
        expect(policyOf(policy.inputs.policy)).to.deep.equal(expected);
        const resources = expected.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
        expect(new Set(resources.map((r) => String(r).replace(/\/\*$/, "")))).to.deep.equal(
            new Set([backups.outputs.arn, replica.outputs.arn, keyArn(prod, "backups"), prod.get(T.key, "data-backups-replica-key").outputs.arn]),
        );
    });

    it("locks backup objects (and their replicas) as config says: GOVERNANCE for 30 days in prod, off in dev", () => {
        for (const p of ["backups", "backups-replica"]) {
            const bucket = bucketByPurpose(prod, p);
            expect(bucket.inputs.objectLockEnabled).to.equal(true);
            const [lock] = settingsOf(prod, S3.objectLock, bucket);
            expect(lock.inputs.rule).to.deep.equal({ defaultRetention: { mode: "GOVERNANCE", days: 30 } });
        }
        expect(dev.ofType(S3.objectLock)).to.deep.equal([]);
        expect(dev.ofType(T.bucket).every((b) => b.inputs.objectLockEnabled === false)).to.equal(true);
    });
});
