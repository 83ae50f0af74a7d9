/**
 * Checks a plan's security groups and NetworkPolicies against the stack's declared network flows
 * (components/flows.ts): (a) every flow is allowed by both layers, (b) every rule is justified by a
 * flow. AWS semantics: rules are stateful; a rule referencing a group matches that group's members;
 * `ipProtocol: "-1"` is all traffic; the VPC resolver, instance metadata and Time Sync are not filtered.
 * Kubernetes semantics: a pod is isolated in a direction when a policy selecting it names that policy
 * type; then the union of the selecting policies' rules applies.
 */
import { contains, overlaps, parseCidr, type Cidr } from "../config/cidr";
import {
    NOT_FILTERED_BY_SECURITY_GROUPS,
    cidrsOf,
    groupOf,
    networkAddress,
    type FlowEnd,
    type FlowNetwork,
    type NetworkFlow,
    type PodSelection,
    type SecurityGroupRole,
} from "../components/flows";
import type { Plan, RecordedResource } from "./harness";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LEGACY_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** Which recorded security group plays which role, by logical name (the first match wins). */
export const GROUP_RESOURCES: readonly (readonly [RegExp, SecurityGroupRole])[] = [
    [/^eks-security-groups-cluster$/, "cluster"],
    [/^eks-security-groups-node$/, "node"],
    [/-endpoints-sg$/, "endpoints"],
    [/-postgres-proxy-security-group-sg$/, "proxy"],
    [/-postgres-security-group-sg$/, "database"],
    [/-redis-security-group-sg$/, "cache"],
];

/** Groups whose rules a controller writes at runtime, with what the plan must show for it. */
const RUNTIME_GROUPS: ReadonlySet<SecurityGroupRole> = new Set(["loadBalancer"]);

type Protocol = "tcp" | "udp" | "all";

/** One security-group rule of the plan, its ends resolved to roles or CIDRs. */
export interface SgRule {
    readonly name: string;
    readonly group: SecurityGroupRole;
    readonly direction: "ingress" | "egress";
    readonly protocol: Protocol | string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly peer: { readonly group: SecurityGroupRole } | { readonly cidr: string } | { readonly other: string };
}

/** One allowance of a NetworkPolicy: one peer and one port of one rule. */
export interface PolicyAtom {
    readonly policy: string;
    readonly namespace: string;
    readonly podSelector: Readonly<Record<string, string>>;
    readonly direction: "ingress" | "egress";
    readonly peer: PolicyPeer;
    readonly protocol?: Protocol;
    readonly port?: number;
}

type PolicyPeer =
    { readonly ipBlock: string; readonly except: readonly string[] } | { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };

interface Policy {
    readonly name: string;
    readonly namespace: string;
    readonly podSelector: Readonly<Record<string, string>>;
    readonly types: readonly string[];
    readonly atoms: PolicyAtom[];
}

/** What the check found. */
export interface FlowReport {
    /** One row per flow, with how each layer treats it. */
    readonly rows: { flow: NetworkFlow; sgEgress: string; sgIngress: string; npEgress: string; npIngress: string; allowed: boolean }[];
    /** Security-group rules no flow explains. */
    readonly unexplainedRules: SgRule[];
    /** NetworkPolicy allowances no flow explains. */
    readonly unexplainedPolicies: PolicyAtom[];
    /** Resources the model cannot read (inline rules, unknown groups, named ports...). */
    readonly problems: string[];
}

function cidr(text: string): Cidr {
    return parseCidr(networkAddress(text)) as Cidr;
}

function within(inner: string, outer: string): boolean {
    return contains(cidr(outer), cidr(inner));
}

function subset(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
    return Object.entries(a).every(([k, v]) => b[k] === v);
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
    return subset(a, b) && subset(b, a);
}

function labelsOf(pods: PodSelection): Readonly<Record<string, string>> {
    return pods.labels ?? {};
}

