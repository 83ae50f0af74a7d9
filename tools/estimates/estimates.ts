/**
 * The offline plan's estimates: the stack's monthly cost (cost.ts) and the create time of a fresh stack
 * with its critical path (createTime.ts), in the shape `--json` carries them.
 */
import { resolveConfig } from "../../config";
import type { ProgramRun } from "../offline/runtime";
import { costReport, estimateCost, type CostEstimate, type CostLine } from "./cost";
import { createTimeReport, estimateCreateTime, type CreateTimeEstimate } from "./createTime";

/** The `estimates` member of the plan's JSON. */
export interface PlanEstimates {
    /** Fixed monthly charges. */
    readonly monthlyCostUsd: { readonly total: number; readonly lines: CostLine[] };
    /** Usage-based monthly charges at the config's assumptions. */
    readonly usageCostUsd: { readonly total: number; readonly lines: CostLine[]; readonly assumptions: Record<string, number> };
    /** Modeled create time of a fresh stack. */
    readonly createMinutes: CreateTimeEstimate;
}

/** The estimates of a run, or why there are none (a region or type the price table lacks). */
export function estimatePlan(run: ProgramRun): { estimates: PlanEstimates; cost: CostEstimate } | { error: string } {
    const config = resolveConfig({ stack: run.stack, values: run.config });
    const resources = run.resources.map((r) => ({ ...r, inputs: r.inputs }));
    let cost: CostEstimate;
    try {
        cost = estimateCost(resources, config);
    } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
    }
    return {
        cost,
        estimates: {
            monthlyCostUsd: { total: cost.total, lines: cost.lines },
            usageCostUsd: cost.usage,
            createMinutes: estimateCreateTime(resources),
        },
    };
}

/** The estimates' text for the plan's report. */
export function estimatesReport(result: ReturnType<typeof estimatePlan>): string[] {
    if ("error" in result) {
        return [`Estimates: not made (${result.error}).`];
    }
    return [...costReport(result.cost), "", ...createTimeReport(result.estimates.createMinutes)];
}

/** The estimates as Markdown (the pull request's summary). */
export function estimatesMarkdown(result: ReturnType<typeof estimatePlan>): string[] {
    if ("error" in result) {
        return [`**Estimates**: not made (${result.error}).`];
    }
    const e = result.estimates;
    const out = [
        `**Monthly cost (modeled)**: $${e.monthlyCostUsd.total.toFixed(2)} fixed + $${e.usageCostUsd.total.toFixed(2)} usage; **create time (modeled)**: ${e.createMinutes.total.toFixed(1)} min.`,
        "",
        "<details><summary>Cost lines and the critical path</summary>",
        "",
        "| Item | USD/month |",
        "| --- | ---: |",
        ...e.monthlyCostUsd.lines.map((l) => `| ${l.item.replace(/\|/g, "\\|")} | ${l.usd.toFixed(2)} |`),
        ...e.usageCostUsd.lines.map((l) => `| usage: ${l.item.replace(/\|/g, "\\|")} | ${l.usd.toFixed(2)} |`),
        "",
        "| Critical path | Minutes |",
        "| --- | ---: |",
        ...e.createMinutes.criticalPath.map((s) => `| \`${s.type}\` ${s.name} | ${s.minutes.toFixed(2)} |`),
        "",
        "</details>",
    ];
    return out;
}
