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

/** A value that is unknown during preview, as {@link peek} reports it. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/** Own property `key` of `value` when `value` is a plain object (never an inherited one), else undefined. */
export function prop(value: unknown, key: string): unknown {
    const record = asRecord(value);
    return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Follows a path of keys through nested objects; undefined as soon as a step is missing or not an object. */
export function at(value: unknown, ...keys: readonly string[]): unknown {
    let current = value;
    for (const key of keys) {
        current = prop(current, key);
        if (current === undefined) {
            return undefined;
        }
    }
    return current;
}

/**
 * Like {@link at}, but a value unknown during preview gives {@link UNKNOWN} instead of stopping the
 * policy. The SDK's proxy throws on reading an unknown value and a plain property read throws nothing
 * else, so every exception here means "unknown". For references (key ARNs, ids, names), whose being set
 * is what matters; conditions a rule decides on are read with {@link at}, so that the preview reports
 * that the rule could not run.
 */
export function peek(value: unknown, ...keys: readonly string[]): unknown {
    try {
        return at(value, ...keys);
    } catch {
        return UNKNOWN;
    }
}

/** True for `true` and `"true"` (some v7 inputs, such as launch template EBS flags, are strings). */
export function isTrue(value: unknown): boolean {
    return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/** True for `false` and `"false"`. */
export function isFalse(value: unknown): boolean {
    return value === false || (typeof value === "string" && value.toLowerCase() === "false");
}

/** The strings of a value that is a string or an array (other elements are ignored). */
export function asStrings(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    return asArray(value).filter((v): v is string => typeof v === "string");
}

/** The elements of an array, each read on its own: an element unknown during preview gives UNKNOWN (anything else than an array: none). */
export function peekElements(value: unknown): unknown[] {
    if (!Array.isArray(value)) {
        return [];
    }
    const elements: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
        try {
            elements.push(value[i]);
        } catch {
            elements.push(UNKNOWN);
        }
    }
    return elements;
}

/** The plain-object elements of an array (anything else gives none). */
export function records(value: unknown): Record<string, unknown>[] {
    return asArray(value).flatMap((v): Record<string, unknown>[] => {
        const record = asRecord(v);
        return record === undefined ? [] : [record];
    });
}

/** True when a reference (key ARN, id, name) is set: a non-empty string, or unknown during preview (an output of another resource). */
export function isSetRef(value: unknown): boolean {
    return value === UNKNOWN || (typeof value === "string" && value.trim() !== "");
}

/** True for `alias/aws/...` and its ARN: a key AWS manages, with a key policy the account cannot change. */
export function isAwsManagedKey(value: unknown): boolean {
    return typeof value === "string" && /(^|:)alias\/aws\//.test(value);
}

/** True for the CIDRs that mean "the whole internet". */
export function isWorldCidr(value: unknown): boolean {
    return value === "0.0.0.0/0" || value === "::/0";
}

/** Shows a value in a message: strings quoted, other scalars as they are, anything else by its kind. */
export function show(value: unknown): string {
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
        return String(value);
    }
    return Array.isArray(value) ? "a list" : "an object";
}

/** Who a policy statement names as principal. */
export interface Principals {
    /** `"*"` or `{ AWS: "*" }`: anyone. */
    readonly anyone: boolean;
    /** AWS principals (account ids, root ARNs, role ARNs). */
    readonly aws: readonly string[];
    /** Service principals. */
    readonly service: readonly string[];
    /** Federated principals (OIDC and SAML providers). */
    readonly federated: readonly string[];
}

/** One statement of an IAM, KMS or resource policy, normalised (single values become lists). */
export interface Statement {
    /** `Allow` or `Deny` (anything else as written). */
    readonly effect: string | undefined;
    /** The principal, when the statement has one (resource and trust policies). */
    readonly principals: Principals | undefined;
    /** `Action` entries. */
    readonly actions: readonly string[];
    /** True when the statement uses `NotAction`. */
    readonly notAction: boolean;
    /** `Resource` entries. */
    readonly resources: readonly string[];
    /** The condition block (operators to keys to values), empty when there is none. */
    readonly condition: Readonly<Record<string, Record<string, unknown>>>;
}

function principalsOf(value: unknown): Principals | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (value === "*") {
        return { anyone: true, aws: [], service: [], federated: [] };
    }
    const aws = asStrings(prop(value, "AWS"));
    return { anyone: aws.includes("*"), aws, service: asStrings(prop(value, "Service")), federated: asStrings(prop(value, "Federated")) };
}

/**
 * The statements of a policy document given as a JSON string or as an object (both are valid inputs).
 * Undefined when the value is absent or is not a policy document (malformed JSON, no statements).
 */
export function policyStatements(value: unknown): Statement[] | undefined {
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value) as unknown;
        } catch {
            return undefined;
        }
    }
    const raw = prop(doc, "Statement");
    const statements = Array.isArray(raw) ? records(raw) : asRecord(raw) ? [asRecord(raw) as Record<string, unknown>] : undefined;
    if (statements === undefined) {
        return undefined;
    }
    return statements.map((s) => {
        const condition: Record<string, Record<string, unknown>> = {};
        for (const [operator, block] of Object.entries(asRecord(prop(s, "Condition")) ?? {})) {
            const entries = asRecord(block);
            if (entries !== undefined) {
                condition[operator] = entries;
            }
        }
        return {
            effect: asString(prop(s, "Effect")),
            principals: principalsOf(prop(s, "Principal")),
            actions: asStrings(prop(s, "Action") ?? prop(s, "NotAction")),
            notAction: prop(s, "NotAction") !== undefined,
            resources: asStrings(prop(s, "Resource")),
            condition,
        };
    });
}

/** True when a statement has a condition block with at least one entry. */
export function isConditioned(statement: Statement): boolean {
    return Object.values(statement.condition).some((block) => Object.keys(block).length > 0);
}

const globCache = new Map<string, RegExp>();

/** True when an IAM action pattern (`*`, `kms:*`, `kms:De*`) covers `action` (case-insensitive). */
export function actionMatches(pattern: string, action: string): boolean {
    let re = globCache.get(pattern);
    if (re === undefined) {
        re = new RegExp(
            `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".")}$`,
            "i",
        );
        if (globCache.size < 1000) {
            globCache.set(pattern, re);
        }
    }
    return re.test(action);
}

/** Tags of a resource, skipping any tag whose value is unknown or not a string (never throws). */
export function knownTags(props: Record<string, unknown>): Record<string, string> {
    const tags = peek(props, "tags");
    const record = asRecord(tags === UNKNOWN ? undefined : tags) ?? {};
    const known: Record<string, string> = {};
    for (const key of Object.keys(record)) {
        const value = peek(record, key);
        if (typeof value === "string") {
            known[key] = value;
        }
    }
    return known;
}

/** True when a reference list (security group ids, subnet ids) has an entry, or is unknown during preview. */
export function isSetRefList(value: unknown): boolean {
    return Array.isArray(value) ? value.length > 0 : isSetRef(value);
}
