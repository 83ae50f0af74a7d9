import { expect } from "chai";
import { blockBucketPublicAccess } from "../../../policies/rules/s3/blockBucketPublicAccess";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";
import { bucketGraph, logBucket } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(blockBucketPublicAccess, graphs.flat());
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";

describe("policy platform-s3-bucket-public-access (S3-01, S3-06, X-01)", () => {
    it("passes buckets with a full public access block and a private policy (Bucket and BucketV2)", async () => {
        expect(await run(bucketGraph("backups"), logBucket())).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { bucketType: "aws:s3/bucketV2:BucketV2", v2: true }), logBucket())).to.deep.equal([]);
    });
    it("fails a bucket without a public access block (omitted)", async () => {
        expect(await run(bucketGraph("backups", { without: ["publicAccessBlock"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" has no public access block. Add an aws.s3.BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.',
        ]);
    });
    it("fails each flag that is false or unset", async () => {
        expect(
            await run(bucketGraph("backups", { override: { publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: undefined } } })),
        ).to.deep.equal([`${PAB} "backups-publicAccessBlock" does not set blockPublicPolicy, restrictPublicBuckets to true. Set all four flags to true.`]);
    });
    it("fails a bucket policy that allows anyone without a condition, as a resource or inline, string or object", async () => {
        const statement = { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
        expect(await run(bucketGraph("backups", { override: { policy: { policy: JSON.stringify({ Statement: [statement] }) } } }))).to.deep.equal([
            'aws:s3/bucketPolicy:BucketPolicy "backups-policy" has a bucket policy that allows anyone ("*") without a condition. Name the principals, or add a condition such as aws:SourceVpce or aws:PrincipalOrgID.',
        ]);
        expect(await run(bucketGraph("backups", { bucket: { policy: { Statement: [statement] } } }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" has a bucket policy that allows anyone ("*") without a condition. Name the principals, or add a condition such as aws:SourceVpce or aws:PrincipalOrgID.',
        ]);
    });
    it("accepts a public principal narrowed by a condition (the log delivery grants)", async () => {
        const statement = {
            Effect: "Allow",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::b/*",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        };
        expect(await run(bucketGraph("backups", { override: { policy: { policy: JSON.stringify({ Statement: [statement] }) } } }))).to.deep.equal([]);
    });
    it("checks a public access block whose bucket is not in the stack", async () => {
        expect(await messages(blockBucketPublicAccess, [resource(PAB, "orphan", { bucket: "elsewhere", blockPublicAcls: true })])).to.have.length(1);
    });
    it("gives the preview's advisory note when a flag is unknown", async () => {
        await expectCannotDecide(blockBucketPublicAccess, bucketGraph("backups", { override: { publicAccessBlock: { blockPublicAcls: Unknown.instance } } }));
    });
});
