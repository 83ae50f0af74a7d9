/**
 * Config keys of external-dns: the owner id of its TXT registry and how it synchronises records.
 */
import { text } from "../fields";

/** How external-dns synchronises records: `upsert-only` never deletes one, `sync` deletes the records it owns once their Ingress is gone. */
export const EXTERNAL_DNS_POLICIES = ["upsert-only", "sync"] as const;
/** One of {@link EXTERNAL_DNS_POLICIES}. */
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

/**
 * An owner id: what external-dns writes into its TXT records (`external-dns/owner=<id>`) and the only
 * records it changes. Lower-case letters, digits, dots and hyphens: a comma or `=` would break the
 * TXT record's `key=value,...` format, and 63 characters keep it readable in `dig` output.
 */
const OWNER_ID = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

/** The owner id a stack gets when it sets none: the cluster's name, `<project>-<stack>-eks`, unique to the project and stack. */
export function defaultTxtOwnerId(project: string, stack: string): string {
    return `${project}-${stack}-eks`;
}

/** Checks an owner id: "" (the default) or 1 to 63 lower-case letters, digits, dots and hyphens. */
export function checkTxtOwnerId(value: string): string | undefined {
    if (value === "" || OWNER_ID.test(value)) {
        return undefined;
    }
    return 'is not an owner id; expected 1 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit (for example "platform-dev-eks"), or "" for the default <project>-<stack>-eks';
}

/** The external-dns keys. */
export const externalDnsKeys = {
    "externalDns.txtOwnerId": text<string>({
        description:
            "Owner id of external-dns's TXT registry: it changes only records whose TXT record names this id, so every stack and cluster on a hosted zone needs its own (the program refuses an id another Pulumi.<stack>.yaml of the project uses). Empty: <project>-<stack>-eks, the cluster's name. Never change it on a running stack without docs/runbooks/dns.md: the records would be orphaned.",
        default: "",
        check: checkTxtOwnerId,
    }),
    "externalDns.policy": text<ExternalDnsPolicy>({
        description:
            "How external-dns synchronises the zone: upsert-only creates and updates records but never deletes one (a removed host's record stays until someone deletes it), sync also deletes the records it owns once their Ingress is gone. prod requires upsert-only.",
        default: "upsert-only",
        oneOf: EXTERNAL_DNS_POLICIES,
    }),
};
