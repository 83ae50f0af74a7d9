import { expect } from "chai";
import { protectBackupBucket } from "../../../policies/rules/s3/protectBackupBucket";
import { messages } from "../check";
import { bucketGraph } from "./buckets";

const backups = { objectLockEnabled: true, tags: { purpose: "backups" } };
const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(protectBackupBucket, graphs.flat());

describe("policy platform-s3-bucket-backup-protection (S3-09, advisory in prod)", () => {
    it("passes a backup bucket with object lock (a default retention) and replication", async () => {
        expect(await run(bucketGraph("backups", { bucket: backups, with: ["objectLock", "replication"] }))).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { bucket: backups, v2: true, with: ["objectLock", "replication"] }))).to.deep.equal([]);
    });
    it("does not apply to buckets that are not tagged as backups", async () => {
        expect(await run(bucketGraph("other"))).to.deep.equal([]);
    });
    it("fails a backup bucket without object lock, replication or version protection", async () => {
        expect(await run(bucketGraph("backups", { bucket: { tags: { purpose: "backups" } } }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" holds backups without object lock. Set objectLockEnabled: true (at creation) and add an aws.s3.BucketObjectLockConfiguration with a default retention.',
            'aws:s3/bucket:Bucket "backups" holds backups in one region only. Add an aws.s3.BucketReplicationConfig to a bucket in another region.',
            'aws:s3/bucket:Bucket "backups" holds backups whose versions can be deleted. Give its BucketObjectLockConfiguration a default retention, or enable versioningConfiguration.mfaDelete (with the root account\'s MFA device).',
        ]);
    });
    it("accepts MFA delete instead of a default retention", async () => {
        const graph = bucketGraph("backups", {
            bucket: backups,
            with: ["objectLock", "replication"],
            override: { objectLock: { rule: undefined }, versioning: { versioningConfiguration: { status: "Enabled", mfaDelete: "Enabled" } } },
        });
        expect(await run(graph)).to.deep.equal([]);
    });
    it("reads the backup purposes from the policy config", async () => {
        const config = { "platform-s3-bucket-backup-protection": { backupPurposes: ["velero"] } };
        expect(await messages(protectBackupBucket, bucketGraph("backups", { bucket: { tags: { purpose: "velero" } } }), config)).to.have.length(3);
    });
    it("is advisory in prod and off in dev", () => {
        expect(protectBackupBucket.levels).to.deep.equal({ prod: "advisory", dev: "disabled" });
    });
});
