import { expect } from "chai";
import { restrictRbac } from "../../../policies/rules/k8s/restrictRbac";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";

const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const run = (type: string, props: Record<string, unknown>) => messages(restrictRbac, [resource(type, "r", props)]);
const rules = (...r: Record<string, unknown>[]) => ({ rules: r });

describe("policy platform-k8s-rbac-least-privilege (RBAC-01)", () => {
    it("passes narrow roles and system bindings of cluster-admin", async () => {
        expect(await run(ROLE, rules({ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] }))).to.deep.equal([]);
        expect(await run(CLUSTER_ROLE, rules({ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }))).to.deep.equal([]);
        expect(await run(BINDING, { roleRef: { name: "cluster-admin" }, subjects: [{ kind: "User", name: "system:kube-controller-manager" }] })).to.deep.equal(
            [],
        );
        expect(
            await run(
                CLUSTER_ROLE,
                rules({ apiGroups: ["admissionregistration.k8s.io"], resources: ["validatingwebhookconfigurations"], verbs: ["get", "list"] }),
            ),
        ).to.deep.equal([]);
        expect(await run(BINDING, { roleRef: { name: "view" }, subjects: [{ kind: "ServiceAccount", name: "reader", namespace: "shop" }] })).to.deep.equal([]);
    });
    it("fails kubelet access through nodes/proxy", async () => {
        expect(await run(CLUSTER_ROLE, rules({ resources: ["nodes/proxy"], verbs: ["get"] }))).to.deep.equal([
            `${CLUSTER_ROLE} "r" reaches the kubelet API through nodes/proxy (rules[0]), which runs commands in every pod of a node. Remove nodes/proxy.`,
        ]);
    });
    it("fails writes to admission webhooks and policies", async () => {
        expect(
            await run(
                CLUSTER_ROLE,
                rules({
                    apiGroups: ["admissionregistration.k8s.io"],
                    resources: ["mutatingwebhookconfigurations", "validatingadmissionpolicies"],
                    verbs: ["patch"],
                }),
            ),
        ).to.deep.equal([
            `${CLUSTER_ROLE} "r" can change admission control (mutatingwebhookconfigurations, validatingadmissionpolicies, rules[0]), so its holder can intercept or switch off the checks on every object. Grant read access only.`,
        ]);
        expect(await run(ROLE, rules({ resources: ["validatingwebhookconfigurations"], verbs: ["delete"] }))).to.have.length(1);
    });
    it("fails the approval of certificate signing requests, through the approval subresource or a signer", async () => {
        const message = `${CLUSTER_ROLE} "r" can approve certificate signing requests (rules[0]), so its holder can issue a client certificate for any user or group. Remove it.`;
        expect(
            await run(CLUSTER_ROLE, rules({ apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"] })),
        ).to.deep.equal([message]);
        expect(
            await run(
                CLUSTER_ROLE,
                rules({
                    apiGroups: ["certificates.k8s.io"],
                    resources: ["signers"],
                    resourceNames: ["kubernetes.io/kube-apiserver-client"],
                    verbs: ["approve"],
                }),
            ),
        ).to.deep.equal([message]);
    });
    it("fails bindings to anonymous and unauthenticated requests and to system:masters, whatever the role", async () => {
        expect(
            await run(BINDING, {
                roleRef: { name: "view" },
                subjects: [
                    { kind: "User", name: "system:anonymous" },
                    { kind: "Group", name: "system:unauthenticated" },
                    { kind: "Group", name: "system:masters" },
                ],
            }),
        ).to.deep.equal([
            `${BINDING} "r" binds view to system:anonymous: requests without credentials. Remove the subject.`,
            `${BINDING} "r" binds view to system:unauthenticated: requests without credentials. Remove the subject.`,
            `${BINDING} "r" binds view to system:masters: a group that bypasses RBAC, so whoever holds a certificate with it is cluster admin whatever the bindings say. Remove the subject.`,
        ]);
    });
    it("fails a binding to a namespace's default service account", async () => {
        expect(
            await run("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", {
                roleRef: { kind: "Role", name: "reader" },
                subjects: [{ kind: "ServiceAccount", name: "default", namespace: "shop" }],
            }),
        ).to.deep.equal([
            `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding "r" binds reader to the default service account, which every pod of its namespace without an account of its own runs as. Bind a service account of its own.`,
        ]);
    });
    it("fails wildcards, bind/escalate/impersonate and pods/exec", async () => {
        expect(
            await run(
                ROLE,
                rules(
                    { resources: ["*"], verbs: ["*"] },
                    { resources: ["roles"], verbs: ["bind", "escalate"] },
                    { resources: ["pods/exec"], verbs: ["create"] },
                ),
            ),
        ).to.deep.equal([
            `${ROLE} "r" grants every verb (rules[0]). List the verbs and resources it needs.`,
            `${ROLE} "r" grants bind, escalate (rules[1]), which lets its holder gain any permission. Remove them.`,
            `${ROLE} "r" allows exec into pods (rules[2]). Remove pods/exec; use ephemeral debug access instead.`,
        ]);
    });
    it("fails cluster-wide Secret reads in a ClusterRole only", async () => {
        expect(await run(CLUSTER_ROLE, rules({ resources: ["secrets"], verbs: ["list"] }))).to.deep.equal([
            `${CLUSTER_ROLE} "r" can read Secrets in every namespace (rules[0]). Grant Secret access with a namespaced Role, for named secrets (resourceNames).`,
        ]);
    });
    it("fails cluster-admin for non-system subjects (ClusterRoleBinding and RoleBinding)", async () => {
        expect(
            await run(BINDING, {
                roleRef: { name: "cluster-admin" },
                subjects: [
                    { kind: "User", name: "alice" },
                    { kind: "Group", name: "system:nodes" },
                ],
            }),
        ).to.deep.equal([
            `${BINDING} "r" gives cluster-admin to alice. Bind a role with only the permissions needed (cluster admins get access through EKS access entries).`,
        ]);
        expect(
            await run("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", { roleRef: { name: "cluster-admin" }, subjects: [{ name: "ci" }] }),
        ).to.have.length(1);
    });
    it("skips aggregated ClusterRoles and roles without rules (omitted)", async () => {
        expect(await run(CLUSTER_ROLE, { aggregationRule: { clusterRoleSelectors: [] }, rules: [{ resources: ["*"], verbs: ["*"] }] })).to.deep.equal([]);
        expect(await run(ROLE, {})).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the rules are unknown", async () => {
        await expectCannotDecide(restrictRbac, [resource(ROLE, "r", { rules: Unknown.instance })]);
    });
});
