import { expect } from "chai";
import { declareNamespaces } from "../../../policies/rules/k8s/declareNamespaces";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { shop, web } from "./graph";

const release = (namespace: unknown, extra = {}) => resource("kubernetes:helm.sh/v3:Release", "addon", { chart: "x", version: "1.0.0", namespace }, extra);

describe("policy platform-k8s-namespace-declared (X-13)", () => {
    it("passes workloads and releases in declared namespaces (by name, or by dependency when the name is unknown)", async () => {
        expect(await messages(declareNamespaces, [shop, web(), release("shop")])).to.deep.equal([]);
        expect(
            await messages(declareNamespaces, [shop, web(true), release(Unknown.instance, { propertyDependencies: { namespace: [shop.urn] } })]),
        ).to.deep.equal([]);
    });
    it("fails a workload and a release in a namespace the stack does not declare", async () => {
        expect(await messages(declareNamespaces, [web(), release("monitoring")])).to.deep.equal([
            'kubernetes:apps/v1:Deployment "web" runs in namespace shop, which the stack does not declare. Declare a Namespace shop with Pod Security labels (pod-security.kubernetes.io/enforce: restricted), a ResourceQuota and a LimitRange, and make it depend on the Namespace.',
            'kubernetes:helm.sh/v3:Release "addon" runs in namespace monitoring, which the stack does not declare. Declare a Namespace monitoring with Pod Security labels (pod-security.kubernetes.io/enforce: restricted), a ResourceQuota and a LimitRange, and make it depend on the Namespace.',
        ]);
    });
    it("exempts the system namespaces, and default (which the workload and Helm rules refuse)", async () => {
        expect(await messages(declareNamespaces, [release("kube-system"), release(undefined)])).to.deep.equal([]);
    });
});
