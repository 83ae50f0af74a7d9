import { expect } from "chai";
import { hardenPodSpec } from "../../../policies/rules/k8s/hardenPodSpec";
import { messages, REMOVE, resource, withValue } from "../check";
import { deployment } from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const run = (props: Record<string, unknown>) => messages(hardenPodSpec, [resource(DEPLOYMENT, "d", props)]);
const fails = (problem: string) => [`kubernetes:apps/v1:Deployment "d" ${problem}.`];

describe("policy platform-k8s-pod-spec", () => {
    it("passes the compliant Deployment, and a Job with its own service account that mounts its token", async () => {
        expect(await run(deployment)).to.deep.equal([]);
        const withToken = withValue(deployment, "spec.template.spec.automountServiceAccountToken", true);
        expect(await messages(hardenPodSpec, [resource("kubernetes:batch/v1:Job", "j", { spec: withToken.spec })])).to.deep.equal([]);
    });
    it("fails a pod without a pod-level security context", async () => {
        expect(await run(withValue(deployment, "spec.template.spec.securityContext", REMOVE))).to.deep.equal(
            fails(
                "has no pod-level securityContext. Set spec.securityContext with runAsNonRoot: true, a non-zero runAsUser and runAsGroup, and seccompProfile RuntimeDefault",
            ),
        );
    });
    it("fails the root group as primary, file-system or supplementary group, and in a container", async () => {
        const group = (where: string) => fails(`runs with the root group (GID 0) in ${where}: files owned by group root become writable. Use a non-zero GID`);
        expect(await run(withValue(deployment, "spec.template.spec.securityContext.runAsGroup", 0))).to.deep.equal(group("securityContext.runAsGroup"));
        expect(await run(withValue(deployment, "spec.template.spec.securityContext.fsGroup", 0))).to.deep.equal(group("securityContext.fsGroup"));
        expect(await run(withValue(deployment, "spec.template.spec.securityContext.supplementalGroups", [1000, 0]))).to.deep.equal(
            group("securityContext.supplementalGroups"),
        );
        expect(await run(withValue(deployment, "spec.template.spec.containers.0.securityContext.runAsGroup", 0))).to.deep.equal(
            group('securityContext.runAsGroup of container "app"'),
        );
    });
    it("fails hostAliases", async () => {
        expect(await run(withValue(deployment, "spec.template.spec.hostAliases", [{ ip: "10.0.0.1", hostnames: ["db"] }]))).to.deep.equal(
            fails("rewrites the pods' /etc/hosts (spec.hostAliases), which bypasses DNS and its NetworkPolicy. Remove it and publish the name in DNS"),
        );
    });
    it("fails a token mount left to the default, and the default service account's token", async () => {
        expect(await run(withValue(deployment, "spec.template.spec.automountServiceAccountToken", REMOVE))).to.deep.equal(
            fails(
                "leaves mounting the service account token to the default (mounted). Set spec.automountServiceAccountToken: false, or true where the pod calls the Kubernetes API or uses a workload role",
            ),
        );
        const defaultAccount = withValue(
            withValue(deployment, "spec.template.spec.automountServiceAccountToken", true),
            "spec.template.spec.serviceAccountName",
            REMOVE,
        );
        expect(await run(defaultAccount)).to.deep.equal(
            fails(
                "mounts the token of the namespace's default service account. Give the pod its own service account, or set automountServiceAccountToken: false",
            ),
        );
    });
});
