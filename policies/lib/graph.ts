/**
 * Joins between the resources a stack rule sees. A reference (`bucket`, `vpcId`, `resourceArn`) is
 * followed through the referencing input's property dependencies first: ids and ARNs of new resources are
 * unknown during preview, but which resource they come from is always known. Only when there is no
 * dependency of the wanted type is the reference's value looked up among the known names and ARNs of the
 * candidates. Everything is indexed once per rule run (no pairwise scans), and no read here ever throws.
 */
import type { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, peek, peekElements, prop } from "./values";

/** The memo of one stack: what the rules of one evaluation share (keyed by the first resource object). */
interface Memo {
    readonly length: number;
    readonly last: PolicyResource;
    readonly values: Map<string, unknown>;
}

const memos = new WeakMap<PolicyResource, Memo>();

/**
 * Computes `build(resources)` once per stack and shares it between the stack rules of one evaluation
 * (they receive the same resource objects). A different stack (other objects) gets its own value, so
 * sharing never changes a result; it only saves the rules from each indexing the whole stack again.
 */
export function shared<T>(resources: readonly PolicyResource[], key: string, build: (resources: readonly PolicyResource[]) => T): T {
    const first = resources[0];
    if (first === undefined || first === null || typeof first !== "object") {
        return build(resources);
    }
    let memo = memos.get(first);
    if (memo === undefined || memo.length !== resources.length || memo.last !== resources[resources.length - 1]) {
        memo = { length: resources.length, last: resources[resources.length - 1], values: new Map() };
        memos.set(first, memo);
    }
    if (!memo.values.has(key)) {
        memo.values.set(key, build(resources));
    }
    return memo.values.get(key) as T;
}

/** The stack's resources grouped by type token, built once per stack. */
function byType(resources: readonly PolicyResource[]): ReadonlyMap<string, readonly PolicyResource[]> {
    return shared(resources, "byType", () => {
        const map = new Map<string, PolicyResource[]>();
        for (const r of resources) {
            const type = r !== null && typeof r === "object" && typeof r.type === "string" ? r.type : undefined;
            if (type !== undefined) {
                const list = map.get(type);
                if (list === undefined) {
                    map.set(type, [r]);
                } else {
                    list.push(r);
                }
            }
        }
        return map;
    });
}

/** The resources of the given types, in stack order within each type. */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
    const index = byType(resources);
    return types.length === 1 ? [...(index.get(types[0]) ?? [])] : types.flatMap((t) => index.get(t) ?? []);
}

/** The resources whose type satisfies `test` (for Kubernetes kinds, which match every API version). */
export function ofTypesWhere(resources: readonly PolicyResource[], test: (type: string) => boolean): PolicyResource[] {
    const found: PolicyResource[] = [];
    for (const [type, list] of byType(resources)) {
        if (test(type)) {
            found.push(...list);
        }
    }
    return found;
}

/** The state keys a resource may be referred to by, besides its URN. */
const NAME_KEYS = ["arn", "id", "name", "bucket", "keyId", "replicationGroupId", "identifier"] as const;

/** The resources of some types, with lookups by the names and ARNs other resources refer to them by. */
export class ResourceIndex {
    /** Every resource of the indexed types, in stack order. */
    readonly all: readonly PolicyResource[];
    private readonly byName = new Map<string, PolicyResource[]>();
    private readonly types: ReadonlySet<string>;

    constructor(resources: readonly PolicyResource[], types: readonly string[]) {
        this.types = new Set(types);
        this.all = ofTypes(resources, types);
        for (const r of this.all) {
            const names = new Set<string>();
            for (const key of NAME_KEYS) {
                const value = peek(r.props, key);
                if (typeof value === "string" && value !== "") {
                    names.add(value);
                }
            }
            for (const name of names) {
                const list = this.byName.get(name);
                if (list === undefined) {
                    this.byName.set(name, [r]);
                } else {
                    list.push(r);
                }
            }
        }
    }

    /** The index of these types for this stack, shared by the stack rules of one evaluation. */
    static of(resources: readonly PolicyResource[], types: readonly string[]): ResourceIndex {
        return shared(resources, `index:${types.join(",")}`, () => new ResourceIndex(resources, types));
    }

    /** True when `r` is one of the indexed resources. */
    has(r: PolicyResource): boolean {
        return this.types.has(r.type);
    }

    /**
     * The indexed resources `from` refers to through its input `key`: the property dependencies of that
     * input that are of an indexed type, else the resources whose name or ARN equals the input's value
     * (a string or a list of strings).
     */
    refs(from: PolicyResource, key: string): PolicyResource[] {
        const deps = dependenciesOf(from, key).filter((d) => this.types.has(d.type));
        if (deps.length > 0) {
            return deps;
        }
        return this.lookup(peek(from.props, key));
    }

    /** The indexed resources with this name or ARN (a string or a list of strings; unknown gives none). */
    lookup(value: unknown): PolicyResource[] {
        if (value === UNKNOWN) {
            return [];
        }
        if (typeof value === "string") {
            return this.byName.get(value) ?? [];
        }
        const found = new Set<PolicyResource>();
        for (const name of peekElements(value)) {
            if (typeof name === "string") {
                (this.byName.get(name) ?? []).forEach((r) => found.add(r));
            }
        }
        return [...found];
    }
}

/** The resources an input of `r` depends on (its property dependencies for `key`). */
export function dependenciesOf(r: PolicyResource, key: string): PolicyResource[] {
    const deps = prop(r.propertyDependencies, key);
    return Array.isArray(deps) ? (deps as PolicyResource[]).filter((d) => d !== null && typeof d === "object" && typeof d.type === "string") : [];
}

/** Groups values under keys, for one-pass joins. */
export class MultiMap<K, V> {
    private readonly map = new Map<K, V[]>();

    /** Adds `value` under `key`. */
    add(key: K, value: V): void {
        const list = this.map.get(key);
        if (list === undefined) {
            this.map.set(key, [value]);
        } else {
            list.push(value);
        }
    }

    /** The values under `key` (none: an empty list). */
    get(key: K): readonly V[] {
        return this.map.get(key) ?? [];
    }
}
