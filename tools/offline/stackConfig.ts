/**
 * Reads Pulumi.yaml and a stack file the way the Pulumi CLI does, producing the flat config map the
 * program receives: namespaced keys, string values, lists and maps as JSON, project defaults applied.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, YAMLParseError } from "yaml";
import { UNKNOWN_CONFIG_TEXT } from "../../config/unknown";

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
    /** Keys whose stack values are `secure:` (encrypted: a stand-in or unknown offline). */
    secretKeys: string[];
}

/**
 * A stack or project file that is not valid YAML, or not the shape Pulumi reads: invalid configuration
 * (the offline plan exits 2). Its message names the file, line and column.
 */
export class ConfigFileError extends Error {
    /** One problem, in the shape of a ConfigValidationError's, so the plan reports both alike. */
    readonly problems: readonly { key: string; message: string }[];

    constructor(
        readonly file: string,
        message: string,
    ) {
        super(message);
        this.name = "ConfigFileError";
        this.problems = [{ key: file, message }];
    }
}

/** A file's name as messages show it: relative to the working directory when inside it. */
function shownPath(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative !== "" && !relative.startsWith("..") ? relative : file;
}

/** Parses YAML text, turning a syntax error into a {@link ConfigFileError} at its line and column. */
function parseYamlFile(file: string, text: string): unknown {
    try {
        return parse(text) as unknown;
    } catch (error) {
        if (error instanceof YAMLParseError) {
            const at = error.linePos?.[0];
            // The parser's message repeats the position and adds a snippet after the first line.
            const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            throw new ConfigFileError(
                file,
                `${shownPath(file)}${at ? `:${at.line}:${at.col}` : ""}: is not valid YAML: ${reason} (${error.code}); expected a YAML document like the checked-in Pulumi.<stack>.yaml (a config: map of key: value)`,
            );
        }
        throw error;
    }
}

/** The last parse of each YAML file, by path, with the text it was parsed from. */
const parsed = new Map<string, { text: string; doc: unknown }>();

/**
 * Parsed YAML documents across runs, as JSON under node_modules/.cache/platform-yaml, keyed by the parser's
 * version and the text: Pulumi.yaml alone takes the YAML parser some 45 ms per run, JSON.parse under 1 ms.
 * Config documents are plain data (the core schema has no type JSON lacks), so the round trip is exact.
 */
const YAML_CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "platform-yaml");
const YAML_VERSION = (JSON.parse(fs.readFileSync(require.resolve("yaml/package.json"), "utf8")) as { version: string }).version;

function parseCached(file: string, text: string): unknown {
    const key = crypto.createHash("sha256").update(`${YAML_VERSION}\0${text}`).digest("hex");
    const cached = path.join(YAML_CACHE_DIR, `${key}.json`);
    try {
        return JSON.parse(fs.readFileSync(cached, "utf8")) as unknown;
    } catch {
        // Not cached yet (or unreadable): parse it.
    }
    const doc = parseYamlFile(file, text);
    try {
        fs.mkdirSync(YAML_CACHE_DIR, { recursive: true });
        // Written under a unique name, then renamed: a concurrent reader never sees half a file.
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, JSON.stringify(doc));
        fs.renameSync(partial, cached);
    } catch {
        // A read-only checkout still works, uncached.
    }
    return doc;
}

/**
 * Parses a YAML file; a file whose text is unchanged since its last parse is not parsed again (every
 * offline run reads Pulumi.yaml, the stack file and the stand-ins). Each caller gets its own copy.
 */
function readYaml(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    let entry = parsed.get(file);
    if (entry?.text !== text) {
        entry = { text, doc: parseCached(file, text) };
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
 * {@link readStackFile} adds) or {@link UNKNOWN_CONFIG_TEXT} (set, value unknown: the config module
 * skips the checks that need the plaintext and reports them), and are marked secret.
 */
export function buildStackConfig(project: ProjectFile, stackValues: Record<string, unknown>): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(stackValues)) {
        const fullKey = namespaced(project.name, key);
        if (value !== null && typeof value === "object" && "secure" in value) {
            const standIn = (value as { secure: unknown }).secure === STAND_IN_MARKER ? standInFor(fullKey) : undefined;
            values[fullKey] = standIn ?? UNKNOWN_CONFIG_TEXT;
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
    const doc = readYaml(file) as { config?: unknown } | null;
    if (doc !== null && (typeof doc !== "object" || Array.isArray(doc))) {
        throw new ConfigFileError(
            file,
            `${shownPath(file)}: is a YAML ${Array.isArray(doc) ? "list" : typeof doc}; expected a map with a config: map of key: value`,
        );
    }
    const configMap = doc?.config ?? {};
    if (configMap === null || typeof configMap !== "object" || Array.isArray(configMap)) {
        throw new ConfigFileError(
            file,
            `${shownPath(file)}: config: is ${configMap === null ? "empty" : Array.isArray(configMap) ? "a list" : JSON.stringify(configMap)}; expected a map of key: value`,
        );
    }
    const config: Record<string, unknown> = { ...(configMap as Record<string, unknown>) };
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
