/**
 * What every rule of the pack declares besides its CrossGuard policy: where it comes from, what it
 * requires, and how strictly each environment enforces it. The pack, the per-stack policy config files
 * and the README table are all generated from these declarations.
 */
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** The environments a rule distinguishes. */
export type StackClass = "dev" | "prod";

/** One rule of the platform pack. */
export interface PlatformRule {
    /** The CrossGuard policy (name `platform-<area>-<resource>-<rule>`). */
    readonly policy: ResourceValidationPolicy | StackValidationPolicy;
    /** Enforcement per environment; prod's level is also the pack's built-in level. */
    readonly levels: Readonly<Record<StackClass, EnforcementLevel>>;
    /**
     * Catalog id and the ids of what it enforces fully: checkov and trivy checks (CKV_…, AVD-AWS-…, KSV-…,
     * spelt as their tools spell them), Security Hub controls, PSS. policies/coverage/ lists the same peer
     * checks with what each rule enforces of them.
     */
    readonly sources: readonly string[];
    /** Checkov and trivy checks it enforces only in part (policies/coverage/enforcedAws.ts and enforcedKubernetes.ts say what it lets through). */
    readonly partial?: readonly string[];
    /** Per-environment values of the policy's configSchema properties (thresholds). */
    readonly config?: Readonly<Record<StackClass, Record<string, unknown>>>;
}
