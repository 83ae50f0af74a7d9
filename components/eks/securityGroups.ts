/**
 * The cluster's two security groups: one on the control plane's network interfaces, one on every node
 * (and so on every pod: the VPC CNI gives pods the node's groups). Between them only the ports the
 * control plane needs are open; the node group is the one the data tier admits. The rules are a table
 * ({@link eksSecurityGroupRules}); the flows they serve are declared in {@link eksFlows}.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dnsFlows, httpsToInternet, networkAddress, tcp, type NetworkFlow } from "../flows";
import { KARPENTER_DISCOVERY_TAG } from "../karpenter/nodeClasses";

/** The groups the rules are on or point at: the two of the cluster, and the interface endpoints' group when there is one. */
export type EksSecurityGroup = "cluster" | "node" | "endpoints";

/**
 * Ports the control plane opens on nodes, each the port a pod serves a webhook or an aggregated API on
 * (the API server connects to the pod's address, not to the Service's port): 9443 (AWS Load Balancer
 * Controller webhook, the chart's default `webhookBindPort`) and 10250 (kubelet: logs, exec, port-forward;
 * also the cert-manager webhook's `securePort`, metrics-server's `containerPort`, the Prometheus
 * Operator's admission webhook `tls.internalPort` and the External Secrets Operator's `webhook.port`,
 * all 10250 by default in the pinned charts).
 */
export const CONTROL_PLANE_TO_NODE_PORTS = [9443, 10250] as const;

/** The internet, for the one rule that needs it (HTTPS egress of nodes). */
const ANYWHERE = "0.0.0.0/0";

/** A destination an application declares in its egress (`platform:apps[].egress`). */
export interface WorkloadEgress {
    /** The application. */
    readonly app: string;
    /** IPv4 CIDR. */
    readonly cidr: string;
    /** TCP port. */
    readonly port: number;
}

/** One rule of one of the groups. */
export interface SecurityGroupRuleSpec {
    /** Suffix of the rule's resource name. */
    readonly name: string;
    /** The group the rule belongs to. */
    readonly group: EksSecurityGroup;
    /** Traffic into or out of `group`. */
    readonly direction: "ingress" | "egress";
    /** A TCP port, or every protocol and port. */
    readonly traffic: { readonly tcp: number } | "all";
    /** The other side: one of the groups or a CIDR. */
    readonly peer: { readonly group: EksSecurityGroup } | { readonly cidr: string };
    /** Why the rule exists (the rule's description). */
    readonly description: string;
}

function ruleName(group: EksSecurityGroup, direction: "ingress" | "egress", traffic: SecurityGroupRuleSpec["traffic"], peer: SecurityGroupRuleSpec["peer"]) {
    const peerName = "group" in peer ? `${peer.group}s` : peer.cidr === ANYWHERE ? "internet" : peer.cidr.replace(/[./]/g, "-");
    return `${group}-${direction === "ingress" ? "in" : "out"}-${traffic === "all" ? "all" : traffic.tcp}-${peerName}`;
}

function rule(spec: Omit<SecurityGroupRuleSpec, "name">): SecurityGroupRuleSpec {
    return { name: ruleName(spec.group, spec.direction, spec.traffic, spec.peer), ...spec };
}

/** What the rule table is made of. */
export interface EksSecurityGroupRulesInput {
    /** The networks (VPN, CI) that reach the private API endpoint. */
    readonly privateAccessCidrs: readonly string[];
    /** Whether the VPC has interface endpoints (their group then admits the nodes). */
    readonly interfaceEndpoints: boolean;
    /** Destinations applications declare besides the data tier. */
    readonly workloadEgress: readonly WorkloadEgress[];
}

/**
 * Every rule of the two groups, plus the interface endpoints' ingress from the nodes. Nothing reaches the
 * nodes from outside the cluster except what the AWS Load Balancer Controller adds for its load balancers.
 * The data tier adds the nodes' egress to its own groups (ServiceSecurityGroup), where both are known.
 */
