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

/** The last parse of each YAML file, by path, with the text it was parsed from. */
const parsed = new Map<string, { text: string; doc: unknown }>();

/**
 * Parses a YAML file; a file whose text is unchanged since its last parse is not parsed again (every
 * offline run reads Pulumi.yaml, the stack file and the stand-ins). Each caller gets its own copy.
 */
function readYaml(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    let entry = parsed.get(file);
    if (entry?.text !== text) {
        entry = { text, doc: parse(text) as unknown };
        parsed.set(file, entry);
    }
    return structuredClone(entry.doc);
}

/** Reads Pulumi.yaml. */
export function readProjectFile(root = REPO_ROOT): ProjectFile {
    const doc = readYaml(path.join(root, "Pulumi.yaml")) as { name: string; config?: Record<string, ProjectConfigDeclaration> };
    return { name: doc.name, config: doc.config ?? {} };
}

function toConfigText(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function namespaced(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * What {@link readStackFile} puts in place of a secret a real stack holds encrypted (set with `pulumi
 * config set --secret`) but the checked-in file cannot: a `secure:` entry whose offline value is the
 * stand-in of secret-stand-ins.yaml.
 */
export const STAND_IN_MARKER = "offline stand-in: tools/offline/secret-stand-ins.yaml";

const STAND_INS_FILE = path.join(__dirname, "secret-stand-ins.yaml");

/** The stand-ins of secret-stand-ins.yaml: stack name to namespaced key to value. */
export function readSecretStandIns(file = STAND_INS_FILE): Record<string, Record<string, string>> {
    return (readYaml(file) as Record<string, Record<string, string>> | null) ?? {};
}

function standInFor(fullKey: string): string | undefined {
    return Object.values(readSecretStandIns()).find((keys) => fullKey in keys)?.[fullKey];
}

/**
 * Builds a run's config from a parsed stack file's `config:` map plus the project's declarations.
 * `secure:` values cannot be decrypted offline: they become their stand-in (for the stand-ins that
 * {@link readStackFile} adds) or a placeholder, and are marked secret.
 */
export function buildStackConfig(project: ProjectFile, stackValues: Record<string, unknown>): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(stackValues)) {
        const fullKey = namespaced(project.name, key);
        if (value !== null && typeof value === "object" && "secure" in value) {
            const standIn = (value as { secure: unknown }).secure === STAND_IN_MARKER ? standInFor(fullKey) : undefined;
            values[fullKey] = standIn ?? `offline-placeholder-for-${fullKey.replace(/[^a-zA-Z0-9]/g, "-")}`;
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

/**
 * Reads a stack file (`Pulumi.<stack>.yaml` or any file given with --config-file). For a stack named in
 * secret-stand-ins.yaml, each stand-in key the file does not set is added as a `secure:` entry, as if
 * its operator had run `pulumi config set --secret`.
 */
export function readStackFile(file: string): Record<string, unknown> {
    const doc = readYaml(file) as { config?: Record<string, unknown> } | null;
    const config = { ...(doc?.config ?? {}) };
    const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file))?.[1];
    const standIns = stack === undefined ? undefined : readSecretStandIns()[stack];
    for (const key of Object.keys(standIns ?? {})) {
        if (!(key in config)) {
            config[key] = { secure: STAND_IN_MARKER };
        }
    }
    return config;
}

/** The stack file of a named stack. */
export function stackFilePath(stack: string, root = REPO_ROOT): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}
