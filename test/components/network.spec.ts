import { expect } from "chai";
import { planStack, type Plan } from "../harness";

const SUBNET = "aws:ec2/subnet:Subnet";

function tierOf(plan: Plan, tier: string) {
    return plan.ofType(SUBNET).filter((s) => (s.inputs.tags as Record<string, string>).tier === tier);
}

describe("network", function () {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await planStack("dev");
        prod = await planStack("prod");
    });

    it("dev spans two zones with one subnet of each tier per zone", () => {
        for (const tier of ["public", "private", "database"]) {
            expect(tierOf(dev, tier).map((s) => s.inputs.availabilityZone)).to.deep.equal(["eu-west-1a", "eu-west-1b"]);
        }
    });

    it("prod spans three zones", () => {
        expect(tierOf(prod, "private").map((s) => s.inputs.availabilityZone)).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });
});
