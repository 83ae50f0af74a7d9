import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { MultiMap, ResourceIndex, ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { WAF } from "../../lib/types";
import { asRecord, asString, asStrings, at, describe, prop, records } from "../../lib/values";

/** The managed rule groups every web ACL must run (Log4j and known bad inputs; the OWASP-style core set). */
const REQUIRED_GROUPS = ["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"];

interface Settings {
    requiredManagedRuleGroups?: string[];
}

/** A rule of a web ACL, wherever it is declared, reduced to what is checked. */
interface AclRule {
    readonly name: string;
    readonly hasAction: boolean;
    readonly managedGroup: string | undefined;
}

/** Rules declared inline (`rules`) or as JSON (`ruleJson`, in the WAF API's capitalised shape). */
function inlineRules(acl: PolicyResource): AclRule[] {
    const rules = records(prop(acl.props, "rules")).map((r, i) => ({
        name: asString(prop(r, "name")) ?? `#${i + 1}`,
        hasAction: asRecord(prop(r, "action")) !== undefined || asRecord(prop(r, "overrideAction")) !== undefined,
        managedGroup: asString(at(r, "statement", "managedRuleGroupStatement", "name")),
    }));
    const json = asString(prop(acl.props, "ruleJson"));
    if (json !== undefined) {
        try {
            const parsed = JSON.parse(json) as unknown;
            records(parsed).forEach((r, i) =>
                rules.push({
                    name: asString(prop(r, "Name")) ?? `ruleJson #${i + 1}`,
                    hasAction: asRecord(prop(r, "Action")) !== undefined || asRecord(prop(r, "OverrideAction")) !== undefined,
                    managedGroup: asString(at(r, "Statement", "ManagedRuleGroupStatement", "Name")),
                }),
            );
        } catch {
            // Not JSON: AWS rejects it at deployment; nothing to judge here.
        }
    }
    return rules;
}

const policy: StackValidationPolicy = {
    name: "platform-waf-web-acl-rules",
    description:
        "Every WAFv2 web ACL has rules (inline, in ruleJson, or as WebAclRule / WebAclRuleGroupAssociation resources), each with an action or override action, runs the AWS managed Known Bad Inputs (Log4j) and Common rule sets, and publishes CloudWatch metrics.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredManagedRuleGroups: {
                type: "array",
                items: { type: "string" },
                default: REQUIRED_GROUPS,
                description: "AWS managed rule groups every web ACL must include.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const acls = ResourceIndex.of(args.resources, [WAF.webAcl]);
        if (acls.all.length === 0) {
            return;
        }
        const required = asStrings(args.getConfig<Settings>().requiredManagedRuleGroups ?? REQUIRED_GROUPS);
        const separate = new MultiMap<string, AclRule>();
        for (const r of ofTypes(args.resources, [WAF.rule, WAF.ruleGroupAssociation])) {
            if (r.type === WAF.rule) {
                const rule: AclRule = {
                    name: asString(prop(r.props, "name")) ?? r.name,
                    hasAction: asRecord(prop(r.props, "action")) !== undefined || asRecord(prop(r.props, "overrideAction")) !== undefined,
                    managedGroup: asString(at(r.props, "statement", "managedRuleGroupStatement", "name")),
                };
                acls.refs(r, "webAclArn").forEach((acl) => separate.add(acl.urn, rule));
            } else if (r.type === WAF.ruleGroupAssociation) {
                const rule: AclRule = {
                    name: asString(prop(r.props, "ruleName")) ?? r.name,
                    // The override action defaults to "none": the group's own actions apply.
                    hasAction: true,
                    managedGroup: asString(at(r.props, "managedRuleGroup", "name")),
                };
                acls.refs(r, "webAclArn").forEach((acl) => separate.add(acl.urn, rule));
            }
        }
        for (const acl of acls.all) {
            const rules = [...inlineRules(acl), ...separate.get(acl.urn)];
            if (rules.length === 0) {
                reportViolation(
                    `${describe(acl)} has no rules, so it only applies its default action. Add the AWS managed rule groups ${required.join(" and ")}.`,
                    acl.urn,
                );
                continue;
            }
            for (const rule of rules.filter((r) => !r.hasAction)) {
                reportViolation(
                    `${describe(acl)} has rule ${JSON.stringify(rule.name)} with neither action nor overrideAction. Set action (for a rule) or overrideAction: { none: {} } (for a rule group).`,
                    acl.urn,
                );
            }
            const present = new Set(rules.map((r) => r.managedGroup));
            const missing = required.filter((g) => !present.has(g));
            if (missing.length > 0) {
                reportViolation(
                    `${describe(acl)} does not run the AWS managed rule groups ${missing.join(" and ")}. Add a rule with a managedRuleGroupStatement for each.`,
                    acl.urn,
                );
            }
            if (at(acl.props, "visibilityConfig", "cloudwatchMetricsEnabled") !== true) {
                reportViolation(`${describe(acl)} publishes no CloudWatch metrics. Set visibilityConfig.cloudwatchMetricsEnabled: true.`, acl.urn);
            }
        }
    },
};

/** WAF-01, WAF-02. */
export const configureWebAcl: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["WAF-01", "WAF-02", "WAF.10", "WAF.12", "CKV_AWS_175", "CKV_AWS_342", "CKV_AWS_192", "CKV2_AWS_76"],
};
