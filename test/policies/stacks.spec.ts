import { expect } from "chai";
import { evaluatePolicies, readPolicyConfig } from "../../tools/offline/policyRunner";
import { planStack } from "../harness";

describe("the policy pack on the checked-in stacks", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack} gives no violation and no rule crashes`, async () => {
            const plan = await planStack(stack);
            const violations = await evaluatePolicies(plan.resources, { config: readPolicyConfig(stack) });
            expect(violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).to.deep.equal([]);
        });
    }
});
