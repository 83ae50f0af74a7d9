import { expect } from "chai";
import { configureLogGroupRetention } from "../../../policies/rules/logs/configureLogGroupRetention";
import { encryptLogGroup } from "../../../policies/rules/logs/encryptLogGroup";
import { disallowPublicIpOnLaunch } from "../../../policies/rules/network/disallowPublicIpOnLaunch";
import { Unknown } from "../../../tools/offline/values";
import { resource, violations } from "../check";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("per-resource checks run as stack rules (policies/lib/stackCheck)", () => {
    it("still judge every resource they can decide when another resource's value is unknown, and note the unknown", async () => {
        const found = await violations(configureLogGroupRetention, [
            resource(LOG_GROUP, "short", { retentionInDays: 30 }),
            resource(LOG_GROUP, "unknown", { retentionInDays: Unknown.instance }),
            resource(LOG_GROUP, "also-short", { retentionInDays: 7 }),
        ]);
        expect(found.map((v) => [v.enforcementLevel, v.message])).to.deep.equal([
            ["mandatory", 'aws:cloudwatch/logGroup:LogGroup "short" keeps its logs 30 days; at least 365 are required. Raise retentionInDays.'],
            ["mandatory", 'aws:cloudwatch/logGroup:LogGroup "also-short" keeps its logs 7 days; at least 365 are required. Raise retentionInDays.'],
            ["advisory", "can't run policy platform-logs-group-retention during preview: unknown.retentionInDays is unknown during preview"],
        ]);
    });
    it("report each violation on its resource", async () => {
        const [v] = await violations(encryptLogGroup, [resource(LOG_GROUP, "g", {})]);
        expect(v.urn).to.equal(`urn:pulumi:test::platform::${LOG_GROUP}::g`);
    });
    it("apply to their types only", async () => {
        expect(await violations(disallowPublicIpOnLaunch, [resource("aws:ec2/vpc:Vpc", "v", { mapPublicIpOnLaunch: true })])).to.deep.equal([]);
    });
    it("note a subnet flag unknown during preview (the foundation rules too)", async () => {
        const found = await violations(disallowPublicIpOnLaunch, [resource("aws:ec2/subnet:Subnet", "s", { mapPublicIpOnLaunch: Unknown.instance })]);
        expect(found.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
    });
});
