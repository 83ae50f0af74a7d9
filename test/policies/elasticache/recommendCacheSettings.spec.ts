import { expect } from "chai";
import { recommendCacheSettings } from "../../../policies/rules/elasticache/recommendCacheSettings";
import { messages, REMOVE, resource, withValue } from "../check";
import { replicationGroup } from "../fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const run = (props: unknown) => messages(recommendCacheSettings, [resource(GROUP, "cache", props as Record<string, unknown>)]);

describe("policy platform-elasticache-group-maintenance (EC-07, advisory)", () => {
    it("passes a group that takes minor upgrades and delivers both logs", async () => {
        expect(await run(replicationGroup)).to.deep.equal([]);
    });
    it("notes disabled minor upgrades and missing log deliveries (omitted)", async () => {
        expect(await run({ ...withValue(replicationGroup, "logDeliveryConfigurations", REMOVE), autoMinorVersionUpgrade: false })).to.deep.equal([
            `${GROUP} "cache" does not take minor version upgrades. Set autoMinorVersionUpgrade: true.`,
            `${GROUP} "cache" does not deliver its slow-log and engine-log. Add logDeliveryConfigurations for them (to a CloudWatch log group).`,
        ]);
    });
    it("is advisory in every stack", () => {
        expect(recommendCacheSettings.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
