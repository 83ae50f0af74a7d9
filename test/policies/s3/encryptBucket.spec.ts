import { expect } from "chai";
import { encryptBucket } from "../../../policies/rules/s3/encryptBucket";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";
import { KEY_ARN, loadBalancer } from "../fixtures";
import { bucketGraph, logBucket } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(encryptBucket, graphs.flat());
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const kms = (rule: Record<string, unknown>) => ({ encryption: { rules: [rule] } });

describe("policy platform-s3-bucket-encryption (S3-02)", () => {
    it("passes SSE-KMS with a customer-managed key and a bucket key, and SSE-S3 on the access-log bucket", async () => {
        expect(await run(bucketGraph("backups"), logBucket())).to.deep.equal([]);
    });
    it("passes the deprecated twins (BucketV2, BucketServerSideEncryptionConfigurationV2) and DSSE-KMS", async () => {
        expect(await run(bucketGraph("backups", { bucketType: "aws:s3/bucketV2:BucketV2", v2: true }))).to.deep.equal([]);
        const dsse = kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true });
        expect(await run(bucketGraph("backups", { override: dsse }))).to.deep.equal([]);
    });
    it("treats a key ARN unknown during preview as a key of the stack", async () => {
        const unknownKey = kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: Unknown.instance }, bucketKeyEnabled: true });
        expect(await run(bucketGraph("backups", { override: unknownKey }))).to.deep.equal([]);
    });
    it("fails a bucket without default encryption (omitted), with the algorithm its role needs", async () => {
        expect(await run(bucketGraph("backups", { without: ["encryption"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" has no default encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms", kmsMasterKeyId set to the stack\'s backups key and bucketKeyEnabled: true.',
        ]);
        expect(
            await run(bucketGraph("logs", { logBucket: true, bucket: { bucket: "logs", tags: { purpose: "access-logs" } }, without: ["encryption"] })),
        ).to.deep.equal([
            'aws:s3/bucket:Bucket "logs" has no default encryption configuration. Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "AES256" (SSE-S3: it is tagged purpose=access-logs, and log delivery cannot write to SSE-KMS buckets).',
        ]);
    });
    it("fails SSE-S3, an AWS-managed key and a missing bucket key on a backups bucket", async () => {
        expect(await run(bucketGraph("backups", { override: kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }) }))).to.deep.equal([
            `${SSE} "backups-encryption" (for aws:s3/bucket:Bucket "backups") encrypts with AES256 instead of a customer-managed KMS key. Set sseAlgorithm "aws:kms" and kmsMasterKeyId to the stack's backups key.`,
        ]);
        expect(
            await run(bucketGraph("backups", { override: kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }) })),
        ).to.deep.equal([
            `${SSE} "backups-encryption" (for aws:s3/bucket:Bucket "backups") uses the AWS-managed key aws/s3. Set kmsMasterKeyId to the stack's customer-managed backups key.`,
        ]);
        expect(
            await run(bucketGraph("backups", { override: kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } }) })),
        ).to.deep.equal([
            `${SSE} "backups-encryption" (for aws:s3/bucket:Bucket "backups") does not use an S3 bucket key, so every object operation calls KMS. Set bucketKeyEnabled: true.`,
        ]);
    });
    it("fails SSE-KMS on the access-log bucket, identified as a logging target, a load balancer's log bucket or by its tag", async () => {
        const kmsOnLogs = kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true });
        const logs = (extra: Record<string, unknown> = {}) =>
            bucketGraph("logs", { logBucket: true, bucket: { bucket: "logs", ...extra }, override: kmsOnLogs });
        const message = (why: string) =>
            `${SSE} "logs-encryption" (for aws:s3/bucket:Bucket "logs") encrypts an access-log bucket with aws:kms, but ${why} and log delivery can only write to SSE-S3 buckets. Set sseAlgorithm "AES256".`;
        expect(await run(bucketGraph("backups"), logs())).to.deep.equal([message("it receives the access logs of backups-logging")]);
        for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"]) {
            expect(
                await messages(encryptBucket, [resource(type, "alb", { ...loadBalancer, accessLogs: { bucket: "logs", enabled: true } }), ...logs()]),
                type,
            ).to.deep.equal([message("load balancer alb writes its access logs to it")]);
        }
        expect(await run(logs({ tags: { purpose: "access-logs" } }))).to.deep.equal([message("it is tagged purpose=access-logs")]);
    });
    it("reads the deprecated inline encryption of a bucket without a separate resource", async () => {
        const inline = {
            serverSideEncryptionConfiguration: {
                rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true },
            },
        };
        expect(await run(bucketGraph("backups", { without: ["encryption"], bucket: inline }))).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the algorithm is unknown", async () => {
        await expectCannotDecide(
            encryptBucket,
            bucketGraph("backups", { override: kms({ applyServerSideEncryptionByDefault: { sseAlgorithm: Unknown.instance } }) }),
        );
    });
    it("is mandatory in prod and advisory in dev", () => {
        expect(encryptBucket.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
    });
});
