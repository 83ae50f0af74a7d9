import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKind } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asArray, at, describe, records } from "../../lib/values";

/**
 * True when a ClusterSecretStore's `spec.conditions` limit it to some namespaces (a namespace list, a
 * selector or a regex): without conditions every namespace may read every secret its identity reads.
 */
export function limitsNamespaces(props: Record<string, unknown>): boolean {
    const conditions = records(at(props, "spec", "conditions"));
    return (
        conditions.length > 0 &&
        conditions.every((c) => asArray(c.namespaces).length > 0 || asArray(c.namespaceRegexes).length > 0 || at(c, "namespaceSelector") !== undefined)
    );
}

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-secret-store-scope",
    description:
        "External Secrets stores serve one namespace: a namespaced SecretStore, or a ClusterSecretStore whose spec.conditions limit it to named namespaces. A ClusterSecretStore without conditions lets an ExternalSecret in any namespace read whatever the store's AWS identity may read.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (isKind(args.type, K8S.clusterSecretStore) && !limitsNamespaces(args.props)) {
            reportViolation(
                `${describe(args)} may be used from every namespace. Use a namespaced SecretStore in the namespace that needs it, or set spec.conditions[].namespaces (or a namespaceSelector) on every condition.`,
            );
        }
    },
};

/** External Secrets stores are scoped. */
export const scopeSecretStores: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["ESO-01"],
};
