/**
 * The typed field definitions behind every `platform:` config key: how a raw config string is parsed,
 * what makes it valid, its default and its description. The same table generates the `config:` block of
 * Pulumi.yaml (see tools/project-config.ts) and the README's config reference, so the three never drift.
 */

import type { UnknownConfigValue } from "./unknown";

/** What went wrong with one config key. */
export interface ConfigProblem {
    /** The full key, for example `platform:network.cidr`. */
    readonly key: string;
    /** The complete message: key, bad value and what would be valid. */
    readonly message: string;
}

/** One problem inside a structured value, at its path below the key (for example `[1].port`). */
export interface NestedProblem {
    /** Path below the key: `[index]` of a list item, then `.field` where one field is at fault. */
    readonly path: string;
    /** The problem, phrased after the value ("has the application ... with ...; expected ..."). */
    readonly problem: string;
}

/**
 * The result of parsing one raw value: the typed value, or the reason it is invalid. A structured value
 * (a list of maps) gives every problem it has in `problems`, `problem` being the first; `field` names
 * the field of a map that one problem is about.
 */
export type Parsed<T> = { readonly value: T } | { readonly problem: string; readonly field?: string; readonly problems?: readonly NestedProblem[] };

/** The Pulumi.yaml project-config type a field is declared with; objects are declared untyped. */
export type ProjectConfigType = "string" | "integer" | "boolean" | "array" | undefined;

/** One config key's definition. */
export interface Field<T> {
    /** How Pulumi.yaml declares the key (`undefined`: untyped, for object values). */
    readonly projectType: ProjectConfigType;
    /** Human-readable type for error messages and the README. */
    readonly typeName: string;
    /** What the key controls; goes into Pulumi.yaml and the README. */
    readonly description: string;
    /** Used when the stack does not set the key. Absent: the key is required. */
    readonly default?: T;
    /** The value is sensitive: Pulumi.yaml marks it `secret` and the program wraps it in a secret. */
    readonly secret?: boolean;
    /**
     * For a secret: what its own check verifies, reported as not checked when the value is unknown
     * offline (a `secure:` value the offline tools cannot decrypt; see unknown.ts).
     */
    readonly checkedOffline?: string;
    /** The value is a list of maps: error messages never repeat it whole (it can be long), each problem has its path. */
    readonly structured?: boolean;
    /** Converts the raw config text (JSON text for lists and objects) and checks it. */
    parse(raw: string): Parsed<T>;
}

/**
 * The field of a map that a problem phrased "with <field> ..." is about, when it starts with a field
 * name of `fields` (or names an unknown field); undefined when the problem is about the whole map.
 */
export function fieldOf(what: string, fields: readonly string[]): string | undefined {
    const unknown = /^the unknown field "([^"]+)"/.exec(what);
    if (unknown) {
        return unknown[1];
    }
    const lead = /^([A-Za-z]+)(\.[A-Za-z]+)?\b/.exec(what);
    return lead && fields.includes(lead[1]) ? lead[0] : undefined;
}

/** The typed value a field produces. */
export type FieldValue<F> = F extends Field<infer T> ? T : never;

/** Shown in messages: the value as the user wrote it. */
export function show(value: unknown): string {
    return JSON.stringify(value);
}

function oneOfText(values: readonly (string | number)[]): string {
    return values.map((v) => String(v)).join(", ");
}

interface Common<T> {
    description: string;
    default?: T;
}

