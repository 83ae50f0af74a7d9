import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { RULE_TYPES, securityGroupRulesOf } from "../../lib/securityGroups";
import { NET } from "../../lib/types";
import { asString, describe, isWorldCidr, peek, UNKNOWN } from "../../lib/values";

/** What the AWS provider fills in when a group has no description. */
const PROVIDER_DEFAULT_DESCRIPTION = "Managed by Pulumi";

const policy: StackValidationPolicy = {
    name: "platform-network-sg-rule-hygiene",
    description:
        "Security groups and their rules carry a description (reviewers and incident responders read them), and no group sends all protocols to 0.0.0.0/0 (egress should name its destinations and ports). Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, RULE_TYPES)) {
            if (r.type === NET.securityGroup) {
                const description = peek(r.props, "description");
                if ((description !== UNKNOWN && (asString(description) ?? "").trim() === "") || description === PROVIDER_DEFAULT_DESCRIPTION) {
                    reportViolation(`${describe(r)} has no description. Set description to what the group protects and who may reach it.`, r.urn);
                }
            }
            for (const rule of securityGroupRulesOf(r.type, r.props)) {
                if (rule.description === undefined || rule.description.trim() === "") {
                    reportViolation(`${describe(r)} ${rule.where}has no description. Set description to why the rule exists.`, r.urn);
                }
                const world = rule.cidrs.filter(isWorldCidr);
                if (rule.direction === "egress" && rule.protocol === "-1" && world.length > 0) {
                    reportViolation(
                        `${describe(r)} ${rule.where}sends all traffic to the internet (${world.join(", ")}). Allow only the protocols, ports and destinations the group needs (for example TCP 443).`,
                        r.urn,
                    );
                }
            }
        }
    },
};

/** NET-03 (advisory in every stack). */
export const documentSecurityGroupRules: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["NET-03", "CKV_AWS_382", "CKV_AWS_23", "AVD-AWS-0099", "AVD-AWS-0124"],
    partial: ["AVD-AWS-0104"],
};
