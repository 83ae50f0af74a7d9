import { expect } from "chai";
import { helmReleaseArgs } from "../../components/helmRelease";

const chart = { chart: "example", version: "1.2.3", repository: "https://charts.example.com" };

describe("Helm releases", () => {
    it("install a pinned chart version from its repository under an explicit name, into an existing namespace", () => {
        expect(helmReleaseArgs({ chart, releaseName: "example", namespace: "apps", values: { a: 1 } })).to.deep.equal({
            name: "example",
            chart: "example",
            version: "1.2.3",
            repositoryOpts: { repo: "https://charts.example.com" },
            namespace: "apps",
            createNamespace: false,
            values: { a: 1 },
            timeout: 600,
            atomic: false,
            cleanupOnFail: false,
            maxHistory: 10,
        });
    });

    it("roll back and clean up a failed upgrade when atomic, and take a longer timeout when asked", () => {
        expect(helmReleaseArgs({ chart, releaseName: "example", namespace: "apps", values: {}, atomic: true, timeoutSeconds: 900 })).to.include({
            atomic: true,
            cleanupOnFail: true,
            timeout: 900,
        });
    });

    it("refuse a chart version that is not exact, and a repository that is not HTTPS or OCI", () => {
        expect(() => helmReleaseArgs({ chart: { ...chart, version: "^1.2" }, releaseName: "x", namespace: "x", values: {} })).to.throw(/not an exact version/);
        expect(() => helmReleaseArgs({ chart: { ...chart, version: "v1.21.1" }, releaseName: "x", namespace: "x", values: {} })).to.not.throw();
        expect(() => helmReleaseArgs({ chart: { ...chart, repository: "http://charts.example.com" }, releaseName: "x", namespace: "x", values: {} })).to.throw(
            /not https:\/\/ or oci:\/\//,
        );
    });
});
