/**
 * How the offline record holds values that JSON cannot: secrets and values unknown during preview.
 */

/** A secret value. JSON.stringify writes it as "[secret]", the way Pulumi masks secrets. */
export class Secret {
    constructor(readonly value: unknown) {}
    toJSON(): string {
        return "[secret]";
    }
}

/** A value that is unknown until the resource is created. JSON writes Pulumi's unknown sentinel. */
export class Unknown {
    static readonly instance = new Unknown();
    toJSON(): string {
        return UNKNOWN_SENTINEL;
    }
}

/** The string `pulumi preview --json` writes for values unknown during preview. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Returns `value` with every Secret replaced by what it holds (policies see secrets in the clear). */
export function reveal(value: unknown): unknown {
    if (value instanceof Secret) {
        return reveal(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(reveal);
    }
    if (value !== null && typeof value === "object" && !(value instanceof Unknown)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** True when `value` is or contains a Secret. */
export function containsSecret(value: unknown): boolean {
    if (value instanceof Secret) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsSecret);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).some(containsSecret);
    }
    return false;
}
