import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { describe } from "../../lib/values";

/**
 * API versions Kubernetes has removed, with the release that removed them (Kubernetes deprecated API
 * migration guide, kubernetes.io/docs/reference/using-api/deprecation-guide): an object of one fails to
 * apply on a current cluster, or on the next upgrade.
 */
export const REMOVED_API_VERSIONS: Readonly<Record<string, string>> = {
    "extensions/v1beta1": "1.22 (apps/v1, networking.k8s.io/v1, policy/v1)",
    "apps/v1beta1": "1.16 (apps/v1)",
    "apps/v1beta2": "1.16 (apps/v1)",
    "networking.k8s.io/v1beta1": "1.22 (networking.k8s.io/v1)",
    "rbac.authorization.k8s.io/v1beta1": "1.22 (rbac.authorization.k8s.io/v1)",
    "admissionregistration.k8s.io/v1beta1": "1.22 (admissionregistration.k8s.io/v1)",
    "apiextensions.k8s.io/v1beta1": "1.22 (apiextensions.k8s.io/v1)",
    "certificates.k8s.io/v1beta1": "1.22 (certificates.k8s.io/v1)",
    "coordination.k8s.io/v1beta1": "1.22 (coordination.k8s.io/v1)",
    "scheduling.k8s.io/v1beta1": "1.22 (scheduling.k8s.io/v1)",
    "storage.k8s.io/v1beta1": "1.22 and 1.27 (storage.k8s.io/v1)",
    "batch/v1beta1": "1.25 (batch/v1)",
    "policy/v1beta1": "1.25 (policy/v1; PodSecurityPolicy has no successor: Pod Security Admission)",
    "discovery.k8s.io/v1beta1": "1.25 (discovery.k8s.io/v1)",
    "events.k8s.io/v1beta1": "1.25 (events.k8s.io/v1)",
    "node.k8s.io/v1beta1": "1.25 (node.k8s.io/v1)",
    "autoscaling/v2beta1": "1.25 (autoscaling/v2)",
    "autoscaling/v2beta2": "1.26 (autoscaling/v2)",
    "flowcontrol.apiserver.k8s.io/v1beta1": "1.26 (flowcontrol.apiserver.k8s.io/v1)",
    "flowcontrol.apiserver.k8s.io/v1beta2": "1.29 (flowcontrol.apiserver.k8s.io/v1)",
    "flowcontrol.apiserver.k8s.io/v1beta3": "1.32 (flowcontrol.apiserver.k8s.io/v1)",
};

/** The apiVersion of a Kubernetes type token (`kubernetes:apps/v1beta2:Deployment` gives `apps/v1beta2`, `kubernetes:core/v1:Pod` gives `v1`). */
export function apiVersionOf(type: string): string | undefined {
    const match = /^kubernetes:([^:]+):[A-Za-z]+$/.exec(type);
    if (match === null) {
        return undefined;
    }
    return match[1].startsWith("core/") ? match[1].slice("core/".length) : match[1];
}

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-current-api-versions",
    description:
        "Kubernetes objects use API versions the cluster still serves: none of the versions Kubernetes has removed (extensions/v1beta1, policy/v1beta1, batch/v1beta1, autoscaling/v2beta2, flowcontrol v1beta3 and the others of the deprecation guide).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const version = apiVersionOf(args.type);
        const removed = version === undefined ? undefined : REMOVED_API_VERSIONS[version];
        if (removed !== undefined) {
            reportViolation(`${describe(args)} uses ${version}, which Kubernetes removed in ${removed}. Use the current version.`);
        }
    },
};

/** No removed API versions. */
export const requireCurrentApis: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["K8S-21"],
    partial: ["KSV-0107"],
};
