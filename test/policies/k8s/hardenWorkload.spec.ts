import { expect } from "chai";
import { hardenWorkload, parseImage } from "../../../policies/rules/k8s/hardenWorkload";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { container, deployment, podTemplate } from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const d = `${DEPLOYMENT} "web"`;
const run = (props: unknown, stack: "dev" | "prod" = "prod", type = DEPLOYMENT) =>
    messages(hardenWorkload, [resource(type, "web", props as Record<string, unknown>)], stackConfig(hardenWorkload, stack));
const withSpec = (path: string, value: unknown) => withValue(deployment, `spec.template.spec.${path}`, value);
const withContainer = (path: string, value: unknown) => withSpec(`containers.0.${path}`, value);

describe("policy platform-k8s-workload-hardening (K-03, K-07, K-08, K-10 to K-14, K-17, PDB-01)", () => {
    it("passes the compliant Deployment, in prod and dev, and a Job without probes (batch/v1 and v1beta1)", async () => {
        expect(await run(deployment)).to.deep.equal([]);
        expect(await run(deployment, "dev")).to.deep.equal([]);
        const job = {
            metadata: deployment.metadata,
            spec: { template: withValue(withValue(podTemplate, "spec.containers.0.livenessProbe", REMOVE), "spec.containers.0.readinessProbe", REMOVE) },
        };
        expect(await run(job, "prod", "kubernetes:batch/v1:Job")).to.deep.equal([]);
        expect(await run({ spec: { jobTemplate: job } }, "prod", "kubernetes:batch/v1beta1:CronJob")).to.deep.equal([]);
    });
    it("fails capabilities not dropped, and added ones other than NET_BIND_SERVICE", async () => {
        expect(await run(withContainer("securityContext.capabilities", { drop: ["NET_RAW"], add: ["NET_BIND_SERVICE", "SYS_ADMIN"] }))).to.deep.equal([
            `${d} does not drop all capabilities in container "app". Set securityContext.capabilities.drop: ["ALL"].`,
            `${d} adds the capabilities SYS_ADMIN to container "app". Remove them (only NET_BIND_SERVICE may be added).`,
        ]);
    });
    it("fails root: runAsNonRoot unset on pod and container, or false on the container; runAsUser 0", async () => {
        const nonRoot = `${d} does not require container "app" to run as a non-root user. Set securityContext.runAsNonRoot: true (on the pod or the container).`;
        expect(await run(withSpec("securityContext.runAsNonRoot", REMOVE))).to.deep.equal([]);
        expect(await run(withContainer("securityContext.runAsNonRoot", REMOVE))).to.deep.equal([]);
        expect(
            await run(withValue(withSpec("securityContext.runAsNonRoot", REMOVE), "spec.template.spec.containers.0.securityContext.runAsNonRoot", REMOVE)),
        ).to.deep.equal([nonRoot]);
        expect(await run(withContainer("securityContext.runAsNonRoot", false))).to.deep.equal([nonRoot]);
        expect(await run(withContainer("securityContext.runAsUser", 0))).to.deep.equal([
            `${d} runs container "app" as root (runAsUser: 0). Use a non-zero UID.`,
        ]);
        expect(await run(withSpec("securityContext.runAsUser", 0))).to.deep.equal([
            `${d} runs its pods as root (securityContext.runAsUser: 0). Use a non-zero UID.`,
        ]);
    });
    it("fails a missing or unconfined seccomp profile", async () => {
        const message = `${d} runs container "app" without a seccomp profile. Set securityContext.seccompProfile.type: RuntimeDefault on the pod.`;
        expect(
            await run(withValue(withSpec("securityContext.seccompProfile", REMOVE), "spec.template.spec.containers.0.securityContext.seccompProfile", REMOVE)),
        ).to.deep.equal([message]);
        expect(await run(withContainer("securityContext.seccompProfile", { type: "Unconfined" }))).to.deep.equal([message]);
    });
    it("fails a writable root filesystem, missing requests and memory limit, and missing probes", async () => {
        expect(await run(withContainer("securityContext.readOnlyRootFilesystem", false))).to.deep.equal([
            `${d} lets container "app" write to its root filesystem. Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write.`,
        ]);
        expect(await run(withContainer("resources", { limits: { cpu: "1" } }))).to.deep.equal([
            `${d} does not set resources.requests.cpu, resources.requests.memory, resources.limits.memory of container "app". Set CPU and memory requests and a memory limit.`,
        ]);
        expect(await run(withContainer("readinessProbe", REMOVE))).to.deep.equal([
            `${d} has no readinessProbe on container "app". Add them so Kubernetes restarts it when stuck and routes traffic only when it is ready.`,
        ]);
    });
    it("fails moving tags and registries outside the allowlist, and accepts digests and ECR Public", async () => {
        expect(await run(withContainer("image", "nginx"))).to.deep.equal([
            `${d} runs the moving tag latest (no tag) of nginx in container "app". Pin a version tag (or a digest).`,
            `${d} pulls container "app" from docker.io, which is not an allowed registry (*.dkr.ecr.*.amazonaws.com, *.dkr.ecr.*.amazonaws.com.cn, public.ecr.aws). Mirror the image to ECR.`,
        ]);
        expect(await run(withContainer("image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest"))).to.have.length(1);
        expect(await run(withContainer("image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc"))).to.deep.equal([]);
        expect(await run(withContainer("image", "public.ecr.aws/nginx/nginx:1.27"))).to.deep.equal([]);
        // ECR in the China regions (aws-cn), which the config accepts.
        expect(await run(withContainer("image", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app@sha256:abc"))).to.deep.equal([]);
        expect(await run(withContainer("image", Unknown.instance))).to.deep.equal([]);
        expect(parseImage("localhost:5000/app")).to.deep.equal({ registry: "localhost:5000", tag: undefined, digest: false });
    });
    it("fails the default service account (omitted or named), and accepts one unknown during preview", async () => {
        const message = `${d} runs as its namespace's default service account. Set serviceAccountName to a service account of its own (and automountServiceAccountToken: false unless it calls the Kubernetes API).`;
        expect(await run(withSpec("serviceAccountName", REMOVE))).to.deep.equal([message]);
        expect(await run(withSpec("serviceAccountName", "default"))).to.deep.equal([message]);
        expect(await run(withSpec("serviceAccountName", Unknown.instance))).to.deep.equal([]);
    });
    it("fails fewer than 3 replicas and no spread in prod only", async () => {
        const single = withSpec("topologySpreadConstraints", REMOVE);
        single.spec.replicas = 1;
        expect(await run(single)).to.deep.equal([
            `${d} runs 1 replica; at least 3 are required. Set spec.replicas to 3 or more.`,
            `${d} may schedule all its replicas on one node. Add topologySpreadConstraints (or a podAntiAffinity) over kubernetes.io/hostname or the zone.`,
        ]);
        expect(await run(single, "dev")).to.deep.equal([]);
    });
    it("fails a PodDisruptionBudget that forbids every eviction", async () => {
        for (const [type, spec] of [
            ["kubernetes:policy/v1:PodDisruptionBudget", { maxUnavailable: 0 }],
            ["kubernetes:policy/v1beta1:PodDisruptionBudget", { minAvailable: "100%" }],
        ] as const) {
            expect(await run({ spec: { ...spec, selector: { matchLabels: { app: "web" } } } }, "prod", type)).to.have.length(1);
        }
        expect(await run({ spec: { maxUnavailable: 0 } }, "prod", "kubernetes:policy/v1:PodDisruptionBudget")).to.deep.equal([
            'kubernetes:policy/v1:PodDisruptionBudget "web" forbids every voluntary disruption (maxUnavailable: 0), so node drains and upgrades block forever. Allow at least one pod to be evicted (maxUnavailable: 1).',
        ]);
        expect(await run({ spec: { maxUnavailable: 1 } }, "prod", "kubernetes:policy/v1:PodDisruptionBudget")).to.deep.equal([]);
    });
    it("gives the preview's advisory note when a security flag is unknown", async () => {
        await expectCannotDecide(
            hardenWorkload,
            [resource(DEPLOYMENT, "web", withContainer("securityContext.readOnlyRootFilesystem", Unknown.instance))],
            stackConfig(hardenWorkload, "prod"),
        );
    });
    it("keeps the container fixture compliant", () => {
        expect(container.securityContext.capabilities.drop).to.deep.equal(["ALL"]);
    });
});
