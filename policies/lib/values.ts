/**
 * Defensive accessors for resource properties. Rules read inputs that may be missing, null, of an
 * unexpected type, or unknown during preview; these helpers never throw on any of that.
 */

/** The value as a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value as an array, or an empty array. */
export function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** The value when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The value when it is a number (or a numeric string, as config-derived inputs can be), else undefined. */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) {
        return Number(value);
    }
    return undefined;
}

/** Tags of a resource as a string map (missing or malformed tags give an empty map). */
export function tagsOf(props: Record<string, unknown>): Record<string, string> {
    const tags = asRecord(props.tags) ?? {};
    return Object.fromEntries(Object.entries(tags).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** A name to show in messages: the resource's logical name and type. */
export function describe(args: { name: string; type: string }): string {
    return `${args.type} "${args.name}"`;
}

/**
 * Reads an optional string property that may be unknown during preview (the SDK's proxy throws on
 * access): undefined instead. For fallbacks only; a rule's main conditions should let the unknown
 * propagate so the preview reports that it could not decide.
 */
export function knownString(props: Record<string, unknown>, key: string): string | undefined {
    try {
        return asString(props[key]);
    } catch {
        return undefined;
    }
}