function traffic(protocol: string, from?: number, to?: number): string {
    return protocol === "all" ? "all" : `${protocol}/${from === to ? String(from) : `${from}-${to}`}`;
}

/** A readable name of a flow end. */
export function describeEnd(end: FlowEnd): string {
    if ("group" in end) return `sg:${end.group}`;
    if ("addresses" in end) return end.addresses;
    if ("cidr" in end) return end.cidr;
    const labels = Object.entries(end.pods.labels ?? {}).map(([k, v]) => `${k.replace(/^app\.kubernetes\.io\//, "")}=${v}`);
    return `${end.pods.namespace}/${labels.length === 0 ? "*" : labels.join(",")}`;
}

/** A readable line of a security-group rule. */
export function describeRule(r: SgRule): string {
    const peer = "group" in r.peer ? `sg:${r.peer.group}` : "cidr" in r.peer ? r.peer.cidr : r.peer.other;
    return `${r.name}: ${r.group} ${r.direction} ${traffic(r.protocol, r.fromPort, r.toPort)} ${r.direction === "ingress" ? "from" : "to"} ${peer}`;
}

/** A readable line of a policy allowance. */
export function describeAtom(a: PolicyAtom): string {
    const peer = "ipBlock" in a.peer ? a.peer.ipBlock : `${a.peer.namespace}/${JSON.stringify(a.peer.podLabels)}`;
    return `${a.namespace}/${a.policy} ${a.direction} ${a.protocol === undefined ? "all" : `${a.protocol}/${a.port}`} ${a.direction === "ingress" ? "from" : "to"} ${peer}`;
}

function readGroups(plan: Plan, problems: string[]): Map<unknown, SecurityGroupRole> {
    const roles = new Map<unknown, SecurityGroupRole>();
    for (const group of plan.ofType(SECURITY_GROUP)) {
        const role = GROUP_RESOURCES.find(([pattern]) => pattern.test(group.name))?.[1];
        if (role === undefined) {
            problems.push(`security group ${group.name} has no role in the flow model (GROUP_RESOURCES in test/flowCheck.ts)`);
            continue;
        }
        if ([group.inputs.ingress, group.inputs.egress].some((inline) => Array.isArray(inline) && inline.length > 0)) {
            problems.push(`security group ${group.name} has inline rules; use aws.vpc.SecurityGroupIngressRule/EgressRule`);
        }
        roles.set(group.id, role);
    }
    for (const group of plan.ofType(DEFAULT_SECURITY_GROUP)) {
        if ([group.inputs.ingress, group.inputs.egress].some((inline) => !Array.isArray(inline) || inline.length > 0)) {
            problems.push(`the VPC's default security group ${group.name} must have no rules (nothing should use it)`);
        }
    }
    for (const legacy of plan.ofType(LEGACY_RULE)) {
        problems.push(`${legacy.name} is an aws.ec2.SecurityGroupRule; use aws.vpc.SecurityGroupIngressRule/EgressRule`);
    }
    return roles;
}

function readRules(plan: Plan, roles: Map<unknown, SecurityGroupRole>, problems: string[]): SgRule[] {
    const rules: SgRule[] = [];
    const read = (r: RecordedResource, direction: "ingress" | "egress") => {
        const group = roles.get(r.inputs.securityGroupId);
        if (group === undefined) {
            problems.push(`${r.name} is on a group outside the flow model (${String(r.inputs.securityGroupId)})`);
            return;
        }
        const i = r.inputs;
        const referenced = i.referencedSecurityGroupId === undefined ? undefined : roles.get(i.referencedSecurityGroupId);
        const peer =
            i.referencedSecurityGroupId !== undefined
                ? referenced === undefined
                    ? { other: `unknown group ${String(i.referencedSecurityGroupId)}` }
                    : { group: referenced }
                : typeof i.cidrIpv4 === "string"
                  ? { cidr: i.cidrIpv4 }
                  : { other: `${i.cidrIpv6 !== undefined ? `IPv6 ${String(i.cidrIpv6)}` : `prefix list ${String(i.prefixListId)}`}` };
        const protocol = i.ipProtocol === "-1" ? "all" : i.ipProtocol === "6" ? "tcp" : i.ipProtocol === "17" ? "udp" : String(i.ipProtocol);
        rules.push({ name: r.name, group, direction, protocol, fromPort: i.fromPort as number | undefined, toPort: i.toPort as number | undefined, peer });
    };
    plan.ofType(INGRESS).forEach((r) => read(r, "ingress"));
    plan.ofType(EGRESS).forEach((r) => read(r, "egress"));
    return rules;
}

