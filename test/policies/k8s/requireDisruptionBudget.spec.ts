import { expect } from "chai";
import { requireDisruptionBudget } from "../../../policies/rules/k8s/requireDisruptionBudget";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { budget, shop, web } from "./graph";

const run = (...resources: ReturnType<typeof web>[]) => messages(requireDisruptionBudget, resources);

describe("policy platform-k8s-workload-disruption-budget (X-10)", () => {
    it("passes a Deployment covered by a budget of its namespace (policy/v1 and v1beta1; namespace by name or by dependency)", async () => {
        expect(await run(web(), budget({ maxUnavailable: 1, selector: { matchLabels: { app: "web" } } }))).to.deep.equal([]);
        expect(
            await run(
                shop,
                web(true),
                budget(
                    { minAvailable: 2, selector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } },
                    "kubernetes:policy/v1beta1:PodDisruptionBudget",
                ),
            ),
        ).to.deep.equal([]);
    });
    it("fails a Deployment and a StatefulSet without a matching budget", async () => {
        const db = resource("kubernetes:apps/v1:StatefulSet", "db", {
            metadata: { name: "db", namespace: "shop" },
            spec: { replicas: 2, template: { metadata: { labels: { app: "db" } } } },
        });
        expect(await run(web(), db, budget({ maxUnavailable: 1, selector: { matchLabels: { app: "other" } } }))).to.deep.equal([
            'kubernetes:apps/v1:Deployment "web" has no PodDisruptionBudget: a node drain can evict all its pods at once. Add a PodDisruptionBudget in namespace shop whose selector matches its pod labels, with maxUnavailable: 1.',
            'kubernetes:apps/v1:StatefulSet "db" has no PodDisruptionBudget: a node drain can evict all its pods at once. Add a PodDisruptionBudget in namespace shop whose selector matches its pod labels, with maxUnavailable: 1.',
        ]);
    });
    it("does not count a budget of another namespace", async () => {
        const elsewhere = resource("kubernetes:policy/v1:PodDisruptionBudget", "pdb", {
            metadata: { namespace: "other" },
            spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
        });
        expect(await run(web(), elsewhere)).to.have.length(1);
    });
    it("fails a budget whose minAvailable is not below the replicas", async () => {
        expect(await run(web(), budget({ minAvailable: 3, selector: { matchLabels: { app: "web" } } }))).to.deep.equal([
            'kubernetes:policy/v1:PodDisruptionBudget "web-pdb" requires 3 available pods of kubernetes:apps/v1:Deployment "web", which runs 3: no pod can ever be evicted. Use maxUnavailable: 1, or a minAvailable below the replicas.',
        ]);
    });
    it("exempts system namespaces, and counts a selector unknown during preview as matching", async () => {
        expect(
            await run(
                resource("kubernetes:apps/v1:Deployment", "dns", {
                    metadata: { namespace: "kube-system" },
                    spec: { template: { metadata: { labels: { a: "b" } } } },
                }),
            ),
        ).to.deep.equal([]);
        expect(await run(web(), budget({ maxUnavailable: 1, selector: Unknown.instance }))).to.deep.equal([]);
    });
});
