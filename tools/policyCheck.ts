/**
 * Evaluates the policy pack on a `pulumi preview --json` file, without the Pulumi CLI's analyzer: the
 * file of a real preview (steps[].newState with inputs and outputs) or of the offline plan
 * (`npm run plan -- --json FILE`, same shape). Prints the violations, or JSON with --json.
 *
 *   npm run policy:check -- FILE [--stack dev|prod] [--json]
 *
 * The stack selects the policy config (policies/config/<stack>.json); by default the file's own `stack`
 * field, else prod. Exit status: 0 no mandatory violation, 1 mandatory violations, 2 unreadable or
 * invalid file, or bad arguments.
 */
import * as fs from "node:fs";
import { evaluatePolicies, readPolicyConfig, type PolicyInput, type PolicyViolation } from "./offline/policyRunner";
import { UNKNOWN_SENTINEL, Unknown } from "./offline/values";

/** Parsed command-line options. */
export interface PolicyCheckOptions {
    file: string;
    stack?: string;
    json: boolean;
}

const USAGE = "usage: npm run policy:check -- FILE [--stack dev|prod] [--json]";

/** Parses argv (without node and script); returns an error message for bad arguments. */
export function parseArgs(argv: readonly string[]): PolicyCheckOptions | string {
    let file: string | undefined;
    let stack: string | undefined;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") {
            json = true;
        } else if (arg === "--stack") {
            const value = argv[i + 1];
            if (value === undefined || value.startsWith("--")) {
                return `--stack needs a value\n${USAGE}`;
            }
            stack = value;
            i++;
        } else if (arg.startsWith("--")) {
            return `unknown argument ${JSON.stringify(arg)}\n${USAGE}`;
        } else if (file === undefined) {
            file = arg;
        } else {
            return `only one file can be checked, got ${JSON.stringify(file)} and ${JSON.stringify(arg)}\n${USAGE}`;
        }
    }
    if (file === undefined) {
        return `no preview file given\n${USAGE}`;
    }
    if (stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(stack)) {
        return `--stack ${JSON.stringify(stack)} is not a stack name\n${USAGE}`;
    }
    return { file, stack, json };
}

/** A preview file that cannot be used, with the reason to show. */
export class InvalidPreviewError extends Error {}

/** The unknown sentinels the engine writes for values computed during deployment (string, bool, number, array, asset, archive, object). */
const UNKNOWN_SENTINELS = new Set([
    UNKNOWN_SENTINEL,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** JSON values as the evaluator expects them: unknown sentinels as Unknown, secret envelopes masked. */
function normalise(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? Unknown.instance : value;
    }
    if (Array.isArray(value)) {
        return value.map(normalise);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (SECRET_SIG_KEY in record) {
            return "[secret]";
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, normalise(v)]));
    }
    return value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === "string");

/** Steps whose newState does not describe a resource that exists after the deployment. */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** The resources of a preview document, as the evaluator takes them (one per URN, the last state wins). */
export function resourcesOf(doc: unknown): PolicyInput[] {
    if (!isRecord(doc) || !Array.isArray(doc.steps)) {
        throw new InvalidPreviewError('it has no "steps" list; expected the output of `pulumi preview --json` or `npm run plan -- --json FILE`');
    }
    const byUrn = new Map<string, PolicyInput>();
    doc.steps.forEach((step: unknown, i: number) => {
        if (!isRecord(step)) {
            throw new InvalidPreviewError(`steps[${i}] is not an object`);
        }
        if (GONE.has(String(step.op)) || step.newState === undefined || step.newState === null) {
            return;
        }
        const state = step.newState;
        if (!isRecord(state) || typeof state.urn !== "string" || typeof state.type !== "string") {
            throw new InvalidPreviewError(`steps[${i}].newState has no urn or type`);
        }
        const inputs = isRecord(state.inputs) ? (normalise(state.inputs) as Record<string, unknown>) : {};
        const outputs = isRecord(state.outputs) && Object.keys(state.outputs).length > 0 ? (normalise(state.outputs) as Record<string, unknown>) : inputs;
        const propertyDependencies: Record<string, string[]> = {};
        if (isRecord(state.propertyDependencies)) {
            for (const [key, urns] of Object.entries(state.propertyDependencies)) {
                if (isStringList(urns)) {
                    propertyDependencies[key] = urns;
                }
            }
        }
        byUrn.set(state.urn, {
            urn: state.urn,
            type: state.type,
            name: typeof state.name === "string" ? state.name : state.urn.slice(state.urn.lastIndexOf("::") + 2),
            inputs,
            outputs,
            parent: typeof state.parent === "string" && state.parent !== "" ? state.parent : undefined,
            provider: typeof state.provider === "string" && state.provider !== "" ? state.provider : undefined,
            dependencies: isStringList(state.dependencies) ? state.dependencies : [],
            propertyDependencies,
            protect: state.protect === true,
        });
    });
    return [...byUrn.values()];
}

/** Reads and parses the file; throws InvalidPreviewError with the reason. */
export function readPreview(file: string): { doc: unknown; resources: PolicyInput[] } {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new InvalidPreviewError(`the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text) as unknown;
    } catch (error) {
        throw new InvalidPreviewError(`it is not valid JSON (${(error as Error).message.replace(/\s+/g, " ")})`);
    }
    return { doc, resources: resourcesOf(doc) };
}

/** The human-readable report. */
export function report(file: string, stack: string, resources: readonly PolicyInput[], violations: readonly PolicyViolation[]): string {
    const names = new Map(resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
    const out = [`Policy check of ${file} (stack ${stack}, ${resources.length} resources)`];
    for (const level of ["mandatory", "advisory"] as const) {
        const found = violations.filter((v) => v.enforcementLevel === level);
        out.push("", `Policy violations, ${level} (${found.length}):`);
        for (const v of found) {
            out.push(`  [${v.policyName}] ${names.get(v.urn) ?? "stack"}`, `      ${v.message}`);
        }
    }
    return out.join("\n");
}

/** Runs the check; returns the exit status. */
export async function main(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t + "\n")): Promise<number> {
    const options = parseArgs(argv);
    if (typeof options === "string") {
        write(options);
        return 2;
    }
    let doc: unknown;
    let resources: PolicyInput[];
    try {
        ({ doc, resources } = readPreview(options.file));
    } catch (error) {
        if (error instanceof InvalidPreviewError) {
            write(`cannot check ${options.file}: ${error.message}`);
            return 2;
        }
        throw error;
    }
    const docStack = isRecord(doc) && typeof doc.stack === "string" && /^[A-Za-z0-9_.-]+$/.test(doc.stack) ? doc.stack : undefined;
    const stack = options.stack ?? docStack ?? "prod";
    const violations = await evaluatePolicies(resources, { config: readPolicyConfig(stack) });
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    if (options.json) {
        write(
            JSON.stringify(
                {
                    file: options.file,
                    stack,
                    resources: resources.length,
                    policyViolations: violations,
                    summary: { mandatoryViolations: mandatory, advisoryViolations: violations.length - mandatory },
                },
                null,
                2,
            ),
        );
    } else {
        write(report(options.file, stack, resources, violations));
    }
    return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (status) => {
            process.exitCode = status;
        },
        (error: unknown) => {
            process.stderr.write(`policy check failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 3;
        },
    );
}
