/**
 * Security-group rules in one shape, whichever of the four ways they are declared: inline
 * `ingress`/`egress` on `aws.ec2.SecurityGroup`, `aws.ec2.SecurityGroupRule`, and
 * `aws.vpc.SecurityGroupIngressRule` / `SecurityGroupEgressRule`.
 */
import { NET } from "./types";
import { asNumber, asString, asStrings, peek, prop, records, UNKNOWN } from "./values";

/** One rule, normalised. */
export interface SecurityGroupRule {
    /** Traffic into or out of the group. */
    readonly direction: "ingress" | "egress";
    /** `-1` (every protocol), `tcp`, `udp`, `icmp`, ... */
    readonly protocol: string;
    /** First port (every port for protocol -1 or when unset). */
    readonly fromPort: number;
    /** Last port. */
    readonly toPort: number;
    /** IPv4 and IPv6 CIDR sources or destinations. */
    readonly cidrs: readonly string[];
    /** True when the peer is a security group (or the group itself, or a prefix list). */
    readonly hasGroupPeer: boolean;
    /** The peer group ids as written (`self` for the group itself); UNKNOWN when unknown during preview. */
    readonly peers: readonly string[] | typeof UNKNOWN;
    /** The rule's description (undefined when unset; unknown counts as set). */
    readonly description: string | undefined;
    /** How a message names the rule within its resource (`ingress[1]` for inline rules, else empty). */
    readonly where: string;
}

const PROTOCOL_NAMES: Record<string, string> = { "-1": "-1", all: "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function protocolOf(value: unknown): string {
    const text = (typeof value === "number" ? String(value) : (asString(value) ?? "-1")).toLowerCase();
    return PROTOCOL_NAMES[text] ?? text;
}

function portRange(protocol: string, from: unknown, to: unknown): [number, number] {
    if (protocol === "-1") {
        return [0, 65535];
    }
    const first = asNumber(from);
    const last = asNumber(to);
    // Ports -1 or 0..0 with TCP/UDP mean "all" in the EC2 API's older conventions.
    if (first === undefined || last === undefined || first < 0 || (first === 0 && last === 0)) {
        return [0, 65535];
    }
    return [first, last];
}

function peersOf(...values: unknown[]): readonly string[] | typeof UNKNOWN {
    return values.includes(UNKNOWN) ? UNKNOWN : values.flatMap((v) => (v === true ? ["self"] : asStrings(v)));
}

function descriptionOf(value: unknown): string | undefined {
    return value === UNKNOWN ? "(unknown)" : asString(value);
}

function inlineRules(props: Record<string, unknown>, direction: "ingress" | "egress"): SecurityGroupRule[] {
    return records(prop(props, direction)).map((r, i) => {
        const protocol = protocolOf(prop(r, "protocol"));
        const [fromPort, toPort] = portRange(protocol, prop(r, "fromPort"), prop(r, "toPort"));
        return {
            direction,
            protocol,
            fromPort,
            toPort,
            cidrs: [...asStrings(prop(r, "cidrBlocks")), ...asStrings(prop(r, "ipv6CidrBlocks"))],
            hasGroupPeer: peek(r, "securityGroups") !== undefined || peek(r, "self") === true || peek(r, "prefixListIds") !== undefined,
            peers: peersOf(peek(r, "securityGroups"), peek(r, "self")),
            description: descriptionOf(peek(r, "description")),
            where: `${direction}[${i}] `,
        };
    });
}

/** The rules a resource declares (none for other types). Reading an unknown CIDR or port stops the caller, as it should. */
export function securityGroupRulesOf(type: string, props: Record<string, unknown>): SecurityGroupRule[] {
    switch (type) {
        case NET.securityGroup:
            return [...inlineRules(props, "ingress"), ...inlineRules(props, "egress")];
        case NET.securityGroupRule: {
            const protocol = protocolOf(prop(props, "protocol"));
            const [fromPort, toPort] = portRange(protocol, prop(props, "fromPort"), prop(props, "toPort"));
            return [
                {
                    direction: asString(prop(props, "type")) === "egress" ? "egress" : "ingress",
                    protocol,
                    fromPort,
                    toPort,
                    cidrs: [...asStrings(prop(props, "cidrBlocks")), ...asStrings(prop(props, "ipv6CidrBlocks"))],
                    hasGroupPeer:
                        peek(props, "sourceSecurityGroupId") !== undefined || peek(props, "self") === true || peek(props, "prefixListIds") !== undefined,
                    peers: peersOf(peek(props, "sourceSecurityGroupId"), peek(props, "self")),
                    description: descriptionOf(peek(props, "description")),
                    where: "",
                },
            ];
        }
        case NET.ingressRule:
        case NET.egressRule: {
            const protocol = protocolOf(prop(props, "ipProtocol"));
            const [fromPort, toPort] = portRange(protocol, prop(props, "fromPort"), prop(props, "toPort"));
            return [
                {
                    direction: type === NET.ingressRule ? "ingress" : "egress",
                    protocol,
                    fromPort,
                    toPort,
                    cidrs: [...asStrings(prop(props, "cidrIpv4")), ...asStrings(prop(props, "cidrIpv6"))],
                    hasGroupPeer: peek(props, "referencedSecurityGroupId") !== undefined || peek(props, "prefixListId") !== undefined,
                    peers: peersOf(peek(props, "referencedSecurityGroupId")),
                    description: descriptionOf(peek(props, "description")),
                    where: "",
                },
            ];
        }
        default:
            return [];
    }
}

/** True when the rule lets traffic to `port` through (TCP or UDP, or every protocol). */
export function coversPort(rule: SecurityGroupRule, port: number): boolean {
    return (rule.protocol === "-1" || rule.protocol === "tcp" || rule.protocol === "udp") && rule.fromPort <= port && port <= rule.toPort;
}

/** The rule's traffic in words: `all traffic`, `TCP port 443`, `TCP ports 1000-2000`. */
export function trafficOf(rule: SecurityGroupRule): string {
    if (rule.protocol === "-1") {
        return "all traffic";
    }
    const proto = rule.protocol.toUpperCase();
    if (rule.fromPort === 0 && rule.toPort === 65535) {
        return `every ${proto} port`;
    }
    return rule.fromPort === rule.toPort ? `${proto} port ${rule.fromPort}` : `${proto} ports ${rule.fromPort}-${rule.toPort}`;
}

/** The security-group type tokens that carry rules. */
export const RULE_TYPES: readonly string[] = [NET.securityGroup, NET.securityGroupRule, NET.ingressRule, NET.egressRule];
