/**
 * Evaluates the policy pack in-process on recorded resources (the offline plan) or on the steps of a
 * `pulumi preview --json` file, the way the Pulumi analyzer does: resource policies see inputs, stack
 * policies see state with parents and dependencies linked; reading a value that is unknown during
 * preview stops that policy with an advisory note instead of a verdict.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule, StackClass } from "../../policies/lib/rule";
import { PACK_NAME, rules as packRules } from "../../policies/rules";
import { REPO_ROOT } from "./stackConfig";
import { UNKNOWN_SENTINEL, Unknown, reveal } from "./values";

/** A resource as the analyzer sees it (the shape of a preview step's `newState`). */
export interface PolicyInput {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly parent?: string;
    readonly provider?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly retainOnDelete?: boolean;
}

/** One reported violation, in the shape `pulumi preview --json` uses. */
export interface PolicyViolation {
    readonly policyPackName: string;
    readonly policyName: string;
    readonly enforcementLevel: "advisory" | "mandatory";
    readonly urn: string;
    readonly message: string;
}

/** Per-policy settings, as in a `--policy-pack-config` file. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** The per-stack policy config file passed to the CLI with `--policy-pack-config`. */
export function policyConfigPath(stack: string): string {
    return path.join(REPO_ROOT, "policies", "config", `${stack}.json`);
}

/** The settings the pack uses for `stack`, generated from each rule's declared levels and thresholds. */
export function policyConfigFor(stack: StackClass, rules: readonly PlatformRule[] = packRules): PolicyPackConfig {
    return Object.fromEntries(rules.map((rule) => [rule.policy.name, { enforcementLevel: rule.levels[stack], ...(rule.config?.[stack] ?? {}) }]));
}

/** Reads the checked-in policy config of a stack; an unknown stack gets the pack's built-in (prod) levels. */
export function readPolicyConfig(stack: string): PolicyPackConfig {
    const file = policyConfigPath(stack);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig) : {};
}

class UnknownValueError extends Error {}
class NotApplicableError extends Error {}

function isUnknown(value: unknown): boolean {
    return value instanceof Unknown || value === UNKNOWN_SENTINEL;
}

/**
 * Wraps props so that reading an unknown value throws, as the CrossGuard SDK's proxy does. Only objects
 * that hold an unknown value somewhere below them are wrapped: no read of any other object can throw, so
 * those are passed as they are (most of a plan's values are known, and a proxy costs on every read).
 */
function unknownChecking(value: unknown, where: string): unknown {
    const holdingUnknowns = new WeakSet<object>();
    markUnknowns(value, holdingUnknowns);
    return checked(value, where, holdingUnknowns);
}

/** Adds to `holding` every object that holds an unknown value at any depth; true when `value` is or holds one. */
function markUnknowns(value: unknown, holding: WeakSet<object>): boolean {
    if (value === null || typeof value !== "object") {
        return value === UNKNOWN_SENTINEL;
    }
    if (value instanceof Unknown) {
        return true;
    }
    let found = false;
    if (Array.isArray(value)) {
        for (const element of value) {
            found = markUnknowns(element, holding) || found;
        }
    } else {
        for (const key of Object.keys(value)) {
            found = markUnknowns((value as Record<string, unknown>)[key], holding) || found;
        }
    }
    if (found) {
        holding.add(value);
    }
    return found;
}

function checked(value: unknown, where: string, holding: WeakSet<object>): unknown {
    if (value === null || typeof value !== "object" || !holding.has(value)) {
        return value;
    }
    return new Proxy(value, {
        get(target, prop, receiver) {
            const result = Reflect.get(target, prop, receiver) as unknown;
            if (typeof prop === "string" && isUnknown(result)) {
                throw new UnknownValueError(`${where}.${prop} is unknown during preview`);
            }
            return typeof prop === "string" ? checked(result, `${where}.${prop}`, holding) : result;
        },
    });
}

function levelOf(rule: ResourceValidationPolicy | StackValidationPolicy, config: PolicyPackConfig): EnforcementLevel {
    const entry = config[rule.name];
    const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
    const all = typeof config.all === "string" ? config.all : undefined;
    return configured ?? all ?? rule.enforcementLevel ?? "advisory";
}

function settingsOf(rule: ResourceValidationPolicy | StackValidationPolicy, config: PolicyPackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(rule.configSchema?.properties ?? {}).flatMap(([key, schema]) =>
            (schema as { default?: unknown }).default !== undefined ? [[key, (schema as { default?: unknown }).default]] : [],
        ),
    );
    const entry = config[rule.name];
    const settings: Record<string, unknown> = typeof entry === "object" ? { ...entry } : {};
    delete settings.enforcementLevel;
    return { ...defaults, ...settings };
}

function typeMatcher(type: string) {
    return (cls: { __pulumiType?: string }) => cls.__pulumiType === type;
}

