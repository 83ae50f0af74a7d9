/**
 * Shared reading of RDS resources: engine families and parameter-group parameters.
 */
import { asString, prop, records } from "./values";

/** The engine of an instance, lower-case (`postgres` when unset, the platform's engine). */
export function engineOf(props: Record<string, unknown>): string {
    return (asString(prop(props, "engine")) ?? "postgres").toLowerCase();
}

/** True for PostgreSQL engines (RDS and Aurora). */
export function isPostgres(engine: string): boolean {
    return engine.includes("postgres");
}

/** True for Aurora engines, whose storage, backups and credentials belong to the cluster, not the instance. */
export function isAurora(engine: string): boolean {
    return engine.startsWith("aurora");
}

/** A parameter group's parameters as name to value (names lower-case; values as strings). */
export function parametersOf(props: Record<string, unknown>): Map<string, string> {
    const parameters = new Map<string, string>();
    for (const p of records(prop(props, "parameters"))) {
        const name = asString(prop(p, "name"));
        const value = prop(p, "value");
        if (name !== undefined) {
            parameters.set(name.toLowerCase(), typeof value === "number" || typeof value === "boolean" ? String(value) : (asString(value) ?? ""));
        }
    }
    return parameters;
}
