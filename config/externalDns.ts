/**
 * The typed settings of external-dns, built from the parsed keys.
 */
import { defaultTxtOwnerId, type ExternalDnsPolicy } from "./keys/externalDns";
import type { ConfigValues } from "./schema";

export type { ExternalDnsPolicy } from "./keys/externalDns";

/** The external-dns settings (it runs only in a stack with a hosted zone: platform:edge.hostedZoneId). */
export interface ExternalDnsConfig {
    /** Owner id of its TXT registry: the configured one, else `<project>-<stack>-eks`. */
    readonly txtOwnerId: string;
    /** `upsert-only` (never deletes a record; prod) or `sync` (deletes the records it owns). */
    readonly policy: ExternalDnsPolicy;
}

/** The external-dns section of the platform config. */
export interface ExternalDnsSections {
    /** external-dns. */
    readonly externalDns: ExternalDnsConfig;
}

/** The owner id a stack runs with: its configured id, or the default of the project and stack. */
export function effectiveTxtOwnerId(configured: string | undefined, project: string, stack: string): string {
    return configured === undefined || configured === "" ? defaultTxtOwnerId(project, stack) : configured;
}

/** Builds the external-dns section from validated keys. */
export function externalDnsSections(values: ConfigValues, project: string, stack: string): ExternalDnsSections {
    return {
        externalDns: { txtOwnerId: effectiveTxtOwnerId(values["externalDns.txtOwnerId"], project, stack), policy: values["externalDns.policy"] },
    };
}