/** A string key, optionally limited to a set of values, a pattern, or a custom check. */
export function text<const V extends string = string>(
    opts: Common<V> & {
        oneOf?: readonly V[];
        pattern?: RegExp;
        /** What a valid value looks like, for the pattern's error message. */
        expected?: string;
        /** Extra check returning a problem (phrased after the value: "is ...; expected ...") or undefined. */
        check?: (value: string) => string | undefined;
        secret?: boolean;
    },
): Field<V> {
    return {
        projectType: "string",
        typeName: opts.oneOf ? opts.oneOf.map((v) => `"${v}"`).join(" | ") : "string",
        description: opts.description,
        default: opts.default,
        secret: opts.secret,
        parse(raw: string): Parsed<V> {
            if (opts.oneOf && !opts.oneOf.includes(raw as V)) {
                return { problem: `is not allowed; expected one of: ${oneOfText(opts.oneOf)}` };
            }
            if (opts.pattern && !opts.pattern.test(raw)) {
                return { problem: `is not valid; expected ${opts.expected ?? `a value matching ${opts.pattern}`}` };
            }
            const problem = opts.check?.(raw);
            return problem ? { problem } : { value: raw as V };
        },
    };
}

/**
 * A secret string key (set with `pulumi config set --secret`). Its value may be unknown offline (see
 * unknown.ts): then `check` is skipped and `checks` is reported as not checked.
 */
export function secretText(
    opts: Common<string> & {
        /** What `check` verifies, phrased as a predicate of the value ("is a Slack incoming-webhook URL"). */
        checks: string;
        /** Returns a problem ("is ...; expected ...", never echoing the value) or undefined. */
        check: (value: string) => string | undefined;
    },
): Field<string | UnknownConfigValue> {
    return { ...text<string>({ ...opts, secret: true }), checkedOffline: opts.checks };
}

/** A whole-number key within bounds or from a fixed set. */
export function integer(opts: Common<number> & { min?: number; max?: number; oneOf?: readonly number[] }): Field<number> {
    const range = opts.oneOf !== undefined ? `one of: ${oneOfText(opts.oneOf)}` : `a whole number from ${opts.min ?? "-∞"} to ${opts.max ?? "∞"}`;
    return {
        projectType: "integer",
        typeName: "integer",
        description: opts.description,
        default: opts.default,
        parse(raw: string): Parsed<number> {
            if (!/^-?\d+$/.test(raw.trim())) {
                return { problem: `is not a whole number; expected ${range}` };
            }
            const value = Number(raw);
            const outOfRange =
                (opts.oneOf !== undefined && !opts.oneOf.includes(value)) ||
                (opts.min !== undefined && value < opts.min) ||
                (opts.max !== undefined && value > opts.max);
            return outOfRange ? { problem: `is out of range; expected ${range}` } : { value };
        },
    };
}

/** A true/false key. */
export function flag(opts: Common<boolean>): Field<boolean> {
    return {
        projectType: "boolean",
        typeName: "boolean",
        description: opts.description,
        default: opts.default,
        parse(raw: string): Parsed<boolean> {
            if (raw === "true" || raw === "false") {
                return { value: raw === "true" };
            }
            return { problem: "is not a boolean; expected true or false" };
        },
    };
}

function parseJson(raw: string): Parsed<unknown> {
    try {
        return { value: JSON.parse(raw) as unknown };
    } catch {
        return { problem: "is not valid structured data (a YAML list or map in the stack file)" };
    }
}

