/**
 * Pod Security Admission labels for the namespaces the program creates.
 */

/** The Pod Security Standards levels. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Labels that make the API server enforce `level` on every pod of a namespace (and warn and audit at the
 * same level), against the policy of the cluster's own Kubernetes version.
 */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": level,
        "pod-security.kubernetes.io/audit": level,
    };
}
