/**
 * The other stack files of the project (`Pulumi.<stack>.yaml` beside Pulumi.yaml), read for the few rules
 * that span stacks: two stacks' external-dns must never share an owner id. Only the keys those rules need
 * are taken; a file that does not parse is skipped (its own stack's run reports it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT } from "./schema";

/** What another stack's file says about the settings that must differ between stacks. */
export interface OtherStackFile {
    /** The file's name, as messages show it (`Pulumi.prod.yaml`). */
    readonly file: string;
    /** The stack's name (from the file name). */
    readonly stack: string;
    /** `externalDns.txtOwnerId` as the file sets it; undefined when it sets none (or not as plain text). */
    readonly txtOwnerId?: string;
    /** The stack this one recovers (`restore.sourceStack` with `restore.enabled`, docs/runbooks/disaster-recovery.md); undefined otherwise. */
    readonly restoresStack?: string;
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

/** The name of a stack's own file, as messages show it. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** A config value of a stack file, under its namespaced key or (the project's own namespace) its bare key. */
function configValue(config: Record<string, unknown>, key: string): unknown {
    return config[`${PROJECT}:${key}`] ?? config[key];
}

/**
 * The stack files in `projectDir` other than `stack`'s, in name order. The Pulumi CLI runs the program in
 * the project directory, and this project's Pulumi.yaml sets no `stackConfigDir`, so the stack files are
 * beside it.
 */
export function readOtherStackFiles(projectDir: string, stack: string): OtherStackFile[] {
    const others: OtherStackFile[] = [];
    for (const file of fs.readdirSync(projectDir).sort()) {
        const match = STACK_FILE.exec(file);
        if (match === null || match[1] === stack) {
            continue;
        }
        let doc: unknown;
        try {
            doc = parse(fs.readFileSync(path.join(projectDir, file), "utf8"));
        } catch {
            continue;
        }
        const config = (doc as { config?: unknown } | null)?.config;
        const values = config !== null && typeof config === "object" ? (config as Record<string, unknown>) : {};
        const ownerId = configValue(values, "externalDns.txtOwnerId");
        const restores = configValue(values, "restore.enabled");
        const source = configValue(values, "restore.sourceStack");
        others.push({
            file,
            stack: match[1],
            txtOwnerId: typeof ownerId === "string" && ownerId !== "" ? ownerId : undefined,
            ...((restores === true || restores === "true") && typeof source === "string" && source !== "" ? { restoresStack: source } : {}),
        });
    }
    return others;
}
