import { expect } from "chai";
import { hardenCache } from "../../../policies/rules/elasticache/hardenCache";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { replicationGroup } from "../fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const run = (props: unknown, stack: "dev" | "prod" = "prod") =>
    messages(hardenCache, [resource(GROUP, "cache", props as Record<string, unknown>)], stackConfig(hardenCache, stack));
const d = `${GROUP} "cache"`;

describe("policy platform-elasticache-group-hardening (EC-03, EC-04, EC-05, EC-06)", () => {
    it("passes the compliant group; an AUTH token or user groups unknown during preview count as set", async () => {
        expect(await run(replicationGroup)).to.deep.equal([]);
        expect(await run({ ...replicationGroup, authToken: Unknown.instance })).to.deep.equal([]);
        expect(await run({ ...withValue(replicationGroup, "authToken", REMOVE), userGroupIds: [Unknown.instance] })).to.deep.equal([]);
    });
    it("fails a group without authentication (omitted)", async () => {
        expect(await run(withValue(replicationGroup, "authToken", REMOVE))).to.deep.equal([
            `${d} lets any client that reaches it connect without credentials. Set authToken (from a generated secret) or userGroupIds.`,
        ]);
    });
    it("fails the AWS-managed key", async () => {
        expect(await run(withValue(replicationGroup, "kmsKeyId", REMOVE))).to.deep.equal([
            `${d} is encrypted with the AWS-managed key. Set kmsKeyId to the stack's data key ARN.`,
        ]);
    });
    it("fails missing snapshots (omitted or 0)", async () => {
        expect(await run(withValue(replicationGroup, "snapshotRetentionLimit", REMOVE))).to.deep.equal([
            `${d} keeps 0 days of snapshots; at least 1 are required. Set snapshotRetentionLimit to 1 or more.`,
        ]);
    });
    it("fails a group that cannot fail over in prod only (cluster mode uses replicasPerNodeGroup)", async () => {
        const message = `${d} cannot fail over to another AZ. Set automaticFailoverEnabled: true, multiAzEnabled: true and numCacheClusters of at least 2 (or replicasPerNodeGroup of at least 1).`;
        expect(await run({ ...replicationGroup, numCacheClusters: 1 })).to.deep.equal([message]);
        expect(await run(withValue(replicationGroup, "multiAzEnabled", REMOVE))).to.deep.equal([message]);
        expect(await run({ ...withValue(replicationGroup, "numCacheClusters", REMOVE), replicasPerNodeGroup: 1 })).to.deep.equal([]);
        expect(await run({ ...replicationGroup, numCacheClusters: 1, multiAzEnabled: false, automaticFailoverEnabled: false }, "dev")).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the failover flag is unknown", async () => {
        await expectCannotDecide(
            hardenCache,
            [resource(GROUP, "cache", { ...replicationGroup, automaticFailoverEnabled: Unknown.instance })],
            stackConfig(hardenCache, "prod"),
        );
    });
});
