/**
 * Re-applies the AWS provider's plain input validators (its Check step, which Pulumi's mock runtime
 * skips) to the literal inputs of recorded resources. The validator data is
 * `../shared/reference/aws-provider-validators.json` (see its `.md`): per type token, a dotted input path
 * (`a.b`, `a[].b` for every element of a list) and the checks the provider applies there.
 */
import { isIP } from "node:net";
import { Secret, Unknown } from "../../tools/offline/values";

/** The checks of one input path (the JSON's value shape). */
export interface PathValidator {
    enum?: (string | number | boolean)[];
    enumIgnoreCase?: boolean;
    enumType?: string;
    min?: number;
    max?: number;
    divisibleBy?: number;
    minLen?: number;
    maxLen?: number;
    regex?: string | string[];
    notRegex?: string | string[];
    noZeroValue?: boolean;
    notContainsAny?: string[];
    anyOf?: PathValidator[];
    minItems?: number;
    maxItems?: number;
    minEntries?: number;
    format?: string;
    cidrPrefixMin?: number;
    cidrPrefixMax?: number;
    cidrPrefixIn?: number[];
    conflictsWith?: string[];
    requiredWith?: string[];
    exactlyOneOf?: string[];
    atLeastOneOf?: string[];
}

/** Validators by type token, then input path. */
export type ValidatorTable = Record<string, Record<string, PathValidator>>;

/** One input the provider would reject. */
export interface ValidatorViolation {
    /** Concrete input path, e.g. `rules[2].filter.prefix`. */
    readonly path: string;
    /** What is wrong, with the value. */
    readonly message: string;
}

/** Tells whether a literal value came from another resource's output (the provider sees the real one there). */
export type FromOtherResource = (topLevelInput: string, value: string) => boolean;

interface Located {
    readonly path: string;
    readonly value: unknown;
}

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** Splits `a[].b.c` into `["a", "[]", "b", "c"]`. */
function segmentsOf(path: string): string[] {
    return path.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "[]"] : [part]));
}

/**
 * Every value present at `segments` below `root`. A `[]` segment expands a list; a list met where the
 * path names a field (a one-element block) is expanded too.
 */
function locate(root: unknown, segments: string[], prefix = ""): Located[] {
    if (segments.length === 0) {
        return isAbsent(root) ? [] : [{ path: prefix, value: root }];
    }
    if (isAbsent(root) || root instanceof Unknown || root instanceof Secret) {
        return [];
    }
    const [head, ...rest] = segments;
    if (head === "[]") {
        return Array.isArray(root) ? root.flatMap((item, i) => locate(item, rest, `${prefix}[${i}]`)) : [];
    }
    if (Array.isArray(root)) {
        return root.flatMap((item, i) => locate(item, segments, `${prefix}[${i}]`));
    }
    if (typeof root !== "object") {
        return [];
    }
    const child = (root as Record<string, unknown>)[head];
    return locate(child, rest, prefix === "" ? head : `${prefix}.${head}`);
}

