/**
 * The verification report: one line per check (pass, fail or skip, with the reason), and the exit code
 * that names what failed.
 */

/** The outcome of one check. */
export type CheckStatus = "pass" | "fail" | "skip";

/** One check of one target (a host, an application, a schedule, the cluster). */
export interface CheckResult {
    /** What was checked, for example `tls app.dev.example.com` or `data api`. */
    readonly name: string;
    /** Its outcome. */
    readonly status: CheckStatus;
    /** What was seen (pass), what was wrong (fail), or why it did not run (skip). */
    readonly detail: string;
}

/** A passing check. */
export const pass = (name: string, detail: string): CheckResult => ({ name, status: "pass", detail });
/** A failing check. */
export const fail = (name: string, detail: string): CheckResult => ({ name, status: "fail", detail });
/** A check that did not run, and why. */
export const skip = (name: string, detail: string): CheckResult => ({ name, status: "skip", detail });

/** The message of an error thrown by a dependency (a resolver, a socket, the Kubernetes API). */
export function messageOf(error: unknown): string {
    if (error instanceof Error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
    }
    return String(error);
}

/** Runs a check; a dependency that throws makes the check fail with its message instead of ending the run. */
export async function guarded(name: string, check: () => Promise<CheckResult | readonly CheckResult[]>): Promise<CheckResult[]> {
    try {
        const result = await check();
        return Array.isArray(result) ? [...(result as readonly CheckResult[])] : [result as CheckResult];
    } catch (error) {
        return [fail(name, messageOf(error))];
    }
}

/** The report's text: one line per check, then the verdict naming every failed check. */
export function formatReport(stack: string, results: readonly CheckResult[]): string {
    const width = Math.max(0, ...results.map((r) => r.name.length));
    const lines = results.map((r) => `${r.status.toUpperCase().padEnd(4)}  ${r.name.padEnd(width)}  ${r.detail}`);
    const failed = results.filter((r) => r.status === "fail");
    const counts = (["pass", "fail", "skip"] as const).map((s) => `${results.filter((r) => r.status === s).length} ${s}`).join(", ");
    const verdict =
        failed.length === 0
            ? `Verification of stack ${stack} passed (${counts}).`
            : `Verification of stack ${stack} FAILED (${counts}): ${failed.map((r) => r.name).join("; ")}`;
    return [`Verification of stack ${stack}`, ...lines, verdict].join("\n");
}

/** 0 when nothing failed, 1 when a check failed (2 is bad usage, see tools/verify.ts). */
export function exitCodeOf(results: readonly CheckResult[]): number {
    return results.some((r) => r.status === "fail") ? 1 : 0;
}
