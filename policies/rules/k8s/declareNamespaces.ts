import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_NAMESPACE, SYSTEM_NAMESPACES, isKind, nameOf } from "../../lib/kubernetes";
import { namespaceUseOf } from "../../lib/namespaces";
import { ofTypesWhere } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE, K8S } from "../../lib/types";
import { describe } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-k8s-namespace-declared",
    description:
        "Every namespace a workload or Helm release of the stack runs in is declared as a Namespace of the stack (so its Pod Security labels, checked by platform-k8s-namespace-isolation, are reviewed code, not whatever the cluster has). The system namespaces are exempt; default is refused by the workload and Helm rules.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const declared = new Set<string>();
        const uses: NonNullable<ReturnType<typeof namespaceUseOf>>[] = [];
        for (const r of ofTypesWhere(args.resources, (type) => type === HELM_RELEASE || isKind(type, K8S.namespace) || isKind(type, K8S.workloads))) {
            if (isKind(r.type, K8S.namespace)) {
                const name = nameOf(r.props);
                if (name !== undefined) {
                    declared.add(name);
                }
                continue;
            }
            const use = namespaceUseOf(r);
            if (use !== undefined) {
                uses.push(use);
            }
        }
        const reported = new Set<PolicyResource>();
        for (const { user, namespace, declared: dependency } of uses) {
            if (
                dependency !== undefined ||
                namespace === undefined ||
                namespace === DEFAULT_NAMESPACE ||
                SYSTEM_NAMESPACES.includes(namespace) ||
                declared.has(namespace)
            ) {
                continue;
            }
            if (!reported.has(user)) {
                reported.add(user);
                reportViolation(
                    `${describe(user)} runs in namespace ${namespace}, which the stack does not declare. Declare a Namespace ${namespace} with Pod Security labels (pod-security.kubernetes.io/enforce: restricted), a ResourceQuota and a LimitRange, and make it depend on the Namespace.`,
                    user.urn,
                );
            }
        }
    },
};

/** X-13 (declaration). */
export const declareNamespaces: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-13", "NS-01"],
};
