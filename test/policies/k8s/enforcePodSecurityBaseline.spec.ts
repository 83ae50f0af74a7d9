import { expect } from "chai";
import { enforcePodSecurityBaseline } from "../../../policies/rules/k8s/enforcePodSecurityBaseline";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { container, deployment, podTemplate } from "../fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const d = `${DEPLOYMENT} "web"`;
const run = (props: unknown, type = DEPLOYMENT) => messages(enforcePodSecurityBaseline, [resource(type, "web", props as Record<string, unknown>)]);
const withSpec = (path: string, value: unknown) => withValue(deployment, `spec.template.spec.${path}`, value);

/** The same pod template in every workload kind (and API version variants). */
const workloads: [string, Record<string, unknown>][] = [
    ["kubernetes:apps/v1:Deployment", deployment],
    [
        "kubernetes:apps/v1:StatefulSet",
        { metadata: deployment.metadata, spec: { serviceName: "web", selector: deployment.spec.selector, template: podTemplate } },
    ],
    ["kubernetes:apps/v1:DaemonSet", { metadata: deployment.metadata, spec: { selector: deployment.spec.selector, template: podTemplate } }],
    ["kubernetes:apps/v1:ReplicaSet", { metadata: deployment.metadata, spec: { selector: deployment.spec.selector, template: podTemplate } }],
    ["kubernetes:batch/v1:Job", { metadata: deployment.metadata, spec: { template: podTemplate } }],
    ["kubernetes:batch/v1:CronJob", { metadata: deployment.metadata, spec: { schedule: "@daily", jobTemplate: { spec: { template: podTemplate } } } }],
    ["kubernetes:batch/v1beta1:CronJob", { metadata: deployment.metadata, spec: { schedule: "@daily", jobTemplate: { spec: { template: podTemplate } } } }],
    ["kubernetes:core/v1:Pod", { metadata: { ...deployment.metadata, labels: { app: "web" } }, spec: podTemplate.spec }],
];

