import { expect } from "chai";
import { enableBucketVersioning } from "../../../policies/rules/s3/enableBucketVersioning";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages } from "../check";
import { bucketGraph } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(enableBucketVersioning, graphs.flat());

describe("policy platform-s3-bucket-versioning (S3-03)", () => {
    it("passes a versioned bucket (BucketVersioning and its V2 twin, or the inline setting)", async () => {
        expect(await run(bucketGraph("backups"))).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { bucketType: "aws:s3/bucketV2:BucketV2", v2: true }))).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { without: ["versioning"], bucket: { versioning: { enabled: true } } }))).to.deep.equal([]);
    });
    it("fails a bucket without versioning (omitted)", async () => {
        expect(await run(bucketGraph("backups", { without: ["versioning"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" does not keep object versions. Add an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".',
        ]);
    });
    it("fails suspended versioning", async () => {
        expect(await run(bucketGraph("backups", { v2: true, override: { versioning: { versioningConfiguration: { status: "Suspended" } } } }))).to.deep.equal([
            'aws:s3/bucketVersioningV2:BucketVersioningV2 "backups-versioning" sets versioning of aws:s3/bucket:Bucket "backups" to "Suspended". Set versioningConfiguration.status "Enabled".',
        ]);
    });
    it("gives the preview's advisory note when the status is unknown", async () => {
        await expectCannotDecide(
            enableBucketVersioning,
            bucketGraph("backups", { override: { versioning: { versioningConfiguration: { status: Unknown.instance } } } }),
        );
    });
});