/** A list of strings, with bounds on its length and a check on every item. */
export function list<const V extends string = string>(
    opts: Common<readonly V[]> & {
        minItems?: number;
        maxItems?: number;
        /** Every item must be one of these. */
        oneOf?: readonly V[];
        /** Items must be distinct. */
        unique?: boolean;
        /** Checks one item; returns a problem ("is ...; expected ...") or undefined. */
        item?: (value: string) => string | undefined;
    },
): Field<readonly V[]> {
    const bounds = opts.minItems !== undefined || opts.maxItems !== undefined ? ` of ${opts.minItems ?? 0} to ${opts.maxItems ?? "any number of"} items` : "";
    return {
        projectType: "array",
        typeName: opts.oneOf ? `list of (${opts.oneOf.map((v) => `"${v}"`).join(" | ")})` : "list of strings",
        description: opts.description,
        default: opts.default,
        parse(raw: string): Parsed<readonly V[]> {
            const parsed = parseJson(raw);
            if ("problem" in parsed) {
                return parsed;
            }
            const value = parsed.value;
            if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
                return { problem: `is not a list of strings; expected a list${bounds}` };
            }
            const items = value as string[];
            if ((opts.minItems !== undefined && items.length < opts.minItems) || (opts.maxItems !== undefined && items.length > opts.maxItems)) {
                return { problem: `has ${items.length} items; expected a list${bounds}` };
            }
            if (opts.unique && new Set(items).size !== items.length) {
                const dup = items.find((v, i) => items.indexOf(v) !== i);
                return { problem: `lists ${show(dup)} more than once; expected distinct items` };
            }
            for (const item of items) {
                if (opts.oneOf && !opts.oneOf.includes(item as V)) {
                    return { problem: `has the item ${show(item)}, which is not allowed; expected items from: ${oneOfText(opts.oneOf)}` };
                }
                const problem = opts.item?.(item);
                if (problem) {
                    return { problem: `has the item ${show(item)}, which ${problem}` };
                }
            }
            return { value: items as V[] };
        },
    };
}

/** A map of strings to strings (for example tags), with a check on every entry. */
export function stringMap(
    opts: Common<Readonly<Record<string, string>>> & {
        /** Checks one entry; returns a problem ("... ; expected ...") or undefined. */
        entry?: (key: string, value: string) => string | undefined;
    },
): Field<Readonly<Record<string, string>>> {
    return {
        projectType: undefined,
        typeName: "map of string to string",
        description: opts.description,
        default: opts.default,
        parse(raw: string): Parsed<Readonly<Record<string, string>>> {
            const parsed = parseJson(raw);
            if ("problem" in parsed) {
                return parsed;
            }
            const value = parsed.value;
            if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
                return { problem: "is not a map of strings; expected key: value pairs with string values" };
            }
            for (const [k, v] of Object.entries(value as Record<string, string>)) {
                const problem = opts.entry?.(k, v);
                if (problem) {
                    return { problem: `has the entry ${show(k)}: ${show(v)}, which ${problem}` };
                }
            }
            return { value: value as Record<string, string> };
        },
    };
}

/**
 * A list of maps (for example node groups), each checked and converted by `item`. Declared untyped in
 * Pulumi.yaml, like every object-valued key.
 */
export function objectList<T>(
    opts: Common<readonly T[]> & {
        /** Human-readable type for error messages and the README, for example "list of node groups". */
        typeName: string;
        /** Converts and checks one map; its problem is phrased after the value ("has the ...; expected ..."). */
        item: (value: Readonly<Record<string, unknown>>, index: number) => Parsed<T>;
        /** Checks the whole converted list; returns a problem ("has ...; expected ...") or undefined. */
        check?: (items: readonly T[]) => string | undefined;
    },
): Field<readonly T[]> {
    return {
        projectType: undefined,
        typeName: opts.typeName,
        description: opts.description,
        default: opts.default,
        structured: true,
        parse(raw: string): Parsed<readonly T[]> {
            const parsed = parseJson(raw);
            if ("problem" in parsed) {
                return parsed;
            }
            const value = parsed.value;
            if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null || Array.isArray(v))) {
                return { problem: `is not a list of maps; expected a ${opts.typeName}` };
            }
            // Every item is checked, so that one run lists every bad item.
            const items: T[] = [];
            const problems: NestedProblem[] = [];
            for (const [index, entry] of (value as Record<string, unknown>[]).entries()) {
                const item = opts.item(entry, index);
                if ("problem" in item) {
                    const nested = item.problems ?? [{ path: item.field === undefined ? "" : `.${item.field}`, problem: item.problem }];
                    problems.push(...nested.map((p) => ({ path: `[${index}]${p.path}`, problem: p.problem })));
                } else {
                    items.push(item.value);
                }
            }
            if (problems.length > 0) {
                return { problem: problems[0].problem, problems };
            }
            const problem = opts.check?.(items);
            return problem ? { problem } : { value: items };
        },
    };
}
