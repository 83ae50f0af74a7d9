import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_NAMESPACE, SYSTEM_NAMESPACES, isKind, namespaceOf, nameOf } from "../../lib/kubernetes";
import { namespaceUseOf } from "../../lib/namespaces";
import { ofTypesWhere } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE, K8S } from "../../lib/types";
import { describe } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-k8s-namespace-quotas",
    description:
        "Recommended: every namespace a workload or Helm release runs in has a ResourceQuota and a LimitRange, so one runaway workload cannot take the cluster's capacity and pods without requests get defaults. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const quotas = new Set<string>();
        const limits = new Set<string>();
        const namespaces = new Map<string, PolicyResource>();
        const used = new Map<string, PolicyResource>();
        const relevant = ofTypesWhere(
            args.resources,
            (type) => type === HELM_RELEASE || isKind(type, [K8S.namespace, K8S.resourceQuota, K8S.limitRange]) || isKind(type, K8S.workloads),
        );
        for (const r of relevant) {
            if (isKind(r.type, K8S.namespace)) {
                const name = nameOf(r.props);
                if (name !== undefined) {
                    namespaces.set(name, r);
                }
            } else if (isKind(r.type, K8S.resourceQuota) || isKind(r.type, K8S.limitRange)) {
                const namespace = namespaceOf(r);
                if (namespace !== undefined) {
                    (isKind(r.type, K8S.resourceQuota) ? quotas : limits).add(namespace);
                }
            } else {
                const use = namespaceUseOf(r);
                if (use?.namespace !== undefined && !used.has(use.namespace)) {
                    used.set(use.namespace, r);
                }
            }
        }
        for (const [namespace, user] of used) {
            if (namespace === DEFAULT_NAMESPACE || SYSTEM_NAMESPACES.includes(namespace)) {
                continue;
            }
            const missing = [quotas.has(namespace) ? "" : "ResourceQuota", limits.has(namespace) ? "" : "LimitRange"].filter(Boolean);
            if (missing.length > 0) {
                const target = namespaces.get(namespace);
                reportViolation(
                    `${target !== undefined ? describe(target) : `Namespace ${namespace} (of ${describe(user)})`} has no ${missing.join(" and no ")}. Add a ResourceQuota (CPU, memory, pods) and a LimitRange (default requests and limits) in namespace ${namespace}.`,
                    (target ?? user).urn,
                );
            }
        }
    },
};

/** X-13 (quotas and limit ranges; KSV-0039, KSV-0040); advisory in every stack. */
export const limitNamespaceResources: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["X-13", "KSV-0039", "KSV-0040"],
};
