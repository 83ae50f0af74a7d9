/**
 * The offline plan in the shape of `pulumi preview --json`, kept stable for tools that read it
 * (including `npm run policy:check`). Secrets are written as "[secret]", unknowns as Pulumi's sentinel.
 */
import type { PolicyInput, PolicyViolation } from "./policyRunner";
import type { ProgramRun } from "./runtime";

/** One step of the plan. */
export interface PreviewStep {
    op: "create";
    urn: string;
    provider: string;
    newState: PolicyInput & { id?: string; custom: boolean; retainOnDelete: boolean };
}

/** The whole document. */
export interface PreviewDocument {
    stack: string;
    project: string;
    steps: PreviewStep[];
    outputs: Record<string, unknown>;
    policyViolations: PolicyViolation[];
    /** Config checks not made offline (secure: values that cannot be decrypted here): key and check. */
    notCheckedOffline: ProgramRun["unchecked"];
    summary: { resources: number; byType: Record<string, number>; mandatoryViolations: number; advisoryViolations: number; notCheckedOffline: number };
}

/** Resource count by type, sorted by type. */
export function countByType(run: ProgramRun): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of run.resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Builds the document (secrets stay Secret objects until JSON.stringify masks them). */
export function previewDocument(run: ProgramRun, violations: PolicyViolation[]): PreviewDocument {
    return {
        stack: run.stack,
        project: run.project,
        steps: run.resources.map((r) => ({
            op: "create",
            urn: r.urn,
            provider: r.provider ?? "",
            newState: {
                urn: r.urn,
                id: r.id,
                type: r.type,
                name: r.name,
                custom: r.custom,
                parent: r.parent,
                provider: r.provider,
                inputs: r.inputs,
                outputs: r.outputs,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
                protect: r.protect,
                retainOnDelete: r.retainOnDelete,
            },
        })),
        outputs: run.outputs,
        policyViolations: violations,
        notCheckedOffline: run.unchecked,
        summary: {
            resources: run.resources.length,
            byType: countByType(run),
            mandatoryViolations: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisoryViolations: violations.filter((v) => v.enforcementLevel === "advisory").length,
            notCheckedOffline: run.unchecked.length,
        },
    };
}
