import { expect } from "chai";
import { hardenLoadBalancer } from "../../../policies/rules/alb/hardenLoadBalancer";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { loadBalancer } from "../fixtures";

const BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const run = (type: string, props: unknown, stack: "dev" | "prod" = "prod") =>
    messages(hardenLoadBalancer, [resource(type, "edge", props as Record<string, unknown>)], stackConfig(hardenLoadBalancer, stack));

describe("policy platform-alb-load-balancer-hardening (ALB-01 to ALB-04)", () => {
    it("passes the compliant load balancer (aws.lb and aws.alb); desync mitigation unset counts as defensive", async () => {
        for (const type of BALANCERS) {
            expect(await run(type, loadBalancer), type).to.deep.equal([]);
            expect(await run(type, withValue(loadBalancer, "desyncMitigationMode", REMOVE)), type).to.deep.equal([]);
        }
    });
    it("fails each missing setting (omitted), deletion protection only in prod", async () => {
        const bare = { internal: true, subnets: ["subnet-1", "subnet-2"] };
        const d = 'aws:alb/loadBalancer:LoadBalancer "edge"';
        expect(await run(BALANCERS[1], bare)).to.deep.equal([
            `${d} forwards requests with invalid HTTP headers. Set dropInvalidHeaderFields: true.`,
            `${d} writes no access logs. Set accessLogs: { enabled: true, bucket: <the access-log bucket> } (the bucket must use SSE-S3).`,
            `${d} has no deletion protection. Set enableDeletionProtection: true.`,
        ]);
        expect(await run(BALANCERS[1], bare, "dev")).to.have.length(2);
    });
    it("fails disabled access logs and the monitor desync mode", async () => {
        expect(await run(BALANCERS[0], withValue(loadBalancer, "accessLogs.enabled", false))).to.have.length(1);
        expect(await run(BALANCERS[0], { ...loadBalancer, desyncMitigationMode: "monitor" })).to.deep.equal([
            'aws:lb/loadBalancer:LoadBalancer "edge" uses desync mitigation mode "monitor", which lets ambiguous requests through. Set desyncMitigationMode to "defensive" or "strictest".',
        ]);
    });
    it("does not ask HTTP settings of network load balancers", async () => {
        expect(
            await run(BALANCERS[0], {
                ...withValue(loadBalancer, "dropInvalidHeaderFields", REMOVE),
                loadBalancerType: "network",
                desyncMitigationMode: "monitor",
            }),
        ).to.deep.equal([]);
    });
    it("counts a log bucket unknown during preview as set, and notes an unknown flag", async () => {
        expect(await run(BALANCERS[0], withValue(loadBalancer, "accessLogs.bucket", Unknown.instance))).to.deep.equal([]);
        await expectCannotDecide(
            hardenLoadBalancer,
            [resource(BALANCERS[0], "edge", { ...loadBalancer, dropInvalidHeaderFields: Unknown.instance })],
            stackConfig(hardenLoadBalancer, "prod"),
        );
    });
});
