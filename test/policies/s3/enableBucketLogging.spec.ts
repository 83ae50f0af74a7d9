import { expect } from "chai";
import { enableBucketLogging } from "../../../policies/rules/s3/enableBucketLogging";
import { Unknown } from "../../../tools/offline/values";
import { messages } from "../check";
import { bucketGraph, logBucket } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(enableBucketLogging, graphs.flat());

describe("policy platform-s3-bucket-logging (S3-04)", () => {
    it("passes a logged bucket (BucketLogging and BucketLoggingV2, or the inline setting) and exempts the log bucket itself", async () => {
        expect(await run(bucketGraph("backups"), logBucket())).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { v2: true }), logBucket())).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { without: ["logging"], bucket: { logging: { targetBucket: "logs" } } }), logBucket())).to.deep.equal([]);
    });
    it("exempts a bucket tagged purpose=access-logs that nothing logs to yet", async () => {
        expect(await run(bucketGraph("logs", { logBucket: true, bucket: { tags: { purpose: "access-logs" } } }))).to.deep.equal([]);
    });
    it("fails a bucket without access logging (omitted)", async () => {
        expect(await run(bucketGraph("backups", { without: ["logging"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" writes no server access logs. Add an aws.s3.BucketLogging for it with targetBucket set to the access-log bucket.',
        ]);
    });
    it("fails a BucketLogging without a target", async () => {
        expect(await run(bucketGraph("backups", { override: { logging: { targetBucket: "" } } }))).to.deep.equal([
            'aws:s3/bucketLogging:BucketLogging "backups-logging" has no targetBucket. Set targetBucket to the access-log bucket.',
        ]);
    });
    it("counts a target bucket unknown during preview as set", async () => {
        expect(await run(bucketGraph("backups", { override: { logging: { targetBucket: Unknown.instance } } }))).to.deep.equal([]);
    });
});
