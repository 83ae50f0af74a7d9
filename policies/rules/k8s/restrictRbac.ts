import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { isKind, kindOf } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asString, asStrings, at, describe, peek, prop, records } from "../../lib/values";

const ROLES = [K8S.role, K8S.clusterRole];
const BINDINGS = [K8S.roleBinding, K8S.clusterRoleBinding];
const DANGEROUS_VERBS = ["bind", "escalate", "impersonate"];
const READ_VERBS = ["get", "list", "watch", "*"];
const WRITE_VERBS = ["create", "update", "patch", "delete", "deletecollection"];
/** What decides admission: whoever may write these can intercept or switch off the checks on every object. */
const ADMISSION_RESOURCES = [
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies",
    "mutatingadmissionpolicybindings",
];
/** Subjects no binding may name: requests without credentials, and the group that bypasses RBAC. */
const FORBIDDEN_SUBJECTS: Readonly<Record<string, string>> = {
    "system:anonymous": "requests without credentials",
    "system:unauthenticated": "requests without credentials",
    "system:masters": "a group that bypasses RBAC, so whoever holds a certificate with it is cluster admin whatever the bindings say",
};

/** Problems of one rule of a Role or ClusterRole. */
function ruleProblems(rule: Record<string, unknown>, clusterWide: boolean, index: number): string[] {
    const verbs = asStrings(prop(rule, "verbs"));
    const resources = asStrings(prop(rule, "resources"));
    const where = `rules[${index}]`;
    const problems: string[] = [];
    if (verbs.includes("*") || resources.includes("*")) {
        problems.push(`grants ${verbs.includes("*") ? "every verb" : "every resource"} (${where}). List the verbs and resources it needs`);
    }
    const dangerous = verbs.filter((v) => DANGEROUS_VERBS.includes(v));
    if (dangerous.length > 0) {
        problems.push(`grants ${dangerous.join(", ")} (${where}), which lets its holder gain any permission. Remove them`);
    }
    if (clusterWide && resources.some((r) => r === "secrets" || r === "*") && verbs.some((v) => READ_VERBS.includes(v))) {
        problems.push(`can read Secrets in every namespace (${where}). Grant Secret access with a namespaced Role, for named secrets (resourceNames)`);
    }
    if (resources.includes("pods/exec") && verbs.some((v) => v === "create" || v === "get" || v === "*")) {
        problems.push(`allows exec into pods (${where}). Remove pods/exec; use ephemeral debug access instead`);
    }
    if (resources.includes("nodes/proxy") && verbs.some((v) => v === "create" || v === "get")) {
        problems.push(`reaches the kubelet API through nodes/proxy (${where}), which runs commands in every pod of a node. Remove nodes/proxy`);
    }
    const admission = resources.filter((r) => ADMISSION_RESOURCES.includes(r));
    if (admission.length > 0 && verbs.some((v) => WRITE_VERBS.includes(v))) {
        problems.push(
            `can change admission control (${admission.join(", ")}, ${where}), so its holder can intercept or switch off the checks on every object. Grant read access only`,
        );
    }
    const approves =
        (resources.includes("certificatesigningrequests/approval") && verbs.some((v) => v === "update" || v === "patch")) ||
        (resources.includes("signers") && verbs.includes("approve"));
    if (approves) {
        problems.push(`can approve certificate signing requests (${where}), so its holder can issue a client certificate for any user or group. Remove it`);
    }
    return problems;
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-rbac-least-privilege",
    description:
        "Roles and ClusterRoles grant no wildcard verbs or resources, no bind, escalate or impersonate, no exec into pods, no kubelet access through nodes/proxy, no writes to admission webhooks or policies, no approval of certificate signing requests, and ClusterRoles do not read Secrets cluster-wide; bindings never name system:anonymous, system:unauthenticated, system:masters or a namespace's default service account, and cluster-admin is bound only to system: subjects.",
    enforcementLevel: "mandatory",
    validateStack: checkEachResource(
        (type) => isKind(type, [...ROLES, ...BINDINGS]),
        (args, reportViolation) => {
            if (isKind(args.type, ROLES)) {
                // Aggregated ClusterRoles get their rules from other roles, which are checked themselves.
                if (prop(args.props, "aggregationRule") !== undefined) {
                    return;
                }
                const clusterWide = kindOf(args.type) === K8S.clusterRole;
                records(args.props.rules).forEach((rule, i) => ruleProblems(rule, clusterWide, i).forEach((p) => reportViolation(`${describe(args)} ${p}.`)));
            } else if (isKind(args.type, BINDINGS)) {
                const role = asString(at(args.props, "roleRef", "name")) ?? "its role";
                for (const subject of records(args.props.subjects)) {
                    const name = asString(peek(subject, "name"));
                    if (name !== undefined && FORBIDDEN_SUBJECTS[name] !== undefined) {
                        reportViolation(`${describe(args)} binds ${role} to ${name}: ${FORBIDDEN_SUBJECTS[name]}. Remove the subject.`);
                    } else if (asString(peek(subject, "kind")) === "ServiceAccount" && name === "default") {
                        reportViolation(
                            `${describe(args)} binds ${role} to the default service account, which every pod of its namespace without an account of its own runs as. Bind a service account of its own.`,
                        );
                    }
                }
                if (role !== "cluster-admin") {
                    return;
                }
                const outsiders = records(args.props.subjects)
                    .map((s) => asString(peek(s, "name")) ?? "?")
                    .filter((name) => !name.startsWith("system:"));
                if (outsiders.length > 0) {
                    reportViolation(
                        `${describe(args)} gives cluster-admin to ${outsiders.join(", ")}. Bind a role with only the permissions needed (cluster admins get access through EKS access entries).`,
                    );
                }
            }
        },
    ),
};

/** RBAC-01. */
export const restrictRbac: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "RBAC-01",
        "CIS EKS 4.1.1-4.1.8",
        "CKV_K8S_49",
        "CKV_K8S_157",
        "CKV_K8S_158",
        "CKV2_K8S_3",
        "CKV2_K8S_5",
        "KSV-0044",
        "KSV-0045",
        "KSV-0046",
        "KSV-0053",
        "KSV-0043",
        "KSV-0050",
        "KSV-0051",
        "KSV-0052",
        "KSV-0112",
        "CKV_K8S_42",
        "CKV_K8S_155",
        "CKV_K8S_156",
        "CKV2_K8S_2",
        "KSV-0047",
        "KSV-0114",
        "KSV-0122",
        "KSV-0123",
    ],
    partial: ["CKV2_K8S_1", "KSV-0041", "KSV-0111"],
};