function compile(pattern: string): RegExp {
    // Go's RE2 syntax: mostly JavaScript's with the `u` flag; a few patterns escape `-` needlessly, which
    // only non-unicode mode accepts.
    try {
        return new RegExp(pattern, "u");
    } catch {
        return new RegExp(pattern);
    }
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function parseIpv4(text: string): number[] | undefined {
    return isIP(text) === 4 ? text.split(".").map(Number) : undefined;
}

/** Expands an IPv6 address to 8 groups of 16 bits. */
function parseIpv6(text: string): number[] | undefined {
    if (isIP(text) !== 6 || text.includes(".")) {
        return undefined;
    }
    const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
    const headGroups = head === "" ? [] : head.split(":");
    const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
    const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
    return [...headGroups, ...zeros, ...tailGroups].map((g) => parseInt(g, 16));
}

/** Checks a CIDR: parses, and the address is the network address (what Go's net.ParseCIDR round-trips). */
function cidrProblem(value: string, family: 4 | 6 | "any", rule: PathValidator): string | undefined {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
    if (!match) {
        return "is not a CIDR block";
    }
    const prefix = Number(match[2]);
    const v4 = parseIpv4(match[1]);
    const v6 = v4 === undefined ? parseIpv6(match[1]) : undefined;
    if ((family === 4 && !v4) || (family === 6 && !v6) || (!v4 && !v6)) {
        return `is not an IPv${family === "any" ? "4 or IPv6" : family} CIDR block`;
    }
    const groups = v4 ?? v6!;
    const bitsPerGroup = v4 ? 8 : 16;
    if (prefix > groups.length * bitsPerGroup) {
        return "has a prefix longer than the address";
    }
    const hostBitsSet = groups.some((group, i) => {
        const networkBits = Math.max(0, Math.min(bitsPerGroup, prefix - i * bitsPerGroup));
        const hostMask = (1 << (bitsPerGroup - networkBits)) - 1;
        return (group & hostMask) !== 0;
    });
    if (hostBitsSet) {
        return "is not in canonical network form (host bits are set)";
    }
    if (rule.cidrPrefixMin !== undefined && prefix < rule.cidrPrefixMin) {
        return `has a prefix shorter than /${rule.cidrPrefixMin}`;
    }
    if (rule.cidrPrefixMax !== undefined && prefix > rule.cidrPrefixMax) {
        return `has a prefix longer than /${rule.cidrPrefixMax}`;
    }
    if (rule.cidrPrefixIn !== undefined && !rule.cidrPrefixIn.includes(prefix)) {
        return `has a prefix not in /${rule.cidrPrefixIn.join(", /")}`;
    }
    return undefined;
}

/** The provider's ARN check (terraform-provider-aws `verify.ValidARN`). */
function arnProblem(value: string): string | undefined {
    if (value === "") {
        return undefined;
    }
    const parts = value.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return "is not an ARN (arn:partition:service:region:account:resource)";
    }
    const [, partition, service, region, account] = parts;
    const resource = parts.slice(5).join(":");
    if (!/^aws(-[a-z]+)*$/.test(partition)) {
        return `has an invalid partition "${partition}"`;
    }
    if (service === "" || resource === "") {
        return "is an ARN without a service or resource";
    }
    if (region !== "" && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
        return `has an invalid region "${region}"`;
    }
    if (account !== "" && !/^(aws|aws-managed|third-party|aws-marketplace|\d{12}|cw.{10})$/.test(account)) {
        return `has an invalid account id "${account}"`;
    }
    return undefined;
}