describe("policy platform-k8s-workload-baseline (K-01, K-02, K-04, K-05, K-06, K-09, K-16)", () => {
    it("passes the compliant pod in every workload kind and API version", async () => {
        for (const [type, props] of workloads) {
            expect(await run(props, type), type).to.deep.equal([]);
        }
    });
    it("finds host namespaces in every workload kind", async () => {
        for (const [type, props] of workloads) {
            const path = type.endsWith(":Pod")
                ? "spec.hostNetwork"
                : type.endsWith(":CronJob")
                  ? "spec.jobTemplate.spec.template.spec.hostNetwork"
                  : "spec.template.spec.hostNetwork";
            expect(await run(withValue(props, path, true), type), type).to.deep.equal([
                `${type} "web" shares the node's Network namespace (hostNetwork: true). Remove hostNetwork.`,
            ]);
        }
    });
    it("fails host PID and IPC", async () => {
        expect(await run(withSpec("hostPID", true))).to.deep.equal([`${d} shares the node's PID namespace (hostPID: true). Remove hostPID.`]);
        expect(await run(withSpec("hostIPC", true))).to.deep.equal([`${d} shares the node's IPC namespace (hostIPC: true). Remove hostIPC.`]);
    });
    it("fails a privileged container, init container and ephemeral container", async () => {
        const privileged = { ...container, securityContext: { ...container.securityContext, privileged: true } };
        expect(await run(withSpec("containers", [privileged]))).to.deep.equal([`${d} runs container "app" privileged. Remove securityContext.privileged.`]);
        expect(await run(withSpec("initContainers", [{ ...privileged, name: "init" }]))).to.deep.equal([
            `${d} runs init container "init" privileged. Remove securityContext.privileged.`,
        ]);
        expect(await run(withSpec("ephemeralContainers", [{ ...privileged, name: "debug" }]))).to.deep.equal([
            `${d} runs ephemeral container "debug" privileged. Remove securityContext.privileged.`,
        ]);
    });
    it("fails privilege escalation left allowed (omitted or true)", async () => {
        const message = `${d} lets container "app" gain privileges (setuid binaries). Set securityContext.allowPrivilegeEscalation: false.`;
        expect(await run(withSpec("containers.0.securityContext.allowPrivilegeEscalation", REMOVE))).to.deep.equal([message]);
        expect(await run(withSpec("containers.0.securityContext", REMOVE))).to.deep.equal([message]);
        expect(await run(withSpec("containers.0.securityContext.allowPrivilegeEscalation", true))).to.deep.equal([message]);
    });
    it("fails hostPath and other node volume types", async () => {
        expect(await run(withSpec("volumes", [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }]))).to.deep.equal([
            `${d} mounts the node's filesystem (hostPath volume "docker"). Use an emptyDir, a ConfigMap or a persistentVolumeClaim instead.`,
        ]);
        expect(await run(withSpec("volumes", [{ name: "nfs", nfs: { server: "x", path: "/" } }]))).to.deep.equal([
            `${d} uses the volume type nfs (volume "nfs"), which the restricted Pod Security Standard forbids. Use a persistentVolumeClaim or a CSI volume.`,
        ]);
    });
    it("fails host ports", async () => {
        expect(await run(withSpec("containers.0.ports", [{ containerPort: 8080, hostPort: 8080 }]))).to.deep.equal([
            `${d} binds container "app" to host port 8080. Remove ports[].hostPort and expose it through a Service.`,
        ]);
    });
    it("fails unsafe SELinux, procMount, AppArmor, sysctls, host processes and probes of other hosts", async () => {
        expect(await run(withSpec("containers.0.securityContext.seLinuxOptions", { type: "spc_t" }))).to.deep.equal([
            `${d} gives container "app" the SELinux type spc_t. Remove securityContext.seLinuxOptions.type or use container_t.`,
        ]);
        expect(await run(withSpec("securityContext.seLinuxOptions", { type: "unconfined_t" }))).to.have.length(1);
        expect(await run(withSpec("containers.0.securityContext.procMount", "Unmasked"))).to.deep.equal([
            `${d} gives container "app" an unmasked /proc (procMount Unmasked). Remove securityContext.procMount.`,
        ]);
        expect(await run(withSpec("containers.0.securityContext.appArmorProfile", { type: "Unconfined" }))).to.deep.equal([
            `${d} runs container "app" with the AppArmor profile Unconfined. Use RuntimeDefault or Localhost.`,
        ]);
        expect(
            await run(withValue(deployment, "spec.template.metadata.annotations", { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" })),
        ).to.deep.equal([
            `${d} sets the AppArmor profile unconfined (container.apparmor.security.beta.kubernetes.io/app). Use runtime/default or a localhost/ profile.`,
        ]);
        expect(
            await run(
                withSpec("securityContext.sysctls", [
                    { name: "net.core.somaxconn", value: "1024" },
                    { name: "net.ipv4.tcp_syncookies", value: "1" },
                ]),
            ),
        ).to.deep.equal([
            `${d} sets the sysctl net.core.somaxconn, which is not namespaced and affects the whole node. Remove it from securityContext.sysctls.`,
        ]);
        expect(await run(withSpec("securityContext.windowsOptions", { hostProcess: true }))).to.deep.equal([
            `${d} runs its pods as Windows host processes. Remove securityContext.windowsOptions.hostProcess.`,
        ]);
        expect(await run(withSpec("containers.0.livenessProbe", { httpGet: { host: "10.0.0.1", path: "/", port: 80 } }))).to.deep.equal([
            `${d} points the livenessProbe of container "app" at another host. Remove its host field (probes and hooks target the pod).`,
        ]);
    });
    it("fails the default and kube-system namespaces, including an unset namespace", async () => {
        expect(await run(withValue(deployment, "metadata.namespace", REMOVE))).to.deep.equal([
            `${d} runs in the default namespace (metadata.namespace is unset). Set metadata.namespace to the application's own namespace.`,
        ]);
        expect(await run(withValue(deployment, "metadata.namespace", "kube-system"))).to.deep.equal([
            `${d} runs in the kube-system namespace. Set metadata.namespace to the application's own namespace.`,
        ]);
    });
    it("treats a namespace unknown during preview as a declared one, and notes an unknown security flag", async () => {
        expect(await run(withValue(deployment, "metadata.namespace", Unknown.instance))).to.deep.equal([]);
        await expectCannotDecide(enforcePodSecurityBaseline, [
            resource(DEPLOYMENT, "web", withSpec("containers.0.securityContext.privileged", Unknown.instance)),
        ]);
    });
    it("does not apply to other kinds", async () => {
        expect(await run({ spec: { template: { spec: { hostNetwork: true } } } }, "kubernetes:core/v1:ConfigMap")).to.deep.equal([]);
    });
});