export function eksSecurityGroupRules(input: EksSecurityGroupRulesInput): SecurityGroupRuleSpec[] {
    // Applications' own destinations, once per CIDR and port; HTTPS is already open to anywhere.
    const workload = new Map<string, { cidr: string; port: number; apps: string[] }>();
    for (const e of input.workloadEgress.filter((w) => w.port !== 443)) {
        const cidr = networkAddress(e.cidr);
        const key = `${cidr}:${e.port}`;
        const entry = workload.get(key) ?? { cidr, port: e.port, apps: [] };
        entry.apps.push(e.app);
        workload.set(key, entry);
    }
    return [
        rule({ group: "cluster", direction: "ingress", traffic: { tcp: 443 }, peer: { group: "node" }, description: "Kubernetes API from kubelets and pods" }),
        ...input.privateAccessCidrs.map((cidr) =>
            rule({ group: "cluster", direction: "ingress", traffic: { tcp: 443 }, peer: { cidr }, description: `Kubernetes API from ${cidr} (operators, CI)` }),
        ),
        ...CONTROL_PLANE_TO_NODE_PORTS.flatMap((port) => [
            rule({
                group: "cluster",
                direction: "egress",
                traffic: { tcp: port },
                peer: { group: "node" },
                description: `Control plane to nodes on ${port} (kubelet, webhooks)`,
            }),
            rule({
                group: "node",
                direction: "ingress",
                traffic: { tcp: port },
                peer: { group: "cluster" },
                description: `Control plane to nodes on ${port} (kubelet, webhooks)`,
            }),
        ]),
        // Pods talk to pods on any port, and CoreDNS serves every node; NetworkPolicies (enforced by the
        // VPC CNI) narrow this per workload.
        rule({ group: "node", direction: "ingress", traffic: "all", peer: { group: "node" }, description: "Node to node and pod to pod" }),
        rule({ group: "node", direction: "egress", traffic: "all", peer: { group: "node" }, description: "Node to node and pod to pod" }),
        rule({
            group: "node",
            direction: "egress",
            traffic: { tcp: 443 },
            peer: { group: "cluster" },
            description: "Kubernetes API through the private endpoint",
        }),
        // ECR, EKS, EC2, STS and ELB APIs and image registries are only reachable over the internet (through
        // the NAT gateways) unless every one has a VPC endpoint: HTTPS only, nothing else leaves the VPC.
        // The same rule reaches the interface endpoints, whose addresses are in the VPC.
        rule({ group: "node", direction: "egress", traffic: { tcp: 443 }, peer: { cidr: ANYWHERE }, description: "AWS APIs and image registries over HTTPS" }),
        ...(input.interfaceEndpoints
            ? [
                  rule({
                      group: "endpoints",
                      direction: "ingress",
                      traffic: { tcp: 443 },
                      peer: { group: "node" },
                      description: "AWS API calls of kubelets and pods",
                  }),
              ]
            : []),
        ...[...workload.values()].map(({ cidr, port, apps }) =>
            rule({
                group: "node",
                direction: "egress",
                traffic: { tcp: port },
                peer: { cidr },
                description: `Egress of ${apps.join(", ")} to ${cidr} on ${port} (platform:apps egress)`,
            }),
        ),
    ];
}

/**
 * The flows the cluster itself needs (the rules above serve them; add-ons declare their own). The
 * operators' networks reach the API on 443.
 */
export function eksFlows(privateAccessCidrs: readonly string[]): NetworkFlow[] {
    const c = "EksSecurityGroups";
    const node = { group: "node" } as const;
    const cluster = { group: "cluster" } as const;
    return [
        tcp(
            "kubelets-and-pods-to-api",
            c,
            node,
            cluster,
            443,
            "kubelets, kube-proxy, the VPC CNI and every controller call the API through the private endpoint",
        ),
        ...privateAccessCidrs.map((cidr) => tcp(`operators-to-api-${cidr}`, c, { cidr }, cluster, 443, "eks.privateAccessCidrs: operators, CI and pulumi")),
        tcp("control-plane-to-kubelets", c, cluster, node, 10250, "the API server's connections to kubelets: logs, exec, port-forward"),
        { name: "pod-to-pod", component: c, from: node, to: node, protocol: "all", why: "pods reach pods and nodes; NetworkPolicies narrow it per namespace" },
        httpsToInternet(
            "nodes-to-registries-and-aws-apis",
            c,
            node,
            "image pulls (ECR, public registries); EC2, EKS, ECR and STS APIs of kubelets and the VPC CNI",
        ),
        tcp(
            "nodes-to-instance-metadata",
            c,
            node,
            { addresses: "instanceMetadata" },
            80,
            "kubelet and the VPC CNI read instance metadata (IMDSv2); pods cannot (hop limit 1)",
        ),
        {
            name: "nodes-to-time-sync",
            component: c,
            from: node,
            to: { addresses: "timeSync" },
            protocol: "udp",
            port: 123,
            why: "the node clock (certificates, tokens)",
        },
        ...dnsFlows("nodes-to-vpc-resolver", c, node, { addresses: "vpcResolver" }, "the hosts resolve registries and AWS APIs with the VPC's DNS server"),
    ];
}

