/**
 * The Markdown rendering of the pack's coverage of its peers (policies/coverage): docs/policy-coverage.md
 * and the summary in the README's policy section. Levels come from the stacks' policy configs, the files
 * `--policy-pack-config` passes. Written by `npm run generate`; a test fails when they are out of date.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import { NOT_APPLICABLE, NOT_ENFORCED, PEERS, PROGRAM_TYPES, coverageRows, type CoverageRow, type Exclusion, type Status } from "../policies/coverage";
import type { StackClass } from "../policies/lib/rule";

/** A stack's enforcement level of a rule, as its policy config file sets it. */
export type LevelOf = (stack: StackClass, rule: string) => EnforcementLevel;

/** The groups the document lists checks in. */
const GROUPS = [
    { title: "checkov: AWS", match: (id: string) => id.startsWith("CKV") && id.includes("_AWS_") },
    { title: "checkov: Kubernetes", match: (id: string) => id.startsWith("CKV") && id.includes("_K8S_") },
    { title: "trivy: AWS", match: (id: string) => id.startsWith("AVD-AWS-") },
    { title: "trivy: Kubernetes", match: (id: string) => id.startsWith("KSV-") || id.startsWith("KCV-") },
] as const;

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Counts of one set of rows: what applies to the program, how far it is enforced, and at which prod level. */
export function summarize(rows: readonly CoverageRow[], levelOf: LevelOf) {
    const applicable = rows.filter((r) => r.readsProgram && r.status !== "not applicable");
    const count = (status: Status) => applicable.filter((r) => r.status === status).length;
    const enforced = applicable.filter((r) => r.status === "full" || r.status === "partial");
    const mandatory = enforced.filter((r) => r.enforcedBy.some((e) => levelOf("prod", e.rule) === "mandatory")).length;
    return {
        applicable: applicable.length,
        full: count("full"),
        partial: count("partial"),
        notEnforced: count("not enforced"),
        notApplicable: rows.filter((r) => r.readsProgram && r.status === "not applicable").length,
        mandatoryInProd: mandatory,
        advisoryOnlyInProd: enforced.length - mandatory,
    };
}

/** The summary table (README and document). */
export function coverageSummary(levelOf: LevelOf, rows: readonly CoverageRow[] = coverageRows()): string {
    const lines = [
        "| peer checks | read what the program makes | apply | full | partial | not enforced | not applicable | enforced: mandatory in prod | enforced: advisory only in prod |",
        "|---|---|---|---|---|---|---|---|---|",
    ];
    for (const group of [...GROUPS, { title: "all", match: () => true }]) {
        const of = rows.filter((r) => group.match(r.check.id));
        const s = summarize(of, levelOf);
        const read = of.filter((r) => r.readsProgram).length;
        const name = group.title === "all" ? "**all**" : group.title;
        lines.push(
            `| ${name} | ${read} | ${s.applicable} | ${s.full} | ${s.partial} | ${s.notEnforced} | ${s.notApplicable} | ${s.mandatoryInProd} | ${s.advisoryOnlyInProd} |`,
        );
    }
    return lines.join("\n");
}

/** The table of the checks some rule enforces: one line per check and rule. */
function enforcedTable(rows: readonly CoverageRow[], levelOf: LevelOf): string {
    const lines = ["| check | title | status | rule | extent | dev | prod | note |", "|---|---|---|---|---|---|---|---|"];
    for (const row of rows.filter((r) => r.enforcedBy.length > 0)) {
        row.enforcedBy.forEach((e, i) => {
            const notes = [
                i === 0 && row.reason !== undefined ? `full together: ${row.reason}` : undefined,
                e.note,
                i === 0 && !row.readsProgram ? "the program makes nothing this check reads" : undefined,
            ].filter((n) => n !== undefined);
            lines.push(
                `| ${row.check.id} | ${i === 0 ? cell(row.check.title) : ""} | ${row.status} | \`${e.rule}\` | ${e.extent} | ${levelOf("dev", e.rule)} | ${levelOf("prod", e.rule)} | ${cell(notes.join("; "))} |`,
            );
        });
    }
    return lines.join("\n");
}

/** The checks no rule enforces, by reason. */
function exclusionList(exclusions: readonly Exclusion[], rows: readonly CoverageRow[]): string {
    const titles = new Map(rows.map((r) => [r.check.id, r.check.title]));
    return exclusions.map((e) => [`- ${e.reason}`, ...e.ids.map((id) => `  - ${id}: ${titles.get(id) ?? ""}`)].join("\n")).join("\n");
}

/** docs/policy-coverage.md. */
export function coverageDocument(levelOf: LevelOf): string {
    const rows = coverageRows();
    const sources = Object.entries(PEERS.sources).map(([tool, source]) => `- ${tool}: \`${source}\``);
    const indirect = Object.entries(PROGRAM_TYPES)
        .filter(([, t]) => t.note !== undefined)
        .map(([type, t]) => `- \`${type}\`: ${t.note}`);
    return [
        "# The policy pack against its peers",
        "",
        "<!-- Generated by `npm run generate` from policies/coverage/ and policies/config/<stack>.json; do not edit. -->",
        "",
        "Every checkov and trivy check that reads a resource type or Kubernetes kind this program makes, and every",
        "check a rule of the pack cites, with the rule that enforces it, how far, and at which level in each",
        "stack; or why no rule does. A rule enforces a check **fully** when, on the resources of this program the",
        "check reads, it reports every case the check fails (it may be stricter), **partly** when it lets some",
        "through (the note says which). Extents are judged with prod's thresholds. A check **applies** unless it",
        "reads nothing the program makes or cannot fail for it (**not applicable**, with the reason); **not",
        "enforced** checks apply and no rule enforces them, with the reason (a decision, or a gap that says so).",
        "",
        "Peer checks (policies/coverage/peerChecks.json, the types and kinds each reads as its tool declares them):",
        "",
        ...sources,
        "",
        "What the program makes is mapped to the peers' types in policies/coverage/programTypes.ts, which a test",
        "keeps equal to the types of the offline plans; where the mapping needs a word:",
        "",
        ...indirect,
        "",
        "## Summary",
        "",
        coverageSummary(levelOf, rows),
        "",
        ...GROUPS.flatMap((group) => [
            `## ${group.title}`,
            "",
            enforcedTable(
                rows.filter((r) => group.match(r.check.id)),
                levelOf,
            ),
            "",
        ]),
        "## Not enforced",
        "",
        exclusionList(NOT_ENFORCED, rows),
        "",
        "## Not applicable",
        "",
        exclusionList(NOT_APPLICABLE, rows),
        "",
    ].join("\n");
}
