/**
 * How the coverage table says which checkov and trivy checks each rule of the pack enforces, and how far
 * (the lists: ./enforcedAws.ts, ./enforcedKubernetes.ts). A rule enforces a check
 * fully when, on the resources of this program that the check reads, it reports every case the check
 * fails (it may be stricter); partly when it lets some of them through, which the note names. Extents are
 * judged with prod's thresholds; a note says where dev's are lower. Each rule's `sources` list exactly
 * its fully enforced peer ids and its `partial` list the others (test/policies/coverage/coverage.spec.ts).
 */

/** One rule's peer checks. */
export interface RuleCoverage {
    /** The rule's policy name. */
    readonly rule: string;
    /** Peer checks the rule enforces fully. */
    readonly full: readonly string[];
    /** Peer checks it enforces in part, with what it lets through. */
    readonly partial?: Readonly<Record<string, string>>;
    /** Remarks on fully enforced checks (thresholds that differ by stack, twin resource types). */
    readonly notes?: Readonly<Record<string, string>>;
}

/**
 * Checks that no rule enforces fully alone but the rules that enforce parts of them do together, with
 * how the parts fit: their status is full.
 */
export const TOGETHER: Readonly<Record<string, string>> = {
    CKV_AWS_63: "\"*\" on every resource is platform-iam-policy-privileges's, on named resources platform-iam-policy-sensitive-actions's",
    CKV2_AWS_40: 'iam:* and "*" on named resources are platform-iam-policy-sensitive-actions\'s, "*" on every resource platform-iam-policy-privileges\'s',
    "KSV-0118": "the pod's security context is platform-k8s-pod-spec's, the containers' platform-k8s-workload-baseline's",
};

/** The note of a check whose part dev's policy config turns off. */
export const DEV_OFF = "prod only: dev's policy config turns this part off";