/** Arguments of {@link EksSecurityGroups}. */
export interface EksSecurityGroupsArgs {
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Name of the cluster, for Name tags and the load balancer controller's discovery tag. */
    clusterName: string;
    /** Private networks that reach the private API endpoint. */
    privateAccessCidrs: readonly string[];
    /** The interface endpoints' group, when the VPC has interface endpoints: it gets its ingress from the nodes. */
    endpointSecurityGroupId?: pulumi.Input<string>;
    /** Destinations applications declare besides the data tier (their nodes' egress). */
    workloadEgress: readonly WorkloadEgress[];
}

/** The control-plane and node security groups with their rules. */
export class EksSecurityGroups extends pulumi.ComponentResource {
    /** On the control plane's network interfaces (in addition to the group EKS manages itself). */
    public readonly clusterSecurityGroup: aws.ec2.SecurityGroup;
    /** On every node and pod; the data tier admits traffic from this group. */
    public readonly nodeSecurityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: EksSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:SecurityGroups", name, {}, opts);
        this.clusterSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-cluster`,
            { vpcId: args.vpcId, description: `EKS control plane of ${args.clusterName}`, tags: { Name: `${args.clusterName}-control-plane` } },
            { parent: this },
        );
        this.nodeSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-node`,
            {
                vpcId: args.vpcId,
                description: `EKS nodes and pods of ${args.clusterName}`,
                // The load balancer controller adds its load balancers' rules to the one group on a target's
                // network interface that carries this tag.
                // Karpenter gives its nodes exactly the groups with its discovery tag: this one.
                tags: {
                    Name: `${args.clusterName}-nodes`,
                    [`kubernetes.io/cluster/${args.clusterName}`]: "owned",
                    [KARPENTER_DISCOVERY_TAG]: args.clusterName,
                },
            },
            { parent: this },
        );
        const groups: Record<EksSecurityGroup, pulumi.Input<string> | undefined> = {
            cluster: this.clusterSecurityGroup.id,
            node: this.nodeSecurityGroup.id,
            endpoints: args.endpointSecurityGroupId,
        };
        const rules = eksSecurityGroupRules({
            privateAccessCidrs: args.privateAccessCidrs,
            interfaceEndpoints: args.endpointSecurityGroupId !== undefined,
            workloadEgress: args.workloadEgress,
        });
        for (const spec of rules) {
            const common = {
                securityGroupId: groups[spec.group] as pulumi.Input<string>,
                description: spec.description,
                ...(spec.traffic === "all" ? { ipProtocol: "-1" } : { ipProtocol: "tcp", fromPort: spec.traffic.tcp, toPort: spec.traffic.tcp }),
                ...("group" in spec.peer ? { referencedSecurityGroupId: groups[spec.peer.group] as pulumi.Input<string> } : { cidrIpv4: spec.peer.cidr }),
                tags: { Name: `${args.clusterName}-${spec.name}` },
            };
            if (spec.direction === "ingress") {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${spec.name}`, common, { parent: this });
            } else {
                new aws.vpc.SecurityGroupEgressRule(`${name}-${spec.name}`, common, { parent: this });
            }
        }
        this.registerOutputs({ clusterSecurityGroupId: this.clusterSecurityGroup.id, nodeSecurityGroupId: this.nodeSecurityGroup.id });
    }
}
