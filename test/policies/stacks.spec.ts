import { expect } from "chai";
import { evaluatePolicies, readPolicyConfig } from "../../tools/offline/policyRunner";
import { planWith, sharedPlan } from "../harness";

describe("the policy pack on the checked-in stacks", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack} gives no violation, mandatory or advisory, and no rule crashes`, async () => {
            const plan = await sharedPlan(stack);
            const violations = await evaluatePolicies(plan.resources, { config: readPolicyConfig(stack) });
            expect(violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).to.deep.equal([]);
        });
    }

    it("the Karpenter rules see the stacks' NodePools, EC2NodeClasses and interruption queue", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const plan = await sharedPlan(stack);
            for (const type of ["kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "aws:sqs/queue:Queue"]) {
                expect(plan.ofType(type), `${stack}: ${type}`).to.not.have.length(0);
            }
        }
        // The config refuses unbounded or never-expiring pools before the pack sees them (config/rules/karpenter.ts);
        // the rules are the same promise for NodePools made outside this program's config.
    });

    it("prod with read replicas and an RDS Proxy gives no violation either", async () => {
        const plan = await planWith("prod", { "platform:database.readReplicas": 1, "platform:database.proxy": true });
        expect(plan.ofType("aws:rds/proxy:Proxy")).to.have.length(1);
        const violations = await evaluatePolicies(plan.resources, { config: readPolicyConfig("prod") });
        expect(violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).to.deep.equal([]);
    });
});