/** Evaluates every rule on the given resources and returns the violations. */
export async function evaluatePolicies(
    resources: readonly PolicyInput[],
    options: { config?: PolicyPackConfig; rules?: readonly PlatformRule[] } = {},
): Promise<PolicyViolation[]> {
    const config = options.config ?? {};
    const policies = (options.rules ?? packRules).map((r) => r.policy);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const violations: PolicyViolation[] = [];
    const report = (policyName: string, level: "advisory" | "mandatory", urn: string, message: string) =>
        violations.push({ policyPackName: PACK_NAME, policyName, enforcementLevel: level, urn, message });

    const handle = (policyName: string, urn: string, error: unknown) => {
        if (error instanceof UnknownValueError) {
            report(policyName, "advisory", urn, `can't run policy ${policyName} during preview: ${error.message}`);
        } else if (!(error instanceof NotApplicableError)) {
            // The real analyzer fails the whole preview here; surface it as a mandatory finding.
            report(policyName, "mandatory", urn, `policy ${policyName} crashed: ${error instanceof Error ? error.message : String(error)}`);
        }
    };
    // Runs one validation; returns a promise only when the validation is asynchronous, so that the
    // common synchronous case costs no microtask per resource.
    const guard = (policyName: string, urn: string, run: () => unknown): Promise<void> | undefined => {
        try {
            const result = run();
            if (result instanceof Promise) {
                return result.then(
                    () => undefined,
                    (error: unknown) => handle(policyName, urn, error),
                );
            }
        } catch (error) {
            handle(policyName, urn, error);
        }
        return undefined;
    };
    const notApplicable = (reason?: string): never => {
        throw new NotApplicableError(reason);
    };

    // Stack policies get PolicyResources linked to each other, with state (outputs) as props.
    const policyResources = new Map<string, PolicyResource>();
    for (const r of resources) {
        const props = unknownChecking(reveal(r.outputs), r.name) as Record<string, unknown>;
        policyResources.set(r.urn, {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: { protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} },
            dependencies: [],
            propertyDependencies: {},
            isType: typeMatcher(r.type),
            asType: (cls: { __pulumiType?: string }) => (cls.__pulumiType === r.type ? props : undefined),
        } as unknown as PolicyResource);
    }
    for (const r of resources) {
        const pr = policyResources.get(r.urn) as {
            parent?: PolicyResource;
            dependencies: PolicyResource[];
            propertyDependencies: Record<string, PolicyResource[]>;
        };
        const link = (urns: readonly string[]) => urns.flatMap((u) => policyResources.get(u) ?? []);
        pr.parent = r.parent ? policyResources.get(r.parent) : undefined;
        pr.dependencies = link(r.dependencies);
        pr.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, link(urns)]));
    }

    // What resource policies see of each resource, built once and shared by every policy. The policy
    // being run is read through `current` (validations run one at a time), so that no object is built
    // per resource and policy.
    const current = { settings: {} as Record<string, unknown> };
    const getConfig = () => current.settings;
    const resourceArgs = resources.map((r) => {
        const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        const props = unknownChecking(reveal(r.inputs), r.name) as Record<string, unknown>;
        return {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: {
                protect: r.protect,
                parent: r.parent,
                dependsOn: r.dependencies,
                ignoreChanges: [],
                aliases: [],
                additionalSecretOutputs: [],
                customTimeouts: {},
            },
            provider: provider ? { type: provider.type, name: provider.name, urn: provider.urn, props: reveal(provider.inputs) } : undefined,
            stackTags: new Map<string, string>(),
            isType: typeMatcher(r.type),
            asType: (cls: { __pulumiType?: string }) => (cls.__pulumiType === r.type ? props : undefined),
            getConfig,
            notApplicable,
        } as unknown as ResourceValidationArgs;
    });

    for (const policy of policies) {
        const level = levelOf(policy, config);
        if (level === "disabled") {
            continue;
        }
        const reported: "advisory" | "mandatory" = level === "advisory" ? "advisory" : "mandatory";
        current.settings = settingsOf(policy, config);
        if ("validateResource" in policy && policy.validateResource) {
            const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            for (const args of resourceArgs) {
                const reportHere = (message: string, urn?: string) => report(policy.name, reported, urn ?? args.urn, message);
                for (const validate of validations) {
                    const pending = guard(policy.name, args.urn, () => validate(args, reportHere));
                    if (pending) {
                        await pending;
                    }
                }
            }
        }
        if ("validateStack" in policy && policy.validateStack) {
            const validateStack = policy.validateStack;
            const args = { resources: [...policyResources.values()], getConfig, notApplicable };
            await guard(policy.name, "", () =>
                validateStack(args as never, (message: string, urn?: string) => report(policy.name, reported, urn ?? "", message)),
            );
        }
    }
    return violations;
}
