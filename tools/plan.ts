/**
 * The offline plan: runs the real program for a stack under Pulumi's mock runtime (no cloud
 * credentials, no CLI), prints the resource tree, counts, outputs and policy violations, and can write
 * the record in the shape of `pulumi preview --json`. A `secure:` value of the stack file cannot be
 * decrypted here: it counts as set with an unknown value, and every report lists the config checks that
 * were therefore not made ("Not checked offline"; the Pulumi CLI decrypts it and makes them).
 *
 *   npm run plan -- [--stack dev|prod] [--config-file FILE] [--json FILE] [--markdown FILE] [--baseline FILE]
 *
 * After the violations it prints the modeled monthly cost and the modeled create time of a fresh stack
 * with its critical path (tools/estimates/); `--json` carries both as `estimates`. `--baseline FILE` (an
 * earlier `--json` record) adds what changed: resources added, removed and changed by type, and the cost
 * and time deltas.
 *
 * `--markdown FILE` also writes a short Markdown summary (counts by type, violations, outputs), for a CI
 * job summary or a pull-request comment; it is written for an invalid configuration too.
 *
 * Exit status: 0 clean (advisory violations allowed), 1 mandatory policy violations, 2 invalid
 * configuration (a stack file that is not valid YAML included) or arguments, 3 an unexpected failure
 * (a one-line message on stderr; no Markdown file).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluatePolicies, readPolicyConfig, type PolicyViolation } from "./offline/policyRunner";
import { countByType, previewDocument } from "./offline/previewJson";
import { runProgram, type ProgramRun, type RecordedResource } from "./offline/runtime";
import { stackFilePath } from "./offline/stackConfig";
import { containsSecret } from "./offline/values";
import type { UncheckedConfig } from "../config/unknown";
import { BaselineError, diffMarkdown, diffPlans, diffReport, readPlanRecord, type PlanRecord } from "./estimates/baseline";
import { estimatePlan, estimatesMarkdown, estimatesReport } from "./estimates/estimates";

/** Parsed command-line options. */
export interface PlanOptions {
    stack: string;
    configFile?: string;
    json?: string;
    markdown?: string;
    baseline?: string;
}

const USAGE = "usage: npm run plan -- [--stack dev|prod] [--config-file FILE] [--json FILE] [--markdown FILE] [--baseline FILE]";

/** Parses argv (without node and script); returns an error message for bad arguments. */
export function parseArgs(argv: readonly string[]): PlanOptions | string {
    const options: PlanOptions = { stack: "dev" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        const take = (): string | undefined => (value === undefined || value.startsWith("--") ? undefined : (i++, value));
        if (flag === "--stack" || flag === "--config-file" || flag === "--json" || flag === "--markdown" || flag === "--baseline") {
            const v = take();
            if (v === undefined) {
                return `${flag} needs a value\n${USAGE}`;
            }
            if (flag === "--stack") {
                options.stack = v;
            } else if (flag === "--config-file") {
                options.configFile = v;
            } else if (flag === "--markdown") {
                options.markdown = v;
            } else if (flag === "--baseline") {
                options.baseline = v;
            } else {
                options.json = v;
            }
        } else {
            return `unknown argument ${JSON.stringify(flag)}\n${USAGE}`;
        }
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(options.stack)) {
        return `--stack ${JSON.stringify(options.stack)} is not a stack name\n${USAGE}`;
    }
    return options;
}

function treeLines(run: ProgramRun): string[] {
    const children = new Map<string, RecordedResource[]>();
    const roots: RecordedResource[] = [];
    for (const r of run.resources) {
        if (r.parent && run.resources.some((p) => p.urn === r.parent)) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
        } else {
            roots.push(r);
        }
    }
    const lines: string[] = [];
    const walk = (r: RecordedResource, prefix: string, last: boolean, depth: number) => {
        const marker = depth === 0 ? "" : last ? "└─ " : "├─ ";
        const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
        lines.push(`${prefix}${marker}${r.type}  ${r.name}${flags ? `  (${flags})` : ""}`);
        const kids = children.get(r.urn) ?? [];
        const nextPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
        kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
    };
    roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));
    return lines;
}

