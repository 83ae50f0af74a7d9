import { expect } from "chai";
import { requireNetworkPolicy } from "../../../policies/rules/k8s/requireNetworkPolicy";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { defaultPolicies, networkPolicy, shop, web } from "./graph";

const run = (...resources: ReturnType<typeof web>[]) => messages(requireNetworkPolicy, resources);
const webPolicy = networkPolicy("web", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 8080 }] }] });

describe("policy platform-k8s-workload-network-policy (X-11)", () => {
    it("passes a namespace with default-deny, DNS, and a policy selecting each workload (namespace by name or by dependency)", async () => {
        expect(await run(shop, web(), webPolicy, ...defaultPolicies)).to.deep.equal([]);
        expect(await run(shop, web(true), webPolicy, ...defaultPolicies)).to.deep.equal([]);
    });
    it("accepts a single policy that denies both directions and allows DNS", async () => {
        const combined = networkPolicy("base", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] });
        expect(await run(shop, web(), webPolicy, combined)).to.deep.equal([]);
    });
    it("fails a workload no policy selects (a default-deny selects every pod of its namespace)", async () => {
        const found = await run(shop, web(false, "api", { app: "api" }), webPolicy);
        expect(found[0]).to.equal(
            'kubernetes:apps/v1:Deployment "api" is selected by no NetworkPolicy, so its pods accept and send any traffic. Add a NetworkPolicy in namespace shop that selects its pods and allows only what they need.',
        );
        expect(await run(shop, web(false, "api", { app: "api" }), webPolicy, ...defaultPolicies)).to.deep.equal([]);
    });
    it("fails a namespace without default-deny or DNS, reported on the Namespace", async () => {
        expect(await run(shop, web(), webPolicy)).to.deep.equal([
            'Namespace shop (of kubernetes:apps/v1:Deployment "web") has no default-deny policy for ingress, no default-deny policy for egress, no egress allowance for DNS (port 53). Add a NetworkPolicy with podSelector: {} and policyTypes ["Ingress", "Egress"] and no rules, plus one allowing egress to kube-dns on UDP and TCP 53.',
        ]);
    });
    it("exempts system namespaces, and does not judge policies whose spec is unknown during preview", async () => {
        expect(
            await run(
                resource("kubernetes:apps/v1:DaemonSet", "agent", { metadata: { namespace: "kube-system" }, spec: { template: { metadata: { labels: {} } } } }),
            ),
        ).to.deep.equal([]);
        expect(
            await run(shop, web(), resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", "p", { metadata: { namespace: "shop" }, spec: Unknown.instance })),
        ).to.deep.equal([]);
    });
});
