/**
 * The pack against its peers: every checkov and trivy check that reads what this program makes (see
 * ./programTypes), and every check a rule cites, with what the pack does about it. Side-effect free data
 * for the generated coverage table (docs/policy-coverage.md) and its tests; the pack itself never loads it.
 */
import peerData from "./peerChecks.json";
import { TOGETHER, type RuleCoverage } from "./enforced";
import { AWS_RULES } from "./enforcedAws";
import { KUBERNETES_RULES } from "./enforcedKubernetes";
import { NOT_APPLICABLE, NOT_ENFORCED } from "./excluded";
import { programSubjects } from "./programTypes";

export { TOGETHER, type RuleCoverage } from "./enforced";
export { NOT_APPLICABLE, NOT_ENFORCED, type Exclusion } from "./excluded";
export { PROGRAM_TYPES, isStructural, programSubjects, type ProgramType } from "./programTypes";

/** Every rule with peer checks (./enforced says what full and partial mean), in the order of the pack. */
export const ENFORCED: readonly RuleCoverage[] = [...AWS_RULES, ...KUBERNETES_RULES];

/** One check of a peer tool, as vendored in ./peerChecks.json. */
export interface PeerCheck {
    readonly id: string;
    readonly tool: "checkov" | "trivy";
    readonly title: string;
    /** Terraform types, `trivy:aws/<service>` or `k8s:<Kind>` (`k8s:*`: every object) it reads. */
    readonly reads: readonly string[];
    /** Retired by its tool in the snapshot. */
    readonly deprecated?: boolean;
}

/** The vendored peer checks and the snapshots they come from. */
export const PEERS: { readonly sources: Readonly<Record<string, string>>; readonly checks: readonly PeerCheck[] } = peerData as never;

/** The ids checkov and trivy give their checks (the spelling the pack's `sources` use). */
export const PEER_ID = /^(CKV2?_(AWS|K8S)_\d+|AVD-AWS-\d{4}|KSV-\d{4,5}|KCV-\d{4})$/;

/** How the pack stands to one check. */
export type Status = "full" | "partial" | "not enforced" | "not applicable";

/** A rule's part in a check. */
export interface Enforcement {
    readonly rule: string;
    readonly extent: "full" | "partial";
    /** What it lets through (partial), or a remark. */
    readonly note?: string;
}

/** One row of the coverage table. */
export interface CoverageRow {
    readonly check: PeerCheck;
    /** Whether the check reads a resource type or kind the program makes. */
    readonly readsProgram: boolean;
    readonly status: Status;
    readonly enforcedBy: readonly Enforcement[];
    /** Why not enforced, or why not applicable; for checks enforced by rules together, how. */
    readonly reason?: string;
}

function enforcementsById(coverage: readonly RuleCoverage[]): Map<string, Enforcement[]> {
    const byId = new Map<string, Enforcement[]>();
    const add = (id: string, e: Enforcement) => byId.set(id, [...(byId.get(id) ?? []), e]);
    for (const { rule, full, partial = {}, notes = {} } of coverage) {
        full.forEach((id) => add(id, { rule, extent: "full", note: notes[id] }));
        Object.entries(partial).forEach(([id, note]) => add(id, { rule, extent: "partial", note }));
    }
    return byId;
}

/** The coverage table: one row per check the program's resources make relevant or the table names, in the vendored order. */
export function coverageRows(): CoverageRow[] {
    const subjects = programSubjects();
    const enforcements = enforcementsById(ENFORCED);
    const reasons = (list: typeof NOT_ENFORCED) => new Map(list.flatMap((e) => e.ids.map((id) => [id, e.reason] as const)));
    const notEnforced = reasons(NOT_ENFORCED);
    const notApplicable = reasons(NOT_APPLICABLE);
    const rows: CoverageRow[] = [];
    for (const check of PEERS.checks) {
        const readsProgram = check.reads.some((s) => subjects.has(s));
        const enforcedBy = enforcements.get(check.id) ?? [];
        if (enforcedBy.length > 0) {
            const together = TOGETHER[check.id];
            const full = together !== undefined || enforcedBy.some((e) => e.extent === "full");
            rows.push({ check, readsProgram, status: full ? "full" : "partial", enforcedBy, reason: together });
        } else if (notEnforced.has(check.id)) {
            rows.push({ check, readsProgram, status: "not enforced", enforcedBy, reason: notEnforced.get(check.id) });
        } else if (notApplicable.has(check.id)) {
            rows.push({ check, readsProgram, status: "not applicable", enforcedBy, reason: notApplicable.get(check.id) });
        } else if (readsProgram) {
            throw new Error(`${check.id} (${check.title}) reads what the program makes but is not in the coverage table (policies/coverage/)`);
        }
    }
    return rows;
}
