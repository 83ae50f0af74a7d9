import type { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, isKind, podTemplateOf } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asArray, asNumber, asRecord, at, describe, prop } from "../../lib/values";

/** What the pod spec itself gets wrong (fragments to follow the resource's description). */
export function podSpecProblems(spec: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const pod = asRecord(prop(spec, "securityContext"));
    if (pod === undefined || Object.keys(pod).length === 0) {
        problems.push(
            "has no pod-level securityContext. Set spec.securityContext with runAsNonRoot: true, a non-zero runAsUser and runAsGroup, and seccompProfile RuntimeDefault",
        );
    }
    const rootGroups = [
        ["securityContext.runAsGroup", prop(pod, "runAsGroup")],
        ["securityContext.fsGroup", prop(pod, "fsGroup")],
        ...asArray(prop(pod, "supplementalGroups")).map((g) => ["securityContext.supplementalGroups", g] as const),
        ...containersOf(spec).map((c) => [`securityContext.runAsGroup of ${c.label}`, at(c.container, "securityContext", "runAsGroup")] as const),
    ].filter(([, gid]) => asNumber(gid) === 0);
    for (const [where] of rootGroups) {
        problems.push(`runs with the root group (GID 0) in ${where}: files owned by group root become writable. Use a non-zero GID`);
    }
    if (asArray(prop(spec, "hostAliases")).length > 0) {
        problems.push("rewrites the pods' /etc/hosts (spec.hostAliases), which bypasses DNS and its NetworkPolicy. Remove it and publish the name in DNS");
    }
    const automount = prop(spec, "automountServiceAccountToken");
    if (automount !== true && automount !== false) {
        problems.push(
            "leaves mounting the service account token to the default (mounted). Set spec.automountServiceAccountToken: false, or true where the pod calls the Kubernetes API or uses a workload role",
        );
    } else if (automount === true && (prop(spec, "serviceAccountName") ?? "default") === "default") {
        problems.push(
            "mounts the token of the namespace's default service account. Give the pod its own service account, or set automountServiceAccountToken: false",
        );
    }
    return problems;
}

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-pod-spec",
    description:
        "Pods the program makes have a pod-level security context, never run with the root group (runAsGroup, fsGroup, supplementalGroups 0), never rewrite /etc/hosts (hostAliases), and decide explicitly whether the service account token is mounted: never by default, never the default service account's.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, K8S.workloads)) {
            return;
        }
        for (const problem of podSpecProblems(podTemplateOf(args.type, args.props).spec)) {
            reportViolation(`${describe(args)} ${problem}.`);
        }
    },
};

/** The pod spec: security context, groups, hosts, token. */
export const hardenPodSpec: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["K8S-20", "CKV_K8S_29", "KSV-0007", "KSV-0116"],
    partial: ["CKV_K8S_38", "KSV-0036", "KSV-0118"],
};
