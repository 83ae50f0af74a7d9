/**
 * Reading Kubernetes objects defensively: kinds by API group whatever the version, pod templates of every
 * workload kind, containers, namespaces and label selectors.
 */
import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOf } from "./graph";
import { asArray, asNumber, asRecord, asString, at, peek, prop, records, UNKNOWN } from "./values";

const kindCache = new Map<string, string | undefined>();

/**
 * `group:Kind` of a Kubernetes type token (`kubernetes:apps/v1:Deployment` gives `apps:Deployment`,
 * `kubernetes:core/v1:Pod` gives `core:Pod`), so that every API version of a kind matches; undefined for
 * other types.
 */
export function kindOf(type: string): string | undefined {
    let kind = kindCache.get(type);
    if (kind === undefined && !kindCache.has(type)) {
        const match = /^kubernetes:([^/:]+)\/[^:]+:([A-Za-z0-9]+)$/.exec(type);
        kind = match ? `${match[1]}:${match[2]}` : undefined;
        kindCache.set(type, kind);
    }
    return kind;
}

/** True when the type token is one of the `group:Kind`s (any version). */
export function isKind(type: string, kinds: string | readonly string[]): boolean {
    const kind = kindOf(type);
    return kind !== undefined && (typeof kinds === "string" ? kind === kinds : kinds.includes(kind));
}

/** A workload's pod template: labels and annotations of the pods, and their spec. */
export interface PodTemplate {
    /** Pod labels (the template's, or the Pod's own). */
    readonly labels: Record<string, unknown>;
    /** Pod annotations. */
    readonly annotations: Record<string, unknown>;
    /** The pod spec (an empty object when missing). */
    readonly spec: Record<string, unknown>;
}

/** The pod template of a workload (`spec.template`, a CronJob's `spec.jobTemplate.spec.template`, a Pod itself). */
export function podTemplateOf(type: string, props: Record<string, unknown>): PodTemplate {
    const kind = kindOf(type);
    const template =
        kind === "core:Pod" ? props : kind === "batch:CronJob" ? at(props, "spec", "jobTemplate", "spec", "template") : at(props, "spec", "template");
    return {
        labels: asRecord(at(template, "metadata", "labels")) ?? {},
        annotations: asRecord(at(template, "metadata", "annotations")) ?? {},
        spec: asRecord(prop(template, "spec")) ?? {},
    };
}

/** One container of a pod spec, with the list it comes from. */
export interface Container {
    /** The container. */
    readonly container: Record<string, unknown>;
    /** How messages name it: `container "app"`, `init container "migrate"`. */
    readonly label: string;
    /** True for ephemeral (debug) containers. */
    readonly ephemeral: boolean;
    /** True for init containers. */
    readonly init: boolean;
}

/** All containers of a pod spec: containers, init containers and ephemeral containers. */
export function containersOf(spec: Record<string, unknown>): Container[] {
    const list = (key: string, what: string, init: boolean, ephemeral: boolean) =>
        records(prop(spec, key)).map((container, i) => {
            const name = asString(prop(container, "name"));
            return { container, label: `${what} ${name !== undefined ? JSON.stringify(name) : `#${i + 1}`}`, init, ephemeral };
        });
    return [
        ...list("containers", "container", false, false),
        ...list("initContainers", "init container", true, false),
        ...list("ephemeralContainers", "ephemeral container", false, true),
    ];
}

/** The object's `metadata.name`, when known. */
export function nameOf(props: Record<string, unknown>): string | undefined {
    return asString(at(props, "metadata", "name"));
}

/** The namespaces of the system itself: not application namespaces. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease"];

/**
 * True when a label selector (`matchLabels`, `matchExpressions`) selects pods with these labels. An empty
 * selector selects every pod; a malformed one selects none. A value unknown during preview counts as a
 * match (it cannot be told otherwise, and the rules that use this must not report what they cannot see).
 */
export function selects(selector: unknown, labels: Record<string, unknown>): boolean {
    const sel = asRecord(selector);
    if (sel === undefined) {
        return false;
    }
    const label = (key: string) => peek(labels, key);
    const matchLabels = peek(sel, "matchLabels");
    for (const key of Object.keys(asRecord(matchLabels === UNKNOWN ? undefined : matchLabels) ?? {})) {
        const wanted = peek(matchLabels, key);
        const actual = label(key);
        if (wanted !== UNKNOWN && actual !== UNKNOWN && actual !== wanted) {
            return false;
        }
    }
    const expressions = peek(sel, "matchExpressions");
    for (const expression of expressions === UNKNOWN ? [] : records(expressions)) {
        const key = asString(peek(expression, "key"));
        const operator = asString(peek(expression, "operator"));
        const rawValues = peek(expression, "values");
        if (key === undefined || rawValues === UNKNOWN) {
            if (key === undefined) {
                return false;
            }
            continue;
        }
        const values = asArray(rawValues);
        const actual = label(key);
        if (actual === UNKNOWN) {
            continue;
        }
        const present = actual !== undefined;
        const ok =
            operator === "In"
                ? present && values.includes(actual)
                : operator === "NotIn"
                  ? !present || !values.includes(actual)
                  : operator === "Exists"
                    ? present
                    : operator === "DoesNotExist"
                      ? !present
                      : false;
        if (!ok) {
            return false;
        }
    }
    return true;
}

/** True for a label selector that selects every pod (missing, or no labels and no expressions). */
export function selectsAll(selector: unknown): boolean {
    const sel = asRecord(selector);
    return sel === undefined || (Object.keys(asRecord(prop(sel, "matchLabels")) ?? {}).length === 0 && asArray(prop(sel, "matchExpressions")).length === 0);
}

/** True when a NetworkPolicy's rule list allows nothing but DNS (every rule limited to port 53). */
export function onlyDns(rules: readonly Record<string, unknown>[]): boolean {
    return rules.every((rule) => {
        const ports = records(prop(rule, "ports"));
        return ports.length > 0 && ports.every((p) => asNumber(prop(p, "port")) === 53 || asString(prop(p, "port")) === "dns");
    });
}

/** The namespace Kubernetes puts an object in when `metadata.namespace` is unset. */
export const DEFAULT_NAMESPACE = "default";

/**
 * The namespace of an object: `metadata.namespace` (`default` when unset), or, when that is unknown during
 * preview, the name of the Namespace resource it depends on. Undefined when it cannot be told.
 */
export function namespaceOf(r: PolicyResource): string | undefined {
    const value = peek(r.props, "metadata", "namespace");
    if (value !== UNKNOWN) {
        return typeof value === "string" && value !== "" ? value : DEFAULT_NAMESPACE;
    }
    for (const dep of dependenciesOf(r, "metadata")) {
        if (isKind(dep.type, "core:Namespace")) {
            const name = peek(dep.props, "metadata", "name");
            return typeof name === "string" ? name : undefined;
        }
    }
    return undefined;
}
