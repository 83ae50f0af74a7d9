import { expect } from "chai";
import { configureAlbListeners } from "../../../policies/rules/alb/configureAlbListeners";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { httpsListener, loadBalancer, redirectListener } from "../fixtures";

const alb = (type = "aws:lb/loadBalancer:LoadBalancer", props: Record<string, unknown> = {}) => resource(type, "edge", { ...loadBalancer, ...props });
const listener = (of: { urn: string }, props: Record<string, unknown>, type = "aws:lb/listener:Listener") =>
    resource(type, `l${String(props.port)}`, { ...props, loadBalancerArn: Unknown.instance }, { propertyDependencies: { loadBalancerArn: [of.urn] } });

describe("policy platform-alb-load-balancer-listeners (X-03)", () => {
    it("passes an ALB with an HTTPS listener on 443 in two subnets (aws.lb and aws.alb)", async () => {
        for (const [lbType, listenerType] of [
            ["aws:lb/loadBalancer:LoadBalancer", "aws:lb/listener:Listener"],
            ["aws:alb/loadBalancer:LoadBalancer", "aws:alb/listener:Listener"],
        ]) {
            const lb = alb(lbType);
            expect(
                await messages(configureAlbListeners, [lb, listener(lb, httpsListener, listenerType), listener(lb, redirectListener, listenerType)]),
            ).to.deep.equal([]);
        }
    });
    it("fails an ALB without an HTTPS listener on 443, and one in a single subnet", async () => {
        const lb = alb(undefined, { subnets: ["subnet-1"] });
        expect(await messages(configureAlbListeners, [lb, listener(lb, redirectListener)])).to.deep.equal([
            'aws:lb/loadBalancer:LoadBalancer "edge" has no HTTPS listener on port 443. Add an aws.lb.Listener with protocol "HTTPS", port 443, a certificate and a TLS 1.2+ sslPolicy.',
            'aws:lb/loadBalancer:LoadBalancer "edge" is in fewer than two subnets, so one AZ outage takes it down. List a subnet in each of at least two availability zones.',
        ]);
    });
    it("does not count subnets unknown during preview, and does not apply to network load balancers", async () => {
        const lb = alb(undefined, { subnets: Unknown.instance });
        expect(await messages(configureAlbListeners, [lb, listener(lb, httpsListener)])).to.deep.equal([]);
        expect(await messages(configureAlbListeners, [alb(undefined, { loadBalancerType: "network" })])).to.deep.equal([]);
    });
});
