import { expect } from "chai";
import { isolateNamespace } from "../../../policies/rules/k8s/isolateNamespace";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { namespace } from "../fixtures";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const PSA = "pod-security.kubernetes.io/";
const run = (type: string, props: unknown, stack: "dev" | "prod" = "prod") =>
    messages(isolateNamespace, [resource(type, "ns", props as Record<string, unknown>)], stackConfig(isolateNamespace, stack));
const labels = (l: Record<string, string>) => ({ metadata: { name: "shop", labels: l } });
const d = `${NAMESPACE} "ns"`;

describe("policy platform-k8s-namespace-isolation (NS-01, NP-01)", () => {
    it("passes a restricted namespace with a pinned version", async () => {
        expect(await run(NAMESPACE, namespace)).to.deep.equal([]);
    });
    it("fails a namespace without Pod Security labels (omitted)", async () => {
        expect(await run(NAMESPACE, withValue(namespace, "metadata.labels", REMOVE))).to.deep.equal([
            `${d} enforces no Pod Security Standard. Add the labels ${PSA}enforce: restricted and ${PSA}enforce-version: <the cluster's minor, such as v1.36>.`,
        ]);
    });
    it("fails baseline in prod; accepts it in dev only with warn: restricted", async () => {
        const baseline = labels({ [`${PSA}enforce`]: "baseline", [`${PSA}enforce-version`]: "latest" });
        const hint = "(a namespace that only runs node agents such as node-exporter can be listed in exemptNamespaces in the policy config)";
        expect(await run(NAMESPACE, baseline)).to.deep.equal([
            `${d} enforces the baseline Pod Security Standard; restricted is the minimum. Set ${PSA}enforce: restricted ${hint}.`,
        ]);
        expect(await run(NAMESPACE, baseline, "dev")).to.deep.equal([
            `${d} enforces the baseline Pod Security Standard without warning about restricted. Set ${PSA}warn: restricted, or enforce restricted.`,
        ]);
        expect(
            await run(NAMESPACE, labels({ [`${PSA}enforce`]: "baseline", [`${PSA}enforce-version`]: "latest", [`${PSA}warn`]: "restricted" }), "dev"),
        ).to.deep.equal([]);
    });
    it("fails privileged in every stack, and an unpinned version", async () => {
        expect(await run(NAMESPACE, labels({ [`${PSA}enforce`]: "privileged", [`${PSA}enforce-version`]: "latest" }), "dev")).to.have.length(1);
        expect(await run(NAMESPACE, labels({ [`${PSA}enforce`]: "restricted" }))).to.deep.equal([
            `${d} does not pin ${PSA}enforce-version. Set it to the cluster's minor (such as v1.36) so a cluster upgrade never changes the enforced rules unannounced.`,
        ]);
    });
    it("exempts exactly the namespaces listed (default: monitoring-node-exporter) and the system namespaces", async () => {
        const privileged = (name: string) => ({ metadata: { name, labels: { [`${PSA}enforce`]: "privileged", [`${PSA}enforce-version`]: "latest" } } });
        expect(await run(NAMESPACE, privileged("monitoring-node-exporter"))).to.deep.equal([]);
        expect(await run(NAMESPACE, privileged("kube-system"))).to.deep.equal([]);
        expect(await run(NAMESPACE, privileged("monitoring"))).to.have.length(1);
        const config = { "platform-k8s-namespace-isolation": { exemptNamespaces: ["node-agents"] } };
        expect(await messages(isolateNamespace, [resource(NAMESPACE, "ns", privileged("node-agents"))], config)).to.deep.equal([]);
        expect(await messages(isolateNamespace, [resource(NAMESPACE, "ns", privileged("monitoring-node-exporter"))], config)).to.have.length(1);
    });
    it("passes a default-deny policy and a DNS-only allowance with an empty podSelector", async () => {
        expect(await run(POLICY, { metadata: { name: "deny" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } })).to.deep.equal([]);
        const dns = {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: {} }],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        };
        expect(await run(POLICY, { spec: dns })).to.deep.equal([]);
        expect(await run(POLICY, { spec: { podSelector: { matchLabels: { app: "web" } }, ingress: [{}] } })).to.deep.equal([]);
    });
    it("fails an empty-podSelector policy that allows other traffic (networking.k8s.io and extensions)", async () => {
        const message = `${POLICY} "ns" selects every pod of its namespace (empty podSelector) and allows traffic other than DNS. Keep such a policy a pure default-deny (or a DNS allowance), and give the allowing rules a podSelector for the pods that need them.`;
        expect(await run(POLICY, { spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] } })).to.deep.equal([message]);
        expect(await run("kubernetes:extensions/v1beta1:NetworkPolicy", { spec: { podSelector: {}, egress: [{}] } })).to.have.length(1);
    });
    it("gives the preview's advisory note when a label is unknown", async () => {
        await expectCannotDecide(
            isolateNamespace,
            [resource(NAMESPACE, "ns", { metadata: { name: "shop", labels: { [`${PSA}enforce`]: Unknown.instance } } })],
            stackConfig(isolateNamespace, "prod"),
        );
    });
});
