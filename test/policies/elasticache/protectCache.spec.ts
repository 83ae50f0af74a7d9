import { expect } from "chai";
import { protectCache } from "../../../policies/rules/elasticache/protectCache";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { replicationGroup } from "../fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const run = (props: unknown) => messages(protectCache, [resource(GROUP, "cache", props as Record<string, unknown>)]);
const d = `${GROUP} "cache"`;

describe("policy platform-elasticache-group-baseline (EC-01, EC-02, EC-08)", () => {
    it("passes an encrypted group with TLS required in its own subnet group; an unset mode means required", async () => {
        expect(await run(replicationGroup)).to.deep.equal([]);
        expect(await run(withValue(replicationGroup, "transitEncryptionMode", REMOVE))).to.deep.equal([]);
    });
    it("fails a group without encryption at rest or in transit (omitted or false)", async () => {
        expect(await run(withValue(withValue(replicationGroup, "atRestEncryptionEnabled", REMOVE), "transitEncryptionEnabled", false))).to.deep.equal([
            `${d} stores its data unencrypted. Set atRestEncryptionEnabled: true with kmsKeyId set to the stack's data key.`,
            `${d} accepts connections without TLS. Set transitEncryptionEnabled: true.`,
        ]);
    });
    it("fails the preferred transit mode", async () => {
        expect(await run({ ...replicationGroup, transitEncryptionMode: "preferred" })).to.deep.equal([
            `${d} still accepts connections without TLS (transitEncryptionMode "preferred"). Set transitEncryptionMode: "required".`,
        ]);
    });
    it("fails the default subnet group, omitted or named", async () => {
        const message = `${d} uses the default subnet group (the default VPC). Set subnetGroupName to a subnet group of the platform's database subnets.`;
        expect(await run(withValue(replicationGroup, "subnetGroupName", REMOVE))).to.deep.equal([message]);
        expect(await run({ ...replicationGroup, subnetGroupName: "default" })).to.deep.equal([message]);
    });
    it("gives the preview's advisory note when the subnet group's name is unknown", async () => {
        await expectCannotDecide(protectCache, [resource(GROUP, "cache", { ...replicationGroup, subnetGroupName: Unknown.instance })]);
    });
});
