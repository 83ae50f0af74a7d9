import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { RULE_TYPES, securityGroupRulesOf, trafficOf } from "../../lib/securityGroups";
import { asArray, asNumber, describe, isWorldCidr } from "../../lib/values";

interface Settings {
    allowedWorldEgressPorts?: unknown;
}

/** What the nodes really need of the internet: HTTPS to the AWS APIs (where no endpoint serves), image registries and ACME. */
const DEFAULT_PORTS = [443];

const policy: StackValidationPolicy = {
    name: "platform-network-world-egress",
    description:
        "Advisory: security groups send traffic to the whole internet (0.0.0.0/0, ::/0) only on the ports in allowedWorldEgressPorts (default 443: AWS APIs without an endpoint, image registries, ACME), never on every port or protocol; anything else goes to a peer group or a CIDR of the VPC. Egress to the world cannot be scoped by host in a security group, so the port list is the bound.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            allowedWorldEgressPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                default: DEFAULT_PORTS,
                description: "TCP ports security groups may send to 0.0.0.0/0 on (each needs a reason in the group's rule description).",
            },
        },
    },
    validateStack: checkEachResource(RULE_TYPES, (args, reportViolation) => {
        const allowed = asArray(args.getConfig<Settings>().allowedWorldEgressPorts ?? DEFAULT_PORTS)
            .map(asNumber)
            .filter((p): p is number => p !== undefined);
        for (const rule of securityGroupRulesOf(args.type, args.props)) {
            if (rule.direction !== "egress" || !rule.cidrs.some(isWorldCidr)) {
                continue;
            }
            const single = rule.protocol === "tcp" && rule.fromPort === rule.toPort && allowed.includes(rule.fromPort);
            if (!single) {
                reportViolation(
                    `${describe(args)} ${rule.where}sends ${trafficOf(rule)} to the whole internet. Narrow it to a peer group or a VPC CIDR, or to one of the ports ${allowed.length > 0 ? allowed.join(", ") : "(none)"} (allowedWorldEgressPorts).`,
                );
            }
        }
    }),
};

/** World egress only on reviewed ports (advisory). */
export const limitWorldEgress: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["NET-09"],
    partial: ["AVD-AWS-0104"],
};
