import { expect } from "chai";
import { configureBucketLifecycle } from "../../../policies/rules/s3/configureBucketLifecycle";
import { messages } from "../check";
import { bucketGraph } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(configureBucketLifecycle, graphs.flat());

describe("policy platform-s3-bucket-lifecycle (S3-08, advisory)", () => {
    it("passes an enabled rule that aborts uploads and expires noncurrent versions (resource, V2 twin, or inline rules)", async () => {
        expect(await run(bucketGraph("backups"))).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { v2: true }))).to.deep.equal([]);
        const inline = { lifecycleRules: [{ enabled: true, abortIncompleteMultipartUploadDays: 7, noncurrentVersionExpiration: { days: 90 } }] };
        expect(await run(bucketGraph("backups", { without: ["lifecycle"], bucket: inline }))).to.deep.equal([]);
    });
    it("fails a bucket without lifecycle rules (omitted)", async () => {
        expect(await run(bucketGraph("backups", { without: ["lifecycle"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" has no enabled lifecycle rule that aborts incomplete multipart uploads or that expires noncurrent versions. Add an aws.s3.BucketLifecycleConfiguration with abortIncompleteMultipartUpload.daysAfterInitiation and noncurrentVersionExpiration.noncurrentDays.',
        ]);
    });
    it("fails when only one of the two is covered, or the rule is disabled", async () => {
        const rules = (rule: Record<string, unknown>) => ({ lifecycle: { rules: [{ id: "r", status: "Enabled", ...rule }] } });
        expect(await run(bucketGraph("backups", { override: rules({ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }) }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" has no enabled lifecycle rule that expires noncurrent versions. Add an aws.s3.BucketLifecycleConfiguration with abortIncompleteMultipartUpload.daysAfterInitiation and noncurrentVersionExpiration.noncurrentDays.',
        ]);
        const disabled = rules({
            status: "Disabled",
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            noncurrentVersionExpiration: { noncurrentDays: 90 },
        });
        expect(await run(bucketGraph("backups", { override: disabled }))).to.have.length(1);
    });
    it("is advisory in every stack", () => {
        expect(configureBucketLifecycle.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
