/**
 * Runs pack rules on small synthetic resources, the way checkov and compliance-policies test checks:
 * a compliant baseline, then one mutation per condition.
 */
import type { PlatformRule } from "../../policies/lib/rule";
import { evaluatePolicies, type PolicyInput, type PolicyPackConfig, type PolicyViolation } from "../../tools/offline/policyRunner";

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
