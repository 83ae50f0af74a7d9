import { expect } from "chai";
import { rollBackHelmRelease } from "../../../policies/rules/k8s/rollBackHelmRelease";
import { messages, resource } from "../check";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("policy platform-k8s-helm-release-atomic (HELM-02 atomic, advisory in prod)", () => {
    it("passes an atomic release", async () => {
        expect(await messages(rollBackHelmRelease, [resource(RELEASE, "r", { chart: "x", atomic: true })])).to.deep.equal([]);
    });
    it("notes a release that is not atomic (omitted or false)", async () => {
        const expected = [`${RELEASE} "r" is not atomic: a failed upgrade leaves it half-applied. Set atomic: true (and cleanupOnFail: true).`];
        expect(await messages(rollBackHelmRelease, [resource(RELEASE, "r", { chart: "x" })])).to.deep.equal(expected);
        expect(await messages(rollBackHelmRelease, [resource(RELEASE, "r", { chart: "x", atomic: false })])).to.deep.equal(expected);
    });
    it("is advisory in prod and off in dev", () => {
        expect(rollBackHelmRelease.levels).to.deep.equal({ prod: "advisory", dev: "disabled" });
    });
});