/** The lines of the "Not checked offline" section: one per skipped check. */
function uncheckedLines(unchecked: readonly UncheckedConfig[]): string[] {
    return unchecked.map((u) => `${u.key}: ${u.check}`);
}

const UNCHECKED_NOTE = "secure: values the offline tools cannot decrypt (set, value unknown); the Pulumi CLI decrypts them and checks them";

function formatOutput(value: unknown): string {
    if (containsSecret(value)) {
        return "[secret]";
    }
    return JSON.stringify(value);
}

/** The human-readable report. */
export function report(run: ProgramRun, violations: PolicyViolation[], elapsedMs: number, source: string, estimates: readonly string[] = []): string {
    const out: string[] = [];
    out.push(`Offline plan of stack "${run.stack}" (project ${run.project}, config ${source}): mock runtime, no cloud credentials used.`, "");
    out.push(`Resources (${run.resources.length}), by component:`, ...treeLines(run).map((l) => `  ${l}`), "");
    out.push("Resources by type:");
    const counts = countByType(run);
    const width = Math.max(...Object.keys(counts).map((t) => t.length));
    for (const [type, n] of Object.entries(counts)) {
        out.push(`  ${type.padEnd(width)}  ${n}`);
    }
    out.push("", "Stack outputs (secrets masked):");
    for (const [key, value] of Object.entries(run.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`  ${key}: ${formatOutput(value)}`);
    }
    const names = new Map(run.resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
    for (const level of ["mandatory", "advisory"] as const) {
        const found = violations.filter((v) => v.enforcementLevel === level);
        out.push("", `Policy violations, ${level} (${found.length}):`);
        for (const v of found) {
            out.push(`  [${v.policyName}] ${names.get(v.urn) ?? "stack"}`, `      ${v.message}`);
        }
    }
    out.push("", `Not checked offline (${run.unchecked.length})${run.unchecked.length > 0 ? `: ${UNCHECKED_NOTE}` : ""}:`);
    out.push(...uncheckedLines(run.unchecked).map((l) => `  ${l}`));
    if (estimates.length > 0) {
        out.push("", ...estimates);
    }
    out.push("", `Elapsed: ${(elapsedMs / 1000).toFixed(2)} s`);
    return out.join("\n");
}

/** Text made safe for one Markdown table cell: pipes escaped, line breaks as <br>. */
function cell(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** The Markdown summary of a plan: totals, counts by type, policy violations, outputs (secrets masked). */
export function markdownReport(run: ProgramRun, violations: PolicyViolation[], source: string, estimates: readonly string[] = []): string {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    const advisory = violations.filter((v) => v.enforcementLevel === "advisory");
    const status = mandatory.length > 0 ? "❌ mandatory policy violations" : "✅ no mandatory policy violations";
    const out: string[] = [];
    out.push(`### Offline plan of \`${run.stack}\`: ${status}`, "");
    out.push(`Config \`${source}\`, mock runtime, no cloud credentials used.`, "");
    out.push(`**${run.resources.length} resources**; policy violations: **${mandatory.length} mandatory**, **${advisory.length} advisory**.`, "");
    out.push("| Level | Policy | Resource | Message |", "| --- | --- | --- | --- |");
    const names = new Map(run.resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
    for (const v of [...mandatory, ...advisory]) {
        out.push(`| ${v.enforcementLevel} | ${cell(v.policyName)} | ${cell(names.get(v.urn) ?? "stack")} | ${cell(v.message)} |`);
    }
    if (violations.length === 0) {
        out.push("| none | | | |");
    }
    if (run.unchecked.length > 0) {
        out.push("", `**Not checked offline** (${UNCHECKED_NOTE}):`, "", "| Key | Check not made |", "| --- | --- |");
        for (const u of run.unchecked) {
            out.push(`| \`${u.key}\` | ${cell(u.check)} |`);
        }
    }
    if (estimates.length > 0) {
        out.push("", ...estimates);
    }
    out.push("", "<details><summary>Resources by type</summary>", "", "| Type | Count |", "| --- | ---: |");
    for (const [type, n] of Object.entries(countByType(run))) {
        out.push(`| \`${type}\` | ${n} |`);
    }
    out.push("", "</details>", "", "<details><summary>Stack outputs (secrets masked)</summary>", "", "| Output | Value |", "| --- | --- |");
    for (const [key, value] of Object.entries(run.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`| \`${key}\` | ${cell(formatOutput(value))} |`);
    }
    out.push("", "</details>", "");
    return out.join("\n");
}

/** The Markdown summary of a plan that stopped on invalid configuration. */
export function markdownProblems(stack: string, source: string, messages: readonly string[]): string {
    return [`### Offline plan of \`${stack}\`: ❌ invalid configuration in \`${source}\``, "", ...messages.map((m) => `- ${m}`), ""].join("\n");
}

/** The one-line message of an unexpected failure (exit 3): the error's first line, without its stack. */
export function unexpectedFailure(error: unknown): string {
    const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
    const first = text.split("\n").find((l) => l.trim() !== "") ?? "(no message)";
    return `offline plan failed unexpectedly (exit 3; a bug of the tool or the program, not of the config): ${first.trim()}`;
}

/** Runs the plan; returns the exit status. */
export async function main(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t + "\n")): Promise<number> {
    const started = Date.now();
    const options = parseArgs(argv);
    if (typeof options === "string") {
        write(options);
        return 2;
    }
    const configFile = options.configFile ? path.resolve(options.configFile) : stackFilePath(options.stack);
    if (!fs.existsSync(configFile)) {
        write(`config file ${configFile} does not exist; expected Pulumi.<stack>.yaml or a file given with --config-file`);
        return 2;
    }
    let run: ProgramRun;
    try {
        run = await runProgram({ stack: options.stack, configFile });
    } catch (error) {
        const problems = (error as { problems?: { message: string }[] }).problems;
        if (problems) {
            const source = path.relative(process.cwd(), configFile);
            write(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`);
            if (options.markdown) {
                fs.writeFileSync(
                    options.markdown,
                    markdownProblems(
                        options.stack,
                        source,
                        problems.map((p) => p.message),
                    ),
                );
            }
            return 2;
        }
        throw error;
    }
    let baseline: PlanRecord | undefined;
    try {
        baseline = options.baseline === undefined ? undefined : readPlanRecord(options.baseline);
    } catch (error) {
        if (error instanceof BaselineError) {
            write(error.message);
            return 2;
        }
        throw error;
    }
    const violations = await evaluatePolicies(run.resources, { config: readPolicyConfig(options.stack) });
    const estimated = estimatePlan(run);
    const document = { ...previewDocument(run, violations), ...("error" in estimated ? {} : { estimates: estimated.estimates }) };
    // The record the baseline is compared with: the steps and estimates as they will be written.
    const diff = baseline === undefined ? undefined : diffPlans(baseline, JSON.parse(JSON.stringify(document)) as PlanRecord);
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(document, null, 2) + "\n");
    }
    const source = path.relative(process.cwd(), configFile);
    if (options.markdown) {
        fs.writeFileSync(
            options.markdown,
            markdownReport(run, violations, source, [...estimatesMarkdown(estimated), ...(diff ? ["", ...diffMarkdown(diff)] : [])]),
        );
    }
    const estimateLines = [...estimatesReport(estimated), ...(diff && options.baseline ? ["", ...diffReport(diff, options.baseline)] : [])];
    write(report(run, violations, Date.now() - started, source, estimateLines));
    if (options.json) {
        write(`Wrote the plan as preview JSON to ${options.json}`);
    }
    if (options.markdown) {
        write(`Wrote the Markdown summary to ${options.markdown}`);
    }
    return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (status) => {
            process.exitCode = status;
        },
        (error: unknown) => {
            process.stderr.write(`${unexpectedFailure(error)}\n`);
            process.exitCode = 3;
        },
    );
}
