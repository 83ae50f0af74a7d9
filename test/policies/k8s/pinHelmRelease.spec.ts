import { expect } from "chai";
import { pinHelmRelease } from "../../../policies/rules/k8s/pinHelmRelease";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const d = `${RELEASE} "lbc"`;
const release = {
    name: "aws-load-balancer-controller",
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
    namespace: "aws-load-balancer-controller",
    createNamespace: false,
    atomic: true,
};
const run = (props: Record<string, unknown>, config = {}) => messages(pinHelmRelease, [resource(RELEASE, "lbc", props)], config);

describe("policy platform-k8s-helm-release-source (HELM-01, HELM-02)", () => {
    it("passes a pinned chart from an allowed repository in its own namespace; OCI charts and local charts too", async () => {
        expect(await run(release)).to.deep.equal([]);
        expect(await run({ ...release, repositoryOpts: { repo: "https://aws.github.io/eks-charts/" } })).to.deep.equal([]);
        expect(await run({ ...release, chart: "oci://quay.io/jetstack/charts/cert-manager", version: "v1.21.1", repositoryOpts: undefined })).to.deep.equal([]);
        expect(await run({ ...release, chart: "./charts/app", repositoryOpts: undefined })).to.deep.equal([]);
    });
    it("fails a missing or ranged version", async () => {
        expect(await run({ ...release, version: undefined })).to.deep.equal([
            `${d} installs whatever chart version is newest. Set version to an exact chart version (for example "3.5.0").`,
        ]);
        expect(await run({ ...release, version: "^3.5" })).to.deep.equal([
            `${d} installs the version range "^3.5". Set version to an exact chart version (for example "3.5.0").`,
        ]);
    });
    it("fails a chart without repository, over plain HTTP, or from a repository not on the allowlist", async () => {
        expect(await run({ ...release, repositoryOpts: undefined })).to.deep.equal([
            `${d} names no chart repository, so the chart comes from whatever repositories the machine running pulumi has configured. Set repositoryOpts.repo to an allowlisted https:// or oci:// repository.`,
        ]);
        expect(await run({ ...release, repositoryOpts: { repo: "http://charts.example.com" } })).to.deep.equal([
            `${d} downloads its chart from http://charts.example.com without TLS. Use an https:// or oci:// repository.`,
        ]);
        expect(await run({ ...release, repositoryOpts: { repo: "https://charts.example.com" } })).to.deep.equal([
            `${d} installs a chart from https://charts.example.com, which is not an allowed repository. Add it to allowedRepositories in the policy config after review, or mirror the chart.`,
        ]);
        expect(
            await run(
                { ...release, repositoryOpts: { repo: "https://charts.example.com" } },
                { "platform-k8s-helm-release-source": { allowedRepositories: ["https://charts.example.com"] } },
            ),
        ).to.deep.equal([]);
    });
    it("fails the default namespace (omitted), kube-system unless allowlisted, and createNamespace", async () => {
        expect(await run({ ...release, namespace: undefined })).to.deep.equal([
            `${d} installs into the default namespace. Set namespace to a Namespace the program declares for this add-on.`,
        ]);
        expect(await run({ ...release, namespace: "kube-system" })).to.deep.equal([
            `${d} installs into kube-system. Install it into a namespace of its own, or add the chart to kubeSystemCharts in the policy config if it must run there.`,
        ]);
        expect(
            await run(
                {
                    ...release,
                    chart: "metrics-server",
                    repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
                    namespace: "kube-system",
                },
                { "platform-k8s-helm-release-source": { kubeSystemCharts: ["metrics-server"] } },
            ),
        ).to.deep.equal([]);
        expect(await run({ ...release, createNamespace: true })).to.deep.equal([
            `${d} creates its namespace itself, without Pod Security labels. Declare a Namespace with the labels and set createNamespace: false.`,
        ]);
    });
    it("treats a namespace unknown during preview as a declared one, and notes an unknown version", async () => {
        expect(await run({ ...release, namespace: Unknown.instance })).to.deep.equal([]);
        await expectCannotDecide(pinHelmRelease, [resource(RELEASE, "lbc", { ...release, version: Unknown.instance })]);
    });
});
