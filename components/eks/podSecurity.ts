/**
 * Pod Security Admission labels for the namespaces the program creates.
 */

/** The Pod Security Standards levels. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Labels that make the API server enforce `level` on every pod of a namespace, and warn and audit at the
 * same level. `version` pins the Pod Security Standards release, such as `v1.36` (the cluster's minor):
 * a cluster upgrade then never tightens the rules under running pods unannounced, and warn and audit use
 * the same pin.
 */
export function podSecurityLabels(level: PodSecurityLevel, version: string): Record<string, string> {
    if (!/^v1\.\d+$/.test(version)) {
        throw new Error(`podSecurityLabels: version ${JSON.stringify(version)} is not a Kubernetes minor such as "v1.36"`);
    }
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/warn": level,
        "pod-security.kubernetes.io/warn-version": version,
        "pod-security.kubernetes.io/audit": level,
        "pod-security.kubernetes.io/audit-version": version,
    };
}
