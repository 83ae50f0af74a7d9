/**
 * What a change does to a stack, against an earlier plan: `npm run plan -- --baseline FILE` reads an
 * earlier `--json` record (the base branch's, in the pull-request workflow) and says which resources are
 * added, removed and changed, by type, and how the modeled cost and create time move.
 */
import * as fs from "node:fs";
import type { PlanEstimates } from "./estimates";

/** The parts of a plan record the comparison reads. */
export interface PlanRecord {
    readonly steps: readonly { readonly urn: string; readonly newState: { readonly type: string; readonly inputs?: unknown } }[];
    readonly estimates?: PlanEstimates;
}

/** Counts by type. */
export type TypeCounts = Record<string, number>;

/** The comparison. */
export interface PlanDiff {
    readonly added: TypeCounts;
    readonly removed: TypeCounts;
    readonly changed: TypeCounts;
    /** USD a month, fixed charges (undefined when either side has no estimate). */
    readonly costDeltaUsd?: number;
    /** USD a month, usage-based charges. */
    readonly usageDeltaUsd?: number;
    /** Minutes of the modeled create time. */
    readonly createDeltaMinutes?: number;
}

/** Reads a `--json` record; a clear error when the file is not one. */
export function readPlanRecord(file: string): PlanRecord {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new BaselineError(
            `--baseline ${file}: ${error instanceof Error ? error.message : String(error)}; expected the file an earlier \`npm run plan -- --json\` wrote`,
        );
    }
    if (parsed === null || typeof parsed !== "object" || !Array.isArray((parsed as PlanRecord).steps)) {
        throw new BaselineError(`--baseline ${file}: has no steps; expected the file an earlier \`npm run plan -- --json\` wrote`);
    }
    return parsed as PlanRecord;
}

/** A baseline that cannot be read (the plan exits 2). */
export class BaselineError extends Error {}

const bump = (counts: TypeCounts, type: string) => {
    counts[type] = (counts[type] ?? 0) + 1;
};
const sorted = (counts: TypeCounts): TypeCounts => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Stable JSON: keys sorted, so the same inputs compare equal whatever their order. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

/** Compares a plan with a baseline, resource by URN. */
export function diffPlans(baseline: PlanRecord, current: PlanRecord): PlanDiff {
    const before = new Map(baseline.steps.map((s) => [s.urn, s.newState]));
    const after = new Map(current.steps.map((s) => [s.urn, s.newState]));
    const added: TypeCounts = {};
    const removed: TypeCounts = {};
    const changed: TypeCounts = {};
    for (const [urn, state] of after) {
        const old = before.get(urn);
        if (old === undefined) {
            bump(added, state.type);
        } else if (canonical(old.inputs) !== canonical(state.inputs)) {
            bump(changed, state.type);
        }
    }
    for (const [urn, state] of before) {
        if (!after.has(urn)) {
            bump(removed, state.type);
        }
    }
    const b = baseline.estimates;
    const c = current.estimates;
    return {
        added: sorted(added),
        removed: sorted(removed),
        changed: sorted(changed),
        ...(b !== undefined && c !== undefined
            ? {
                  costDeltaUsd: round(c.monthlyCostUsd.total - b.monthlyCostUsd.total, 2),
                  usageDeltaUsd: round(c.usageCostUsd.total - b.usageCostUsd.total, 2),
                  createDeltaMinutes: round(c.createMinutes.total - b.createMinutes.total, 1),
              }
            : {}),
    };
}

/** `+$12.00/month`, `-$3.50/month`, `±$0.00/month`. */
export function formatUsd(delta: number): string {
    const sign = delta > 0 ? "+" : delta < 0 ? "-" : "±";
    return `${sign}$${Math.abs(delta).toFixed(2)}/month`;
}

/** `-1.5 min`, `+0.3 min`, `±0.0 min`. */
export function formatMinutes(delta: number): string {
    const sign = delta > 0 ? "+" : delta < 0 ? "-" : "±";
    return `${sign}${Math.abs(delta).toFixed(1)} min`;
}

function countsLine(label: string, counts: TypeCounts): string {
    const entries = Object.entries(counts);
    const total = entries.reduce((t, [, n]) => t + n, 0);
    return `${label} ${total}${entries.length > 0 ? `: ${entries.map(([type, n]) => `${type} ${n}`).join(", ")}` : ""}`;
}

/** The comparison's text. */
export function diffReport(diff: PlanDiff, baselineFile: string): string[] {
    const out = [`Against the baseline ${baselineFile}:`];
    out.push(`  ${countsLine("added", diff.added)}`, `  ${countsLine("removed", diff.removed)}`, `  ${countsLine("changed", diff.changed)}`);
    if (diff.costDeltaUsd === undefined) {
        out.push("  cost and create time: the baseline has no estimates");
    } else {
        out.push(
            `  monthly cost ${formatUsd(diff.costDeltaUsd)} fixed, ${formatUsd(diff.usageDeltaUsd!)} usage; create time ${formatMinutes(diff.createDeltaMinutes!)}`,
        );
    }
    return out;
}

/** The comparison as Markdown. */
export function diffMarkdown(diff: PlanDiff): string[] {
    const row = (label: string, counts: TypeCounts) => {
        const types = Object.entries(counts).map(([type, n]) => `\`${type}\` ${n}`);
        return `| ${label} | ${Object.values(counts).reduce((t, n) => t + n, 0)} | ${types.length === 0 ? " " : types.join(", ")} |`;
    };
    const out = ["**Against the base branch**", "", "| | Resources | By type |", "| --- | ---: | --- |"];
    out.push(row("added", diff.added), row("removed", diff.removed), row("changed", diff.changed), "");
    if (diff.costDeltaUsd !== undefined) {
        out.push(
            `Monthly cost **${formatUsd(diff.costDeltaUsd)}** fixed, ${formatUsd(diff.usageDeltaUsd!)} usage; create time **${formatMinutes(diff.createDeltaMinutes!)}**.`,
            "",
        );
    }
    return out;
}
