/**
 * The network flow model: every connection a component needs, declared as data next to the code that
 * creates the component, so that a test can prove the security groups and NetworkPolicies of a plan
 * allow each declared flow and nothing else (test/components/flows.spec.ts). Pure data and functions,
 * no Pulumi: declaring flows costs nothing at runtime.
 *
 * A flow names its two ends in terms both enforcement layers understand:
 * - a security group role (the groups the program creates, by what they protect);
 * - pods of a namespace (in security-group terms the node group: the VPC CNI gives pods the node's groups);
 * - a named address set (the VPC, a subnet tier, the internet, the link-local services) or a literal CIDR.
 */
import { formatCidr, parseCidr, type Cidr } from "../config/cidr";

/**
 * The security groups of the platform, by what they protect. `loadBalancer` stands for the groups the AWS
 * Load Balancer Controller creates for its load balancers at runtime (not in the plan): it also writes the
 * matching ingress rule on the node group, the group tagged `kubernetes.io/cluster/<cluster>`.
 */
export type SecurityGroupRole = "cluster" | "node" | "endpoints" | "database" | "proxy" | "cache" | "loadBalancer";

/** Address sets a flow can name; resolved per stack by {@link addressesOf}. */
export type NamedAddresses =
    | "internet"
    | "vpc"
    | "publicSubnets"
    | "privateSubnets"
    | "databaseSubnets"
    /** The Amazon DNS server: VPC base + 2, and 169.254.169.253. */
    | "vpcResolver"
    /** The EC2 instance metadata service, 169.254.169.254. */
    | "instanceMetadata"
    /** The Amazon Time Sync Service, 169.254.169.123. */
    | "timeSync";

/** Pods selected by labels in one namespace (no labels: every pod of the namespace). */
export interface PodSelection {
    /** The namespace. */
    readonly namespace: string;
    /** Labels every selected pod carries; a NetworkPolicy selects them when its matchLabels are a subset. */
    readonly labels?: Readonly<Record<string, string>>;
}

/** One end of a flow. */
export type FlowEnd =
    { readonly group: SecurityGroupRole } | { readonly pods: PodSelection } | { readonly addresses: NamedAddresses } | { readonly cidr: string };

/** Transport of a flow; `all` is every protocol and port (security groups' `ipProtocol: "-1"`). */
export type FlowProtocol = "tcp" | "udp" | "all";

/** A connection a component needs. Connections are stateful in both layers: replies need no flow of their own. */
export interface NetworkFlow {
    /** Short, unique name (kebab case), shown in the test's tables. */
    readonly name: string;
    /** The component that needs it (the module that declares it). */
    readonly component: string;
    /** Who opens the connection. */
    readonly from: FlowEnd;
    /** Who accepts it. */
    readonly to: FlowEnd;
    /** Transport. */
    readonly protocol: FlowProtocol;
    /** Destination port; absent with protocol `all`. */
    readonly port?: number;
    /** Why the component needs it. */
    readonly why: string;
}

/**
 * Addresses that security groups do not filter (traffic to the Amazon DNS server, the instance metadata
 * service and the Amazon Time Sync Service): a flow to them needs no security-group rule.
 */
export const NOT_FILTERED_BY_SECURITY_GROUPS: readonly NamedAddresses[] = ["vpcResolver", "instanceMetadata", "timeSync"];

/** Where the members of each group have their addresses (what a NetworkPolicy ipBlock or a CIDR rule sees). */
export const GROUP_ADDRESSES: Readonly<Record<SecurityGroupRole, NamedAddresses>> = {
    cluster: "privateSubnets", // the control plane's cross-account network interfaces
    node: "privateSubnets",
    endpoints: "privateSubnets",
    database: "databaseSubnets",
    proxy: "databaseSubnets",
    cache: "databaseSubnets",
    loadBalancer: "publicSubnets",
};

