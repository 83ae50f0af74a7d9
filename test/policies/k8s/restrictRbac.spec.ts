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
        expect(await run(BINDING, { roleRef: { name: "cluster-admin" }, subjects: [{ kind: "Group", name: "system:masters" }] })).to.deep.equal([]);
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
                    { kind: "Group", name: "system:masters" },
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
