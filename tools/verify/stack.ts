/**
 * What verification reads about a deployed stack: its outputs (`pulumi stack output --json
 * --show-secrets`) and its validated config (the checked-in stack file, resolved by the config module
 * exactly as the program resolves it).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { resolveConfig, type PlatformConfig } from "../../config";
import { buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "../offline/stackConfig";

/** The stack outputs verification uses (index.ts exports them; a missing one is reported, not guessed). */
export interface StackOutputs {
    /** Application name to `https://<host>`, for the applications with a host. */
    readonly applicationUrls: Readonly<Record<string, string>>;
    /** Application name to its namespace. */
    readonly applicationNamespaces: Readonly<Record<string, string>>;
    /** EKS cluster name. */
    readonly clusterName: string;
    /** The kubeconfig (JSON text) whose user runs `aws eks get-token`. */
    readonly kubeconfig: string;
    /** The reference application's image (`repository@sha256:...`), when the stack publishes one. */
    readonly referenceAppImage?: string;
}

/** Reads a stack's outputs. */
export type OutputReader = (stack: string) => Promise<StackOutputs>;

/** Runs a command and returns its standard output (the only process launcher of the real readers). */
export type CommandRunner = (command: string, args: readonly string[], input?: string) => Promise<string>;

/** Runs a command without a shell; a non-zero exit throws with its standard error. */
export const runCommand: CommandRunner = async (command, args) => {
    const { stdout } = await promisify(execFile)(command, [...args], { maxBuffer: 64 * 1024 * 1024, encoding: "utf8" });
    return stdout;
};

/** Checks the shape of `pulumi stack output --json` and keeps the outputs verification uses. */
export function parseStackOutputs(json: string): StackOutputs {
    const raw = JSON.parse(json) as Record<string, unknown>;
    const missing = ["applicationUrls", "applicationNamespaces", "clusterName", "kubeconfig"].filter((k) => raw[k] === undefined || raw[k] === null);
    if (missing.length > 0) {
        throw new Error(`the stack has no output ${missing.join(", ")}: was it deployed from this program (pulumi up)?`);
    }
    const kubeconfig = typeof raw.kubeconfig === "string" ? raw.kubeconfig : JSON.stringify(raw.kubeconfig);
    return {
        applicationUrls: raw.applicationUrls as Record<string, string>,
        applicationNamespaces: raw.applicationNamespaces as Record<string, string>,
        clusterName: String(raw.clusterName),
        kubeconfig,
        ...(typeof raw.referenceAppImage === "string" ? { referenceAppImage: raw.referenceAppImage } : {}),
    };
}

/** The real reader: the Pulumi CLI, with secrets shown (the kubeconfig holds none, but outputs may be secret). */
export function pulumiOutputReader(run: CommandRunner = runCommand): OutputReader {
    return async (stack) => parseStackOutputs(await run("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack]));
}

/** Reads a stack's validated config. */
export type ConfigReader = (stack: string) => PlatformConfig;

/**
 * The real reader: `Pulumi.<stack>.yaml` with the project's defaults, resolved by the config module.
 * Encrypted values stay unknown (verification needs none of them); an invalid file throws the config
 * module's ConfigValidationError.
 */
export const stackFileConfigReader: ConfigReader = (stack) =>
    resolveConfig({ stack, values: buildStackConfig(readProjectFile(), readStackFile(stackFilePath(stack))).values });