/** The security group that enforces a flow end: pods use the node group (VPC CNI). Undefined for addresses. */
export function groupOf(end: FlowEnd): SecurityGroupRole | undefined {
    return "group" in end ? end.group : "pods" in end ? "node" : undefined;
}

/** The network a stack's address sets resolve against. */
export interface FlowNetwork {
    /** VPC CIDR. */
    readonly vpcCidr: string;
    /** Subnet CIDRs per tier. */
    readonly subnets: { readonly public: readonly string[]; readonly private: readonly string[]; readonly database: readonly string[] };
}

/** The Amazon DNS server's IP address in a VPC: the VPC's base address plus two (the Route 53 Resolver). */
export function vpcResolverIp(vpcCidr: string): string {
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") {
        throw new Error(`VPC CIDR ${vpcCidr} ${vpc}`);
    }
    return formatCidr({ base: vpc.base + 2, prefix: 32 }).replace(/\/32$/, "");
}

/** The Amazon DNS server's address in a VPC as a /32: the VPC's base address plus two. */
export function vpcResolverAddress(vpcCidr: string): string {
    return `${vpcResolverIp(vpcCidr)}/32`;
}

/** The CIDRs of a named address set in a stack. */
export function addressesOf(name: NamedAddresses, network: FlowNetwork): string[] {
    switch (name) {
        case "internet":
            return ["0.0.0.0/0"];
        case "vpc":
            return [network.vpcCidr];
        case "publicSubnets":
            return [...network.subnets.public];
        case "privateSubnets":
            return [...network.subnets.private];
        case "databaseSubnets":
            return [...network.subnets.database];
        case "vpcResolver":
            return [vpcResolverAddress(network.vpcCidr), "169.254.169.253/32"];
        case "instanceMetadata":
            return ["169.254.169.254/32"];
        case "timeSync":
            return ["169.254.169.123/32"];
    }
}

/** The CIDRs of a flow end (pods and groups: the subnets their members live in). */
export function cidrsOf(end: FlowEnd, network: FlowNetwork): string[] {
    if ("cidr" in end) {
        return [end.cidr];
    }
    if ("addresses" in end) {
        return addressesOf(end.addresses, network);
    }
    return addressesOf(GROUP_ADDRESSES[groupOf(end) as SecurityGroupRole], network);
}

/** `cidr` as a network address (host bits cleared), as security-group rules require. */
export function networkAddress(cidr: string): string {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (m === null) {
        throw new Error(`${cidr} is not an IPv4 CIDR`);
    }
    const prefix = Number(m[5]);
    const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const network: Cidr = { base: (base & mask) >>> 0, prefix };
    return formatCidr(network);
}

/** A TCP flow to one port. */
export function tcp(name: string, component: string, from: FlowEnd, to: FlowEnd, port: number, why: string): NetworkFlow {
    return { name, component, from, to, protocol: "tcp", port, why };
}

/** DNS over UDP and TCP 53 from `from` to `to` (two flows). */
export function dnsFlows(name: string, component: string, from: FlowEnd, to: FlowEnd, why: string): NetworkFlow[] {
    return (["udp", "tcp"] as const).map((protocol) => ({ name: `${name}-${protocol}`, component, from, to, protocol, port: 53, why }));
}

/** Pods of a namespace, optionally narrowed by labels. */
export function podsOf(namespace: string, labels?: Readonly<Record<string, string>>): FlowEnd {
    return { pods: labels === undefined ? { namespace } : { namespace, labels } };
}

/** CoreDNS: the pods `kube-dns` selects in kube-system. */
export const KUBE_DNS: FlowEnd = podsOf("kube-system", { "k8s-app": "kube-dns" });

/**
 * HTTPS to the internet through the NAT gateways: AWS APIs without an interface endpoint (and those with
 * one, whose addresses the same rule covers), S3 through the gateway endpoint, registries, ACME, webhooks.
 */
export function httpsToInternet(name: string, component: string, from: FlowEnd, why: string): NetworkFlow {
    return tcp(name, component, from, { addresses: "internet" }, 443, why);
}
