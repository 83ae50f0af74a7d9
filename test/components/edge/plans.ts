/**
 * Program runs and lookups shared by the edge specs. The variant plan runs once per mocha process
 * however many spec files use it (the store lives on globalThis, so that it is one per process even if
 * this module is loaded again: the runtime forgets the modules a run of the program loaded before the next).
 */
import { planWith, type Plan, type RecordedResource } from "../../harness";

const store = globalThis as typeof globalThis & { __edgeVariantPlan?: Promise<Plan> };

/** The overrides of {@link variantPlan}: no domain, and every optional WAF feature at once. */
export const VARIANT = {
    // Without a domain there are no public hosts, so the stack file's applications go too.
    "platform:apps": undefined,
    "platform:edge.domain": undefined,
    "platform:edge.hostedZoneId": undefined,
    "platform:edge.hostedZoneName": undefined,
    "platform:waf.rateLimitPerIp": 1000,
    "platform:waf.managedRuleGroups": ["AWSManagedRulesAnonymousIpList", "AWSManagedRulesLinuxRuleSet"],
    "platform:waf.blockedCountries": ["KP", "IR"],
    "platform:waf.sensitivePaths": [
        { path: "/login", limit: 100 },
        { path: "/Password/Reset", limit: 20 },
    ],
    "platform:waf.countModeRules": ["AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY"],
} as const;

/** dev with {@link VARIANT}. */
export function variantPlan(): Promise<Plan> {
    return (store.__edgeVariantPlan ??= planWith("dev", { ...VARIANT }));
}

/** Type tokens the edge specs use. */
export const T = {
    edge: "platform:edge:Edge",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    logging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    certificate: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
} as const;

/** A web ACL rule as registered (the provider's input shape). */
export interface RegisteredRule {
    name: string;
    priority: number;
    action?: Record<string, unknown>;
    overrideAction?: Record<string, unknown>;
    statement: Record<string, Record<string, unknown>>;
    visibilityConfig: { cloudwatchMetricsEnabled: boolean; metricName: string; sampledRequestsEnabled: boolean };
}

/** The stack's web ACL. */
export function webAclOf(plan: Plan): RecordedResource {
    return plan.get(T.webAcl, "edge-waf-acl");
}

/** The web ACL's rules, in priority order. */
export function rulesOf(plan: Plan): RegisteredRule[] {
    return (plan.inputsOf(webAclOf(plan)).rules as RegisteredRule[]).slice().sort((a, b) => a.priority - b.priority);
}