function readPolicies(plan: Plan, problems: string[]): Policy[] {
    type Selector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
    const labels = (selector: Selector, where: string): Record<string, string> => {
        if (selector?.matchExpressions !== undefined && selector.matchExpressions.length > 0) {
            problems.push(`${where}: matchExpressions are outside the flow model`);
        }
        return selector?.matchLabels ?? {};
    };
    return plan.ofType(NETWORK_POLICY).map((resource) => {
        const inputs = plan.inputsOf(resource) as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
        const { name, namespace } = inputs.metadata;
        const spec = inputs.spec as {
            podSelector: Selector;
            policyTypes?: string[];
            ingress?: { from?: Record<string, unknown>[]; ports?: { protocol?: string; port?: unknown }[] }[];
            egress?: { to?: Record<string, unknown>[]; ports?: { protocol?: string; port?: unknown }[] }[];
        };
        const podSelector = labels(spec.podSelector, `${namespace}/${name}`);
        const types = spec.policyTypes ?? ["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])];
        const atoms: PolicyAtom[] = [];
        const expand = (
            direction: "ingress" | "egress",
            peers: Record<string, unknown>[] | undefined,
            ports: { protocol?: string; port?: unknown }[] | undefined,
        ) => {
            const resolvedPeers: PolicyPeer[] = (peers ?? [{ ipBlock: { cidr: "0.0.0.0/0" } }]).map((p) => {
                const block = p.ipBlock as { cidr: string; except?: string[] } | undefined;
                if (block !== undefined) {
                    return { ipBlock: block.cidr, except: block.except ?? [] };
                }
                const nsLabels = p.namespaceSelector === undefined ? undefined : labels(p.namespaceSelector as Selector, `${namespace}/${name}`);
                const peerNamespace = nsLabels === undefined ? namespace : nsLabels["kubernetes.io/metadata.name"];
                if (peerNamespace === undefined) {
                    problems.push(`${namespace}/${name}: a namespaceSelector without kubernetes.io/metadata.name is outside the flow model`);
                }
                return { namespace: peerNamespace ?? "?", podLabels: labels(p.podSelector as Selector, `${namespace}/${name}`) };
            });
            const resolvedPorts = (ports ?? [{}]).map((p) => {
                if (p.port !== undefined && typeof p.port !== "number") {
                    problems.push(`${namespace}/${name}: named port ${String(p.port)} is outside the flow model`);
                }
                return p.port === undefined ? {} : { protocol: (p.protocol ?? "TCP").toLowerCase() as Protocol, port: p.port as number };
            });
            for (const peer of resolvedPeers) {
                for (const port of resolvedPorts) {
                    atoms.push({ policy: name, namespace, podSelector, direction, peer, ...port });
                }
            }
        };
        (spec.ingress ?? []).forEach((rule) => expand("ingress", rule.from, rule.ports));
        (spec.egress ?? []).forEach((rule) => expand("egress", rule.to, rule.ports));
        return { name, namespace, podSelector, types, atoms };
    });
}

/** Whether a rule's traffic carries the flow's. */
function ruleCarries(r: SgRule, f: NetworkFlow): boolean {
    if (r.protocol === "all") return true;
    return f.protocol !== "all" && r.protocol === f.protocol && f.port !== undefined && (r.fromPort ?? -1) <= f.port && f.port <= (r.toPort ?? -1);
}

/** Whether the flow explains every port the rule opens (no broader rule than a flow). */
function flowExplainsTraffic(f: NetworkFlow, r: SgRule): boolean {
    if (f.protocol === "all") return true;
    return r.protocol === f.protocol && r.fromPort === f.port && r.toPort === f.port;
}

/** Whether a rule's peer covers a flow end: the same group, or a CIDR holding every address of the end. */
function peerCovers(r: SgRule, end: FlowEnd, network: FlowNetwork): boolean {
    if ("group" in r.peer) return groupOf(end) === r.peer.group;
    if ("cidr" in r.peer) {
        const peerCidr = r.peer.cidr;
        return cidrsOf(end, network).every((c) => within(c, peerCidr));
    }
    return false;
}

/** Whether a flow end explains a rule's peer: the same group, or a CIDR no broader than the end's addresses. */
function endExplainsPeer(end: FlowEnd, r: SgRule, network: FlowNetwork): boolean {
    if ("group" in r.peer) return groupOf(end) === r.peer.group;
    if ("cidr" in r.peer) {
        const peerCidr = r.peer.cidr;
        return cidrsOf(end, network).some((c) => within(peerCidr, c));
    }
    return false;
}

function unfiltered(f: NetworkFlow): boolean {
    return "addresses" in f.to && NOT_FILTERED_BY_SECURITY_GROUPS.includes(f.to.addresses);
}

function sgSide(rules: SgRule[], f: NetworkFlow, direction: "ingress" | "egress", network: FlowNetwork): string {
    const self = direction === "egress" ? f.from : f.to;
    const other = direction === "egress" ? f.to : f.from;
    const role = groupOf(self);
    if (unfiltered(f)) return "not filtered";
    if (role === undefined) return "outside";
    if (RUNTIME_GROUPS.has(role) || RUNTIME_GROUPS.has(groupOf(other) as SecurityGroupRole)) return "by the LB controller";
    const matches = rules.filter((r) => r.group === role && r.direction === direction && ruleCarries(r, f) && peerCovers(r, other, network));
    // Name the most specific rule: one that references a group before one with a CIDR.
    return (matches.find((r) => "group" in r.peer) ?? matches[0])?.name ?? "MISSING";
}

function selects(selector: Readonly<Record<string, string>>, namespace: string, pods: PodSelection): boolean {
    return pods.namespace === namespace && subset(selector, labelsOf(pods));
}

function peerAllows(peer: PolicyPeer, end: FlowEnd, network: FlowNetwork): boolean {
    if ("ipBlock" in peer) {
        const block = peer.ipBlock;
        return cidrsOf(end, network).every((c) => within(c, block) && !peer.except.some((e) => overlaps(cidr(e), cidr(c))));
    }
    return "pods" in end && end.pods.namespace === peer.namespace && subset(peer.podLabels, labelsOf(end.pods));
}

function portAllows(atom: PolicyAtom, f: NetworkFlow): boolean {
    return atom.port === undefined || (f.protocol === atom.protocol && f.port === atom.port);
}

function npSide(policies: Policy[], f: NetworkFlow, direction: "ingress" | "egress", network: FlowNetwork): string {
    const self = direction === "egress" ? f.from : f.to;
    const other = direction === "egress" ? f.to : f.from;
    if (!("pods" in self)) return "-";
    const type = direction === "egress" ? "Egress" : "Ingress";
    const selecting = policies.filter((p) => p.types.includes(type) && selects(p.podSelector, p.namespace, self.pods));
    if (selecting.length === 0) return "not isolated";
    const atoms = selecting.flatMap((p) => p.atoms).filter((a) => a.direction === direction && portAllows(a, f));
    if ("pods" in other) {
        return atoms.find((a) => peerAllows(a.peer, other, network))?.policy ?? "MISSING";
    }
    // Addresses may be spread over several ipBlocks (one per subnet): each must be inside one of them.
    const used = cidrsOf(other, network).map((c) => atoms.find((a) => peerAllows(a.peer, { cidr: c }, network))?.policy);
    return used.some((policy) => policy === undefined) ? "MISSING" : [...new Set(used)].join(",");
}

function flowExplainsAtom(f: NetworkFlow, a: PolicyAtom, network: FlowNetwork): boolean {
    const self = a.direction === "egress" ? f.from : f.to;
    const other = a.direction === "egress" ? f.to : f.from;
    if (!("pods" in self) || self.pods.namespace !== a.namespace || !sameLabels(a.podSelector, labelsOf(self.pods))) return false;
    const portOk = f.protocol === "all" || (a.port !== undefined && a.protocol === f.protocol && a.port === f.port);
    if (!portOk) return false;
    if ("ipBlock" in a.peer) {
        const block = a.peer.ipBlock;
        return !("pods" in other) && cidrsOf(other, network).some((c) => within(block, c));
    }
    return "pods" in other && other.pods.namespace === a.peer.namespace && sameLabels(a.peer.podLabels, labelsOf(other.pods));
}

/** Runs both checks of a plan against the stack's flows. */
export function checkFlows(plan: Plan, flows: readonly NetworkFlow[], network: FlowNetwork): FlowReport {
    const problems: string[] = [];
    const roles = readGroups(plan, problems);
    const rules = readRules(plan, roles, problems);
    const policies = readPolicies(plan, problems);
    const rows = flows.map((flow) => {
        const row = {
            flow,
            sgEgress: sgSide(rules, flow, "egress", network),
            sgIngress: sgSide(rules, flow, "ingress", network),
            npEgress: npSide(policies, flow, "egress", network),
            npIngress: npSide(policies, flow, "ingress", network),
        };
        return { ...row, allowed: ![row.sgEgress, row.sgIngress, row.npEgress, row.npIngress].includes("MISSING") };
    });
    const unexplainedRules = rules.filter(
        (r) =>
            !flows.some((f) => {
                const [self, other] = r.direction === "egress" ? [f.from, f.to] : [f.to, f.from];
                return (
                    groupOf(self) === r.group && !(r.direction === "egress" && unfiltered(f)) && flowExplainsTraffic(f, r) && endExplainsPeer(other, r, network)
                );
            }),
    );
    const unexplainedPolicies = policies.flatMap((p) => p.atoms).filter((a) => !flows.some((f) => flowExplainsAtom(f, a, network)));
    return { rows, unexplainedRules, unexplainedPolicies, problems };
}

/** The report as a table (flows not allowed first), then the unexplained rules and policy allowances. */
export function formatReport(report: FlowReport): string {
    const header = ["", "flow", "component", "from", "to", "traffic", "SG egress", "SG ingress", "NP egress", "NP ingress"];
    const body = [...report.rows]
        .sort((a, b) => Number(a.allowed) - Number(b.allowed))
        .map((r) => [
            r.allowed ? "ok" : "NO",
            r.flow.name,
            r.flow.component,
            describeEnd(r.flow.from),
            describeEnd(r.flow.to),
            traffic(r.flow.protocol, r.flow.port, r.flow.port),
            r.sgEgress,
            r.sgIngress,
            r.npEgress,
            r.npIngress,
        ]);
    const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
    const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ");
    return [
        line(header),
        ...body.map(line),
        "",
        `security-group rules no flow explains (${report.unexplainedRules.length}):`,
        ...report.unexplainedRules.map((r) => `  ${describeRule(r)}`),
        `NetworkPolicy allowances no flow explains (${report.unexplainedPolicies.length}):`,
        ...report.unexplainedPolicies.map((a) => `  ${describeAtom(a)}`),
        `outside the model (${report.problems.length}):`,
        ...report.problems.map((p) => `  ${p}`),
    ].join("\n");
}
