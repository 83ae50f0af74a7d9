import { expect } from "chai";
import { requireBucketTls } from "../../../policies/rules/s3/requireBucketTls";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages } from "../check";
import { TLS_POLICY, bucketGraph } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(requireBucketTls, graphs.flat());
const FAIL =
    'aws:s3/bucket:Bucket "backups" accepts requests over plain HTTP. Add an aws.s3.BucketPolicy statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.';

describe("policy platform-s3-bucket-secure-transport (S3-07)", () => {
    it("passes a bucket policy that denies plain HTTP (resource or inline; string, boolean or list condition value)", async () => {
        expect(await run(bucketGraph("backups"))).to.deep.equal([]);
        expect(
            await run(bucketGraph("backups", { bucketType: "aws:s3/bucketV2:BucketV2", without: ["policy"], bucket: { policy: TLS_POLICY } })),
        ).to.deep.equal([]);
        for (const value of [false, ["false"]]) {
            const doc = {
                Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": value } } }],
            };
            expect(await run(bucketGraph("backups", { override: { policy: { policy: doc } } }))).to.deep.equal([]);
        }
    });
    it("fails a bucket without a policy (omitted), or whose policy does not deny plain HTTP", async () => {
        expect(await run(bucketGraph("backups", { without: ["policy"] }))).to.deep.equal([FAIL]);
        const allowOnly = { Statement: [{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "*" }] };
        expect(await run(bucketGraph("backups", { override: { policy: { policy: allowOnly } } }))).to.deep.equal([FAIL]);
        expect(await run(bucketGraph("backups", { override: { policy: { policy: "{broken" } } }))).to.deep.equal([FAIL]);
    });
    it("gives the preview's advisory note when the policy is unknown", async () => {
        await expectCannotDecide(requireBucketTls, bucketGraph("backups", { override: { policy: { policy: Unknown.instance } } }));
    });
});
