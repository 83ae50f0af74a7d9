import { expect } from "chai";
import { problems, resolve } from "./resolve";

describe("stack configuration: load test", () => {
    it("defaults to 1000 requests per second, a 300 ms p95 and a 1% error budget", () => {
        expect(resolve("dev").loadTest).to.deep.equal({ targetRps: 1000, p95Ms: 300, maxErrorRate: 0.01 });
    });

    it("takes the rate and budgets from config, a YAML number as the error rate too", () => {
        const prod = resolve("prod", { "platform:loadTest.targetRps": 2500, "platform:loadTest.p95Ms": 250, "platform:loadTest.maxErrorRate": 0.001 });
        expect(prod.loadTest).to.deep.equal({ targetRps: 2500, p95Ms: 250, maxErrorRate: 0.001 });
    });

    it("rejects an error rate that is not a fraction from 0 to 1", () => {
        expect(problems("dev", { "platform:loadTest.maxErrorRate": "1%" })).to.deep.equal([
            'platform:loadTest.maxErrorRate: "1%" is not a fraction from 0 to 1; expected a decimal such as "0.01" (1% of requests)',
        ]);
        expect(problems("dev", { "platform:loadTest.maxErrorRate": 1.5 })).to.have.length(1);
    });

    it("rejects a rate of zero", () => {
        expect(problems("dev", { "platform:loadTest.targetRps": 0 })).to.deep.equal([
            'platform:loadTest.targetRps: "0" is out of range; expected a whole number from 1 to 100000',
        ]);
    });
});
