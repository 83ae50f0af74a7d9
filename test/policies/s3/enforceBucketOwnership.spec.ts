import { expect } from "chai";
import { enforceBucketOwnership } from "../../../policies/rules/s3/enforceBucketOwnership";
import { messages, resource } from "../check";
import { bucketGraph, logBucket } from "./buckets";

const run = (...graphs: ReturnType<typeof bucketGraph>[]) => messages(enforceBucketOwnership, graphs.flat());

describe("policy platform-s3-bucket-ownership (S3-05)", () => {
    it("passes buckets that disable ACLs (Bucket and BucketV2)", async () => {
        expect(await run(bucketGraph("backups"), logBucket())).to.deep.equal([]);
        expect(await run(bucketGraph("backups", { bucketType: "aws:s3/bucketV2:BucketV2" }))).to.deep.equal([]);
    });
    it("fails a bucket without ownership controls (omitted)", async () => {
        expect(await run(bucketGraph("backups", { without: ["ownership"] }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" still honours ACLs. Add an aws.s3.BucketOwnershipControls for it with rule.objectOwnership "BucketOwnerEnforced".',
        ]);
    });
    it("fails ownership controls that keep ACLs", async () => {
        expect(await run(bucketGraph("backups", { override: { ownership: { rule: { objectOwnership: "ObjectWriter" } } } }))).to.deep.equal([
            'aws:s3/bucketOwnershipControls:BucketOwnershipControls "backups-ownership" sets objectOwnership "ObjectWriter", which keeps ACLs working. Set rule.objectOwnership to "BucketOwnerEnforced".',
        ]);
    });
    it("fails public ACLs: BucketAcl, BucketAclV2, the inline acl, and grants to all users", async () => {
        expect(await messages(enforceBucketOwnership, [resource("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "public-read" })])).to.deep.equal([
            'aws:s3/bucketAcl:BucketAcl "acl" grants public-read access through an ACL. Remove the ACL: with BucketOwnerEnforced ownership, access is granted by the bucket policy only.',
        ]);
        expect(
            await messages(enforceBucketOwnership, [resource("aws:s3/bucketAclV2:BucketAclV2", "acl", { bucket: "b", acl: "authenticated-read" })]),
        ).to.have.length(1);
        expect(await run(bucketGraph("backups", { bucket: { acl: "public-read-write" } }))).to.deep.equal([
            'aws:s3/bucket:Bucket "backups" grants public-read-write access through an ACL. Remove the ACL: with BucketOwnerEnforced ownership, access is granted by the bucket policy only.',
        ]);
        const grants = {
            accessControlPolicy: {
                owner: { id: "o" },
                grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }],
            },
        };
        expect(await messages(enforceBucketOwnership, [resource("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", ...grants })])).to.deep.equal([
            'aws:s3/bucketAcl:BucketAcl "acl" grants AllUsers or AuthenticatedUsers access through an ACL. Remove the ACL: with BucketOwnerEnforced ownership, access is granted by the bucket policy only.',
        ]);
    });
    it("accepts a private ACL", async () => {
        expect(await messages(enforceBucketOwnership, [resource("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" })])).to.deep.equal([]);
    });
});
