import { expect } from "chai";
import { limitNamespaceResources } from "../../../policies/rules/k8s/limitNamespaceResources";
import { messages, resource } from "../check";
import { shop, web } from "./graph";

const quota = resource("kubernetes:core/v1:ResourceQuota", "quota", { metadata: { namespace: "shop" }, spec: { hard: { pods: "50" } } });
const limits = resource("kubernetes:core/v1:LimitRange", "limits", {
    metadata: { namespace: "shop" },
    spec: { limits: [{ type: "Container", default: { memory: "256Mi" } }] },
});

describe("policy platform-k8s-namespace-quotas (X-13 quotas, advisory)", () => {
    it("passes a used namespace with a ResourceQuota and a LimitRange", async () => {
        expect(await messages(limitNamespaceResources, [shop, web(), quota, limits])).to.deep.equal([]);
    });
    it("notes a used namespace without them, on the Namespace when it is declared", async () => {
        expect(await messages(limitNamespaceResources, [shop, web(true), quota])).to.deep.equal([
            'kubernetes:core/v1:Namespace "shop" has no LimitRange. Add a ResourceQuota (CPU, memory, pods) and a LimitRange (default requests and limits) in namespace shop.',
        ]);
        expect(await messages(limitNamespaceResources, [web()])).to.deep.equal([
            'Namespace shop (of kubernetes:apps/v1:Deployment "web") has no ResourceQuota and no LimitRange. Add a ResourceQuota (CPU, memory, pods) and a LimitRange (default requests and limits) in namespace shop.',
        ]);
    });
    it("ignores unused namespaces and the system namespaces", async () => {
        expect(await messages(limitNamespaceResources, [shop, resource("kubernetes:helm.sh/v3:Release", "r", { namespace: "kube-system" })])).to.deep.equal([]);
    });
    it("is advisory in every stack", () => {
        expect(limitNamespaceResources.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
