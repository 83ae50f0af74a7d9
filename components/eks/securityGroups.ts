/**
 * The cluster's two security groups: one on the control plane's network interfaces, one on every node
 * (and so on every pod: the VPC CNI gives pods the node's groups). Between them only the ports the
 * control plane needs are open; the node group is the one the data tier admits.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The two groups. */
export type EksSecurityGroup = "cluster" | "node";

/**
 * Ports the control plane opens on nodes: 443 (webhooks served on 443), 9443 (AWS Load Balancer
 * Controller webhook) and 10250 (kubelet: logs, exec, metrics; also cert-manager, metrics-server and
 * prometheus-operator webhooks). Source: ../shared/reference/charts-and-addons.md.
 */
export const CONTROL_PLANE_TO_NODE_PORTS = [443, 9443, 10250] as const;

/** The internet, for the one rule that needs it (HTTPS egress of nodes). */
const ANYWHERE = "0.0.0.0/0";

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

/**
 * Every rule of the two groups. `privateAccessCidrs` are the networks (VPN, CI) that reach the private
 * API endpoint. Nothing reaches the nodes from outside the cluster except what the AWS Load Balancer
 * Controller adds for its load balancers.
 */
export function eksSecurityGroupRules(privateAccessCidrs: readonly string[]): SecurityGroupRuleSpec[] {
    return [
        rule({ group: "cluster", direction: "ingress", traffic: { tcp: 443 }, peer: { group: "node" }, description: "Kubernetes API from kubelets and pods" }),
        ...privateAccessCidrs.map((cidr) =>
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
        rule({ group: "node", direction: "egress", traffic: { tcp: 443 }, peer: { cidr: ANYWHERE }, description: "AWS APIs and image registries over HTTPS" }),
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
                tags: { Name: `${args.clusterName}-nodes`, [`kubernetes.io/cluster/${args.clusterName}`]: "owned" },
            },
            { parent: this },
        );
        const groups: Record<EksSecurityGroup, aws.ec2.SecurityGroup> = { cluster: this.clusterSecurityGroup, node: this.nodeSecurityGroup };
        for (const spec of eksSecurityGroupRules(args.privateAccessCidrs)) {
            const common = {
                securityGroupId: groups[spec.group].id,
                description: spec.description,
                ...(spec.traffic === "all" ? { ipProtocol: "-1" } : { ipProtocol: "tcp", fromPort: spec.traffic.tcp, toPort: spec.traffic.tcp }),
                ...("group" in spec.peer ? { referencedSecurityGroupId: groups[spec.peer.group].id } : { cidrIpv4: spec.peer.cidr }),
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
