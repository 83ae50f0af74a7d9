import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { RULE_TYPES, coversPort, securityGroupRulesOf, trafficOf } from "../../lib/securityGroups";
import { asArray, asNumber, asString, describe, isWorldCidr, tagsOf } from "../../lib/values";

const TYPES = new Set(RULE_TYPES);
const ADMIN_PORTS: readonly [number, string][] = [
    [22, "SSH (22)"],
    [3389, "RDP (3389)"],
];

interface Settings {
    internetAlbTag?: string;
    internetAlbPorts?: number[];
}

const policy: ResourceValidationPolicy = {
    name: "platform-network-sg-public-ingress",
    description:
        "Security groups (inline rules, SecurityGroupRule, SecurityGroupIngressRule) accept no traffic from 0.0.0.0/0 or ::/0: never SSH or RDP, and other ports only on the internet-facing ALB's group (tagged purpose=internet-alb), on 443 and 80. Anything else reachable from the internet is attack surface the platform does not need.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            internetAlbTag: {
                type: "string",
                default: "purpose=internet-alb",
                description: "Tag (key=value) that marks the internet-facing ALB's security group or its rules, which may accept 443 and 80 from anywhere.",
            },
            internetAlbPorts: {
                type: "array",
                items: { type: "integer" },
                default: [443, 80],
                description: "Ports the internet-facing ALB's group may open to the internet.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const [tagKey, tagValue] = (asString(settings.internetAlbTag) ?? "purpose=internet-alb").split("=", 2);
        const publicPorts = asArray(settings.internetAlbPorts).flatMap((p) => asNumber(p) ?? []);
        let exempt: boolean | undefined;
        for (const rule of securityGroupRulesOf(args.type, args.props)) {
            const world = rule.cidrs.filter(isWorldCidr);
            if (rule.direction !== "ingress" || world.length === 0) {
                continue;
            }
            const from = `from the internet (${world.join(", ")})`;
            const admin = ADMIN_PORTS.filter(([port]) => coversPort(rule, port)).map(([, name]) => name);
            if (admin.length > 0) {
                reportViolation(
                    `${describe(args)} ${rule.where}opens ${admin.join(" and ")} ${from}. Remove the rule and reach instances through SSM Session Manager, or allow only known CIDRs.`,
                );
                continue;
            }
            exempt ??= tagsOf(args.props)[tagKey] === tagValue;
            const onPublicPorts = rule.protocol === "tcp" && publicPorts.some((p) => p === rule.fromPort) && rule.fromPort === rule.toPort;
            if (!(exempt && onPublicPorts)) {
                reportViolation(
                    `${describe(args)} ${rule.where}allows ${trafficOf(rule)} ${from}. Allow only known CIDRs or security groups; only the internet-facing ALB's group (tagged ${tagKey}=${tagValue}) may accept ports ${publicPorts.join(" and ")} from anywhere.`,
                );
            }
        }
    },
};

/** NET-01 / NET-02, on all four security-group rule shapes. */
export const disallowPublicIngress: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["NET-01", "NET-02", "EC2.13", "EC2.14", "EC2.18", "EC2.19", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"],
};