function jsonProblem(value: string, iamPolicy: boolean): string | undefined {
    if (iamPolicy && !value.trimStart().startsWith("{")) {
        return "is not a JSON policy document (must be a JSON object)";
    }
    try {
        JSON.parse(value);
        return undefined;
    } catch (e) {
        return `is not valid JSON: ${(e as Error).message}`;
    }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function formatProblem(value: unknown, rule: PathValidator): string | undefined {
    const format = rule.format!;
    if (typeof value !== "string") {
        return `is not a string (format ${format})`;
    }
    switch (format) {
        case "arn":
            return arnProblem(value);
        case "ipv4CidrNetwork":
            return cidrProblem(value, 4, rule);
        case "ipv6CidrNetwork":
            return cidrProblem(value, 6, rule);
        case "cidrNetwork":
            return cidrProblem(value, "any", rule);
        case "ipv4Address":
            return isIP(value) === 4 ? undefined : "is not an IPv4 address";
        case "ipv6Address":
            return isIP(value) === 6 ? undefined : "is not an IPv6 address";
        case "ipAddress":
            return isIP(value) !== 0 ? undefined : "is not an IP address";
        case "rfc3339":
            return RFC3339.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "is not an RFC 3339 timestamp";
        case "dateYYYYMMDD":
            return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : "is not a YYYY-MM-DD date";
        case "json":
            return jsonProblem(value, false);
        case "iamPolicyJson":
            return jsonProblem(value, true);
        case "goDurationOrRfc3339Duration":
            return GO_DURATION.test(value) || ISO_DURATION.test(value) ? undefined : "is neither a Go duration nor an RFC 3339 duration";
        case "goRegexp":
            try {
                compile(value);
                return undefined;
            } catch (e) {
                return `is not a regular expression: ${(e as Error).message}`;
            }
        default:
            throw new Error(`unknown validator format "${format}": teach the checker what the provider does`);
    }
}

const show = (value: unknown): string => JSON.stringify(value);

/** Problems of one value against the value checks of a rule (not the relations). */
export function valueProblems(value: unknown, rule: PathValidator): string[] {
    const problems: string[] = [];
    if (rule.anyOf !== undefined) {
        const failures = rule.anyOf.map((member) => valueProblems(value, member));
        if (failures.every((f) => f.length > 0)) {
            problems.push(`${show(value)} passes none of: ${failures.map((f) => f.join("; ")).join(" | ")}`);
        }
    }
    if (rule.enum !== undefined) {
        const matches = rule.enum.some((allowed) =>
            rule.enumIgnoreCase === true && typeof allowed === "string" && typeof value === "string"
                ? allowed.toLowerCase() === value.toLowerCase()
                : allowed === value,
        );
        if (!matches) {
            problems.push(`${show(value)} is not one of ${rule.enum.map(show).join(", ")}`);
        }
    }
    if (typeof value === "number") {
        if (rule.min !== undefined && value < rule.min) {
            problems.push(`${value} is below the minimum ${rule.min}`);
        }
        if (rule.max !== undefined && value > rule.max) {
            problems.push(`${value} is above the maximum ${rule.max}`);
        }
        if (rule.divisibleBy !== undefined && value % rule.divisibleBy !== 0) {
            problems.push(`${value} is not a multiple of ${rule.divisibleBy}`);
        }
    } else if ((rule.min !== undefined || rule.max !== undefined || rule.divisibleBy !== undefined) && typeof value !== "number") {
        problems.push(`${show(value)} is not a number`);
    }
    if (typeof value === "string") {
        const bytes = Buffer.byteLength(value, "utf8");
        if (rule.minLen !== undefined && bytes < rule.minLen) {
            problems.push(`${show(value)} is shorter than ${rule.minLen} bytes`);
        }
        if (rule.maxLen !== undefined && bytes > rule.maxLen) {
            problems.push(`${show(value)} is ${bytes} bytes, over the maximum ${rule.maxLen}`);
        }
        for (const pattern of asList(rule.regex)) {
            if (!compile(pattern).test(value)) {
                problems.push(`${show(value)} does not match /${pattern}/`);
            }
        }
        for (const pattern of asList(rule.notRegex)) {
            if (compile(pattern).test(value)) {
                problems.push(`${show(value)} matches the forbidden /${pattern}/`);
            }
        }
        for (const forbidden of rule.notContainsAny ?? []) {
            if (value.includes(forbidden)) {
                problems.push(`${show(value)} contains the forbidden ${show(forbidden)}`);
            }
        }
    }
    if (rule.noZeroValue === true && (value === 0 || value === "" || value === false)) {
        problems.push(`${show(value)} is the zero value, which the provider rejects`);
    }
    if (Array.isArray(value)) {
        if (rule.minItems !== undefined && value.length < rule.minItems) {
            problems.push(`has ${value.length} items, fewer than ${rule.minItems}`);
        }
        if (rule.maxItems !== undefined && value.length > rule.maxItems) {
            problems.push(`has ${value.length} items, more than ${rule.maxItems}`);
        }
    }
    if (rule.minEntries !== undefined && typeof value === "object" && value !== null && Object.keys(value).length < rule.minEntries) {
        problems.push(`has ${Object.keys(value).length} entries, fewer than ${rule.minEntries}`);
    }
    if (rule.format !== undefined) {
        const problem = formatProblem(value, rule);
        if (problem !== undefined) {
            problems.push(`${show(value)} ${problem}`);
        }
    }
    return problems;
}

/** Formats about the structure the program writes, which another resource's output inside cannot change. */
const STRUCTURAL_FORMATS = new Set(["json", "iamPolicyJson"]);

/** True when the value holds nothing the plan knows (a secret or an unknown). */
function opaque(value: unknown): boolean {
    return value instanceof Secret || value instanceof Unknown;
}

/** The parent block path of an input path (`a.b.c` -> `a.b`), or undefined at the top level. */
function parentOf(path: string): string | undefined {
    const at = path.lastIndexOf(".");
    return at === -1 ? undefined : path.slice(0, at);
}

/** True when the value at `path` (absolute, no lists) is set below `inputs`; an explicit `false` counts. */
function isSet(inputs: Record<string, unknown>, path: string): boolean {
    return locate(inputs, segmentsOf(path)).length > 0;
}

/**
 * Applies every validator of `table[type]` to `inputs`. Secret and unknown values are skipped, and so
 * are strings `fromOther` says came from another resource's output (relations still count them as set).
 */
export function checkInputs(
    type: string,
    inputs: Record<string, unknown>,
    table: ValidatorTable,
    fromOther: FromOtherResource = () => false,
): ValidatorViolation[] {
    const rules = table[type];
    if (rules === undefined) {
        return [];
    }
    const violations: ValidatorViolation[] = [];
    const groupsSeen = new Set<string>();
    const firstTime = (kind: string, group: string[]): boolean => {
        const key = `${kind}:${[...group].sort().join(",")}`;
        const first = !groupsSeen.has(key);
        groupsSeen.add(key);
        return first;
    };
    for (const [path, rule] of Object.entries(rules)) {
        const topLevel = path.split(/[.[]/)[0];
        for (const { path: at, value } of locate(inputs, segmentsOf(path))) {
            if (opaque(value)) {
                continue;
            }
            let applied = rule;
            if (typeof value === "string" && fromOther(topLevel, value)) {
                // A document that embeds another resource's output (an ARN in a policy) is still the
                // program's structure: its JSON is checked; lengths and patterns are the real value's.
                if (!STRUCTURAL_FORMATS.has(rule.format ?? "")) {
                    continue;
                }
                applied = { format: rule.format };
            }
            // A list's own checks (minItems) see the list; its elements' checks have their own `[]` path.
            const checked = Array.isArray(value) ? value.filter((v) => !opaque(v)) : value;
            for (const message of valueProblems(checked, applied)) {
                violations.push({ path: at, message });
            }
        }
        const listFree = !path.includes("[]");
        if (listFree && isSet(inputs, path)) {
            for (const other of rule.conflictsWith ?? []) {
                if (isSet(inputs, other)) {
                    violations.push({ path, message: `conflicts with ${other}, which is also set` });
                }
            }
            for (const other of rule.requiredWith ?? []) {
                if (!isSet(inputs, other)) {
                    violations.push({ path, message: `requires ${other} to be set too` });
                }
            }
        }
        const parent = parentOf(path);
        // exactlyOneOf / atLeastOneOf apply even when this input is absent, once its block exists. Report
        // each group once.
        if (listFree && (parent === undefined || isSet(inputs, parent))) {
            const exactly = rule.exactlyOneOf;
            if (exactly !== undefined && firstTime("exactlyOneOf", exactly)) {
                const set = exactly.filter((p) => isSet(inputs, p));
                if (set.length !== 1) {
                    violations.push({
                        path,
                        message: `exactly one of ${exactly.join(", ")} must be set; ${set.length === 0 ? "none is" : `${set.join(", ")} are`}`,
                    });
                }
            }
            const atLeast = rule.atLeastOneOf;
            if (atLeast !== undefined && firstTime("atLeastOneOf", atLeast) && !atLeast.some((p) => isSet(inputs, p))) {
                violations.push({ path, message: `at least one of ${atLeast.join(", ")} must be set` });
            }
        }
    }
    return violations;
}

/** The string outputs of resources, to recognise a literal input that is really another resource's output. */
interface ResourceLike {
    readonly urn: string;
    readonly outputs: Record<string, unknown>;
    readonly propertyDependencies: Record<string, string[]>;
}

function stringsIn(value: unknown, into: Set<string>): void {
    if (typeof value === "string") {
        into.add(value);
    } else if (Array.isArray(value)) {
        value.forEach((v) => stringsIn(v, into));
    } else if (value instanceof Secret) {
        stringsIn(value.value, into);
    } else if (value !== null && typeof value === "object" && !(value instanceof Unknown)) {
        Object.values(value).forEach((v) => stringsIn(v, into));
    }
}

/**
 * The {@link FromOtherResource} of one resource: a string input came from another resource when its
 * top-level input depends on that resource and the string holds one of its (mocked) output strings.
 * Short outputs (`true`, a port) are not evidence and are ignored.
 */
export function fromDependencies(resource: ResourceLike, byUrn: (urn: string) => ResourceLike | undefined): FromOtherResource {
    const cache = new Map<string, string[]>();
    const outputsOf = (input: string): string[] => {
        let found = cache.get(input);
        if (found === undefined) {
            const strings = new Set<string>();
            for (const urn of resource.propertyDependencies[input] ?? []) {
                stringsIn(byUrn(urn)?.outputs, strings);
            }
            found = [...strings].filter((s) => s.length >= 8);
            cache.set(input, found);
        }
        return found;
    };
    return (input, value) => outputsOf(input).some((output) => value.includes(output));
}
