import { expect } from "chai";
import { protectLoadBalancer } from "../../../policies/rules/alb/protectLoadBalancer";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { httpsListener, loadBalancer, redirectListener } from "../fixtures";

const BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const run = (type: string, props: unknown, config = {}) => messages(protectLoadBalancer, [resource(type, "edge", props as Record<string, unknown>)], config);

describe("policy platform-alb-load-balancer-baseline (ALB-05, ALB-06, ALB-07)", () => {
    it("passes an internal load balancer, an HTTPS listener and an HTTP listener that only redirects (aws.lb and aws.alb)", async () => {
        for (const type of BALANCERS) {
            expect(await run(type, loadBalancer), type).to.deep.equal([]);
        }
        for (const type of LISTENERS) {
            expect(await run(type, httpsListener), type).to.deep.equal([]);
            expect(await run(type, redirectListener), type).to.deep.equal([]);
        }
    });
    it("fails an internet-facing load balancer (internal omitted or false) unless allowlisted", async () => {
        for (const type of BALANCERS) {
            expect(await run(type, withValue(loadBalancer, "internal", REMOVE)), type).to.deep.equal([
                `${type} "edge" is internet-facing but not on the allowlist. Set internal: true, or add "edge" to internetFacingLoadBalancers in the policy config after a security review.`,
            ]);
        }
        const config = { "platform-alb-load-balancer-baseline": { internetFacingLoadBalancers: ["edge"] } };
        expect(await run(BALANCERS[0], { ...loadBalancer, internal: false }, config)).to.deep.equal([]);
    });
    it("fails plain HTTP (protocol omitted defaults to HTTP) and TCP listeners", async () => {
        for (const type of LISTENERS) {
            expect(await run(type, { ...withValue(httpsListener, "protocol", REMOVE), port: 80 }), type).to.deep.equal([
                `${type} "edge" serves HTTP unencrypted. Use protocol "HTTPS" (or "TLS") with a certificate, or make this listener only redirect to HTTPS (defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]).`,
            ]);
        }
        expect(
            await run(LISTENERS[0], { ...redirectListener, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }] }),
        ).to.have.length(1);
        expect(await run(LISTENERS[0], { ...httpsListener, protocol: "TCP", sslPolicy: undefined })).to.have.length(1);
    });
    it("fails an HTTPS listener on the default or an old TLS policy", async () => {
        expect(await run(LISTENERS[1], withValue(httpsListener, "sslPolicy", REMOVE))).to.deep.equal([
            'aws:alb/listener:Listener "edge" uses the TLS policy ELBSecurityPolicy-2016-08 (the default), which allows TLS 1.0 and 1.1. Set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06".',
        ]);
        expect(await run(LISTENERS[0], { ...httpsListener, sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" })).to.have.length(1);
        for (const sslPolicy of ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"]) {
            expect(await run(LISTENERS[0], { ...httpsListener, sslPolicy }), sslPolicy).to.deep.equal([]);
        }
    });
    it("gives the preview's advisory note when the scheme is unknown", async () => {
        await expectCannotDecide(protectLoadBalancer, [resource(BALANCERS[0], "edge", { ...loadBalancer, internal: Unknown.instance })]);
    });
});
