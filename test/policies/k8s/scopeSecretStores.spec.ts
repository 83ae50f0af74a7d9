import { expect } from "chai";
import { scopeSecretStores } from "../../../policies/rules/k8s/scopeSecretStores";
import { messages, REMOVE, resource, withValue } from "../check";
import { clusterSecretStore } from "../fixtures";

const CSS = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
const run = (props: Record<string, unknown>) => messages(scopeSecretStores, [resource(CSS, "s", props)]);
const expected = [
    'kubernetes:external-secrets.io/v1:ClusterSecretStore "s" may be used from every namespace. Use a namespaced SecretStore in the namespace that needs it, or set spec.conditions[].namespaces (or a namespaceSelector) on every condition.',
];

describe("policy platform-k8s-secret-store-scope", () => {
    it("passes a ClusterSecretStore limited to named namespaces or a selector, and any namespaced SecretStore", async () => {
        expect(await run(clusterSecretStore)).to.deep.equal([]);
        expect(await run(withValue(clusterSecretStore, "spec.conditions", [{ namespaceSelector: { matchLabels: { team: "shop" } } }]))).to.deep.equal([]);
        expect(
            await messages(scopeSecretStores, [
                resource("kubernetes:external-secrets.io/v1:SecretStore", "s", withValue(clusterSecretStore, "spec.conditions", REMOVE)),
            ]),
        ).to.deep.equal([]);
    });
    it("fails a ClusterSecretStore without conditions, or with one condition that limits nothing", async () => {
        expect(await run(withValue(clusterSecretStore, "spec.conditions", REMOVE))).to.deep.equal(expected);
        expect(await run(withValue(clusterSecretStore, "spec.conditions", [{ namespaces: ["shop"] }, {}]))).to.deep.equal(expected);
    });
});
