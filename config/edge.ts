/**
 * The typed settings of the edge (application domain, hosted zone, WAF), built from the parsed keys.
 */
import { ALWAYS_ON_RULE_GROUPS, countModeRules, type CountModeRule, type ManagedRuleGroupName, type SensitivePath } from "./keys/edge";
import type { ConfigValues } from "./schema";

/** The application domain and the Route 53 zone its certificate is validated in. */
export interface EdgeConfig {
    /** Application domain (certificate for it and `*.<domain>`); undefined: no certificate, no public hosts. */
    readonly domain?: string;
    /** Id of the public hosted zone that holds the domain; set exactly when `domain` is. */
    readonly hostedZoneId?: string;
    /** Name of that hosted zone; `domain` equals it or lies inside it. */
    readonly hostedZoneName?: string;
}

/** The web ACL settings. */
export interface WafConfig {
    /** Requests per client IP per 5 minutes before the site-wide rate rule blocks. */
    readonly rateLimitPerIp: number;
    /** Every managed rule group the web ACL runs: the always-on groups first, then the configured extras. */
    readonly managedRuleGroups: readonly ManagedRuleGroupName[];
    /** ISO 3166-1 alpha-2 codes of blocked countries. */
    readonly blockedCountries: readonly string[];
    /** Paths with their own, tighter rate limit. */
    readonly sensitivePaths: readonly SensitivePath[];
    /** Managed rules overridden to count instead of block. */
    readonly countModeRules: readonly CountModeRule[];
}

/** The edge sections of the platform config. */
export interface EdgeSections {
    /** Domain and hosted zone. */
    readonly edge: EdgeConfig;
    /** AWS WAF web ACL. */
    readonly waf: WafConfig;
}

const orUndefined = (value: string): string | undefined => (value === "" ? undefined : value);

/** Builds the edge sections from validated keys. */
export function edgeSections(values: ConfigValues): EdgeSections {
    return {
        edge: {
            domain: orUndefined(values["edge.domain"]),
            hostedZoneId: orUndefined(values["edge.hostedZoneId"]),
            hostedZoneName: orUndefined(values["edge.hostedZoneName"]),
        },
        waf: {
            rateLimitPerIp: values["waf.rateLimitPerIp"],
            managedRuleGroups: [...ALWAYS_ON_RULE_GROUPS, ...(values["waf.managedRuleGroups"] as ManagedRuleGroupName[])],
            blockedCountries: values["waf.blockedCountries"],
            sensitivePaths: values["waf.sensitivePaths"],
            countModeRules: countModeRules(values["waf.countModeRules"]),
        },
    };
}
