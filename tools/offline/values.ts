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

/** Returns `value` with every Secret replaced by what it holds (policies see secrets in the clear): a copy, sharing nothing mutable. */
export function reveal(value: unknown): unknown {
    // Plain loops: this copies every resource's inputs and state once per policy evaluation.
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (value instanceof Secret) {
        return reveal(value.value);
    }
    if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
            copy[i] = reveal(value[i]);
        }
        return copy;
    }
    if (value instanceof Unknown) {
        return value;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        const revealed = reveal((value as Record<string, unknown>)[key]);
        if (key === "__proto__") {
            // An own property of that name (JSON can hold one), not the prototype.
            Object.defineProperty(copy, key, { value: revealed, enumerable: true, writable: true, configurable: true });
        } else {
            copy[key] = revealed;
        }
    }
    return copy;
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
