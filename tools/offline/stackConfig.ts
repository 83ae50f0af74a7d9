/**
 * Reads Pulumi.yaml and a stack file the way the Pulumi CLI does, producing the flat config map the
 * program receives: namespaced keys, string values, lists and maps as JSON, project defaults applied.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** The repository root (where Pulumi.yaml is). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** What a config declaration in Pulumi.yaml may hold. */
export interface ProjectConfigDeclaration {
    type?: string;
    items?: { type: string };
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

/** The parts of Pulumi.yaml the offline runtime needs. */
export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigDeclaration>;
}

/** The config a run receives. */
export interface StackConfig {
    /** Namespaced keys to config text. */
    values: Record<string, string>;
    /** Keys whose stack values are `secure:` (encrypted, replaced by a placeholder offline). */
    secretKeys: string[];
}

/** Reads Pulumi.yaml. */
export function readProjectFile(root = REPO_ROOT): ProjectFile {
    const doc = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, ProjectConfigDeclaration> };
    return { name: doc.name, config: doc.config ?? {} };
}

function toConfigText(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Builds a run's config from a parsed stack file's `config:` map plus the project's declarations.
 * `secure:` values cannot be decrypted offline: they become a placeholder and are marked secret.
 */
export function buildStackConfig(project: ProjectFile, stackValues: Record<string, unknown>): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(stackValues)) {
        const fullKey = namespaced(project.name, key);
        if (value !== null && typeof value === "object" && "secure" in value) {
            values[fullKey] = `offline-placeholder-for-${fullKey.replace(/[^a-zA-Z0-9]/g, "-")}`;
            secretKeys.push(fullKey);
        } else {
            values[fullKey] = toConfigText(value);
        }
    }
    for (const [key, decl] of Object.entries(project.config)) {
        const fullKey = namespaced(project.name, key);
        const fallback = decl.value ?? decl.default;
        if (!(fullKey in values) && fallback !== undefined) {
            values[fullKey] = toConfigText(fallback);
        }
    }
    return { values, secretKeys };
}

/** Reads a stack file (`Pulumi.<stack>.yaml` or any file given with --config-file). */
export function readStackFile(file: string): Record<string, unknown> {
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return doc?.config ?? {};
}

/** The stack file of a named stack. */
export function stackFilePath(stack: string, root = REPO_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}
