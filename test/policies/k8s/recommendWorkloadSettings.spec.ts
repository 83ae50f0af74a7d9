import { expect } from "chai";
import { recommendWorkloadSettings } from "../../../policies/rules/k8s/recommendWorkloadSettings";
import { messages, REMOVE, resource, withValue } from "../check";
import { deployment } from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const d = `${DEPLOYMENT} "web"`;
const pinned = withValue(deployment, "spec.template.spec.containers.0.image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:0123");
const run = (props: unknown) => messages(recommendWorkloadSettings, [resource(DEPLOYMENT, "web", props as Record<string, unknown>)]);
const withContainer = (path: string, value: unknown) => withValue(pinned, `spec.template.spec.containers.0.${path}`, value);

describe("policy platform-k8s-workload-recommended (K-15, K-07/K-11/K-13 advisories)", () => {
    it("passes a workload with a high UID, a CPU limit, a digest and no secrets in env", async () => {
        expect(await run(withContainer("env", [{ name: "LOG_LEVEL", value: "info" }]))).to.deep.equal([]);
    });
    it("notes secrets in env, from a Secret or as literals", async () => {
        expect(
            await run(
                withContainer("env", [
                    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                    { name: "API_KEY", value: "abc" },
                ]),
            ),
        ).to.deep.equal([
            `${d} passes the secret DB_PASSWORD to container "app" in an environment variable, which leaks into crash dumps and child processes. Mount the Secret as a file (a secret volume) instead.`,
            `${d} sets API_KEY of container "app" to a literal value. Keep secrets in a Secret (or Secrets Manager) and mount them as files.`,
        ]);
    });
    it("notes a low or unset UID, a missing CPU limit and a tag instead of a digest", async () => {
        const loose = withValue(
            withValue(withContainer("securityContext.runAsUser", REMOVE), "spec.template.spec.securityContext.runAsUser", REMOVE),
            "spec.template.spec.containers.0.resources.limits.cpu",
            REMOVE,
        );
        expect(await run(withValue(loose, "spec.template.spec.containers.0.image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0"))).to.deep.equal([
            `${d} runs container "app" with the image's user. Set securityContext.runAsUser to 10000 or more.`,
            `${d} sets no CPU limit on container "app". Set resources.limits.cpu.`,
            `${d} runs 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0 in container "app" by tag. Pin it by digest (image@sha256:...) so the running image cannot change under the tag.`,
        ]);
        expect(await run(withContainer("securityContext.runAsUser", 1000))).to.deep.equal([
            `${d} runs container "app" as UID 1000. Set securityContext.runAsUser to 10000 or more.`,
        ]);
    });
    it("is advisory in every stack", () => {
        expect(recommendWorkloadSettings.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
