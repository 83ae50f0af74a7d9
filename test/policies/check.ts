/**
 * Runs pack rules on small synthetic resources, the way checkov and compliance-policies test checks:
 * a compliant baseline, then one mutation per condition.
 */
import { expect } from "chai";
import type { PlatformRule, StackClass } from "../../policies/lib/rule";
import { evaluatePolicies, policyConfigFor, type PolicyInput, type PolicyPackConfig, type PolicyViolation } from "../../tools/offline/policyRunner";

/** A synthetic resource; `props` serve as both inputs and state. */
export function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<PolicyInput> = {}): PolicyInput {
    return {
        urn: `urn:pulumi:test::platform::${type}::${name}`,
        type,
        name,
        inputs: props,
        outputs: props,
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        ...extra,
    };
}

/** The messages a rule reports for the given resources. */
export async function messages(rule: PlatformRule, resources: PolicyInput[], config: PolicyPackConfig = {}): Promise<string[]> {
    return (await violations(rule, resources, config)).map((v) => v.message);
}

/** The violations a rule reports for the given resources. */
export async function violations(rule: PlatformRule, resources: PolicyInput[], config: PolicyPackConfig = {}): Promise<PolicyViolation[]> {
    return evaluatePolicies(resources, { rules: [rule], config });
}

/** The policy config a rule gets in a stack (its declared level and thresholds). */
export function stackConfig(rule: PlatformRule, stack: StackClass): PolicyPackConfig {
    return policyConfigFor(stack, [rule]);
}

/** A copy of a plain value with `path` (dot-separated; numeric segments index arrays) set to `value`, or removed when `value` is `REMOVE`. */
export function withValue<T>(base: T, path: string, value: unknown): T {
    const copy = structuredClone(base) as unknown;
    const keys = path.split(".");
    let target = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
        target[key] ??= {};
        target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === REMOVE) {
        delete target[last];
    } else {
        target[last] = value;
    }
    return copy as T;
}

/** Marks a property to remove in {@link withValue}. */
export const REMOVE = Symbol("remove");

/** Asserts that the rule gives only the preview's "can't run" advisory for the resources. */
export async function expectCannotDecide(rule: PlatformRule, resources: PolicyInput[], config: PolicyPackConfig = {}): Promise<void> {
    const found = await violations(rule, resources, config);
    expect(found.length, JSON.stringify(found)).to.be.greaterThan(0);
    for (const v of found) {
        expect(v.enforcementLevel).to.equal("advisory");
        expect(v.message).to.match(new RegExp(`^can't run policy ${rule.policy.name} during preview: .* is unknown during preview$`));
    }
}
