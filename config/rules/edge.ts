/**
 * Cross-key rules of the edge (domain, hosted zone, WAF), checked after every key has parsed on its own.
 */
import { show } from "../fields";
import { ALWAYS_ON_RULE_GROUPS, countModeRules } from "../keys/edge";
import type { ProblemList } from "../rules";
import type { ConfigValues } from "../schema";

/** The domain and the hosted zone come together, and the domain lies in the zone. */
export function checkDomainInZone(values: ConfigValues, problems: ProblemList): void {
    const domain = values["edge.domain"];
    const zoneId = values["edge.hostedZoneId"];
    const zoneName = values["edge.hostedZoneName"];
    if (domain === "") {
        for (const [key, value] of [
            ["edge.hostedZoneId", zoneId],
            ["edge.hostedZoneName", zoneName],
        ] as const) {
            if (value !== "") {
                problems.add(key, `${show(value)} is set without platform:edge.domain; expected "" too, or platform:edge.domain set to a name in the zone`);
            }
        }
        return;
    }
    if (zoneId === "") {
        problems.add(
            "edge.hostedZoneId",
            `is not set, but platform:edge.domain is ${show(domain)}; expected the id of the Route 53 public hosted zone that holds it (for example "Z0123456789EXAMPLE0AB"), where the certificate's validation records go`,
        );
    }
    if (zoneName === "") {
        problems.add(
            "edge.hostedZoneName",
            `is not set, but platform:edge.domain is ${show(domain)}; expected the name of the Route 53 public hosted zone that holds it (for example "example.com")`,
        );
    } else if (domain !== zoneName && !domain.endsWith(`.${zoneName}`)) {
        problems.add(
            "edge.domain",
            `${show(domain)} is outside platform:edge.hostedZoneName ${show(zoneName)}; expected ${show(zoneName)} itself or a name ending in ".${zoneName}" (the certificate is validated by records in that zone)`,
        );
    }
}

/** WAF rules that involve several keys: path limits below the site limit, count overrides on groups that run. */
export function checkWafRules(values: ConfigValues, problems: ProblemList): void {
    const siteLimit = values["waf.rateLimitPerIp"];
    for (const { path, limit } of values["waf.sensitivePaths"]) {
        if (limit >= siteLimit) {
            problems.add(
                "waf.sensitivePaths",
                `has the limit ${limit} for ${show(path)}, which is not below platform:waf.rateLimitPerIp (${siteLimit}); expected a limit below ${siteLimit}, so that the path is limited more tightly than the site`,
            );
        }
    }
    const running: string[] = [...ALWAYS_ON_RULE_GROUPS, ...values["waf.managedRuleGroups"]];
    for (const [index, { group, rule }] of countModeRules(values["waf.countModeRules"]).entries()) {
        if (!running.includes(group)) {
            problems.add(
                "waf.countModeRules",
                `${show(values["waf.countModeRules"][index])} names the rule ${rule} of ${group}, which the web ACL does not run; expected a rule of one of: ${running.join(", ")} (add the group to platform:waf.managedRuleGroups first)`,
            );
        }
    }
}
