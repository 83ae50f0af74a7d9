import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { MultiMap, ResourceIndex, dependenciesOf, ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { securityGroupRulesOf, trafficOf, type SecurityGroupRule } from "../../lib/securityGroups";
import { EKS, ELASTICACHE, NET, RDS } from "../../lib/types";
import { asArray, asNumber, asString, describe, isWorldCidr, knownTags, peek, UNKNOWN } from "../../lib/values";

/** Default ports by engine, when a data store does not set `port`. */
const ENGINE_PORTS: readonly [RegExp, number][] = [
    [/postgres/, 5432],
    [/mysql|mariadb/, 3306],
    [/oracle/, 1521],
    [/sqlserver/, 1433],
    [/memcached/, 11211],
    [/redis|valkey/, 6379],
];

interface Store {
    readonly resource: PolicyResource;
    readonly groupsKey: string;
    readonly port: number;
}

function storeOf(r: PolicyResource): Store | undefined {
    if (r.type === RDS.proxy) {
        // A proxy in front of a database is held to the same rule: only the cluster may reach it.
        const family = (asString(peek(r.props, "engineFamily")) ?? "POSTGRESQL").toLowerCase();
        return { resource: r, groupsKey: "vpcSecurityGroupIds", port: ENGINE_PORTS.find(([re]) => re.test(family))?.[1] ?? 5432 };
    }
    const isRds = r.type === RDS.instance;
    if (!isRds && r.type !== ELASTICACHE.replicationGroup) {
        return undefined;
    }
    const engine = (asString(peek(r.props, "engine")) ?? (isRds ? "postgres" : "redis")).toLowerCase();
    const port = asNumber(peek(r.props, "port")) ?? ENGINE_PORTS.find(([re]) => re.test(engine))?.[1] ?? (isRds ? 5432 : 6379);
    return { resource: r, groupsKey: isRds ? "vpcSecurityGroupIds" : "securityGroupIds", port };
}

/** A rule of a data store's group, with the resource that declares it and the key naming its peer group. */
interface GroupRule {
    readonly declaredBy: PolicyResource;
    readonly rule: SecurityGroupRule;
    readonly peerKey: string;
}

/**
 * What the cluster's nodes and pods carry: the EKS cluster (its own group), and the groups of its control
 * plane and launch templates. RDS instances also accept the groups of RDS proxies, which this rule holds
 * to the same standard as stores (only the cluster may reach a proxy).
 */
function clusterSources(resources: readonly PolicyResource[]) {
    const groups = new Set<string>();
    const proxyGroups = new Set<string>();
    const clusterGroupIds = new Set<string>();
    for (const proxy of ofTypes(resources, [RDS.proxy])) {
        dependenciesOf(proxy, "vpcSecurityGroupIds").forEach((d) => d.type === NET.securityGroup && proxyGroups.add(d.urn));
    }
    for (const r of ofTypes(resources, [EKS.cluster, EKS.launchTemplate, NET.securityGroup])) {
        if (r.type === EKS.cluster) {
            dependenciesOf(r, "vpcConfig").forEach((d) => d.type === NET.securityGroup && groups.add(d.urn));
            const id = peek(r.props, "vpcConfig", "clusterSecurityGroupId");
            if (typeof id === "string") {
                clusterGroupIds.add(id);
            }
        } else if (r.type === EKS.launchTemplate) {
            for (const key of ["networkInterfaces", "vpcSecurityGroupIds", "securityGroupNames"]) {
                dependenciesOf(r, key).forEach((d) => d.type === NET.securityGroup && groups.add(d.urn));
            }
        } else if (r.type === NET.securityGroup && Object.keys(knownTags(r.props)).some((k) => k.startsWith("kubernetes.io/cluster/"))) {
            groups.add(r.urn);
        }
    }
    return {
        /**
         * True when the peer group of a rule is the cluster or one of its groups; undefined when that
         * cannot be told (unknown during preview). The peer is followed through the property
         * dependencies of `key` (the rule's peer input, or the group's `ingress` for inline rules).
         */
        admits(from: PolicyResource, key: string, rule: SecurityGroupRule, store: PolicyResource): boolean | undefined {
            const deps = dependenciesOf(from, key).filter((d) => d.type === EKS.cluster || d.type === NET.securityGroup);
            if (deps.length > 0) {
                return deps.every((d) => d.type === EKS.cluster || groups.has(d.urn) || (store.type === RDS.instance && proxyGroups.has(d.urn)));
            }
            if (rule.peers === UNKNOWN || (rule.peers.length === 0 && !rule.hasGroupPeer)) {
                return undefined;
            }
            return rule.peers.length > 0 && rule.peers.every((id) => clusterGroupIds.has(id));
        },
    };
}

const policy: StackValidationPolicy = {
    name: "platform-network-data-store-access",
    description:
        "RDS instances, RDS proxies and ElastiCache replication groups are reachable only from the EKS cluster: each of their security groups admits only the data store's port (5432, 6379, ...) over TCP, only from the cluster's or the nodes' security group (for an RDS instance, also from an RDS proxy's group, itself held to this rule; never a CIDR), and sends nothing to the internet.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const stores = ofTypes(args.resources, [RDS.instance, RDS.proxy, ELASTICACHE.replicationGroup]).flatMap((r) => storeOf(r) ?? []);
        if (stores.length === 0) {
            return;
        }
        const groups = ResourceIndex.of(args.resources, [NET.securityGroup]);
        const rulesOf = new MultiMap<string, GroupRule>();
        for (const r of ofTypes(args.resources, [NET.securityGroup, NET.securityGroupRule, NET.ingressRule, NET.egressRule])) {
            if (r.type === NET.securityGroup) {
                securityGroupRulesOf(r.type, r.props).forEach((rule) => rulesOf.add(r.urn, { declaredBy: r, rule, peerKey: rule.direction }));
            } else if (r.type === NET.securityGroupRule || r.type === NET.ingressRule || r.type === NET.egressRule) {
                const peerKey = r.type === NET.securityGroupRule ? "sourceSecurityGroupId" : "referencedSecurityGroupId";
                const targets = groups.refs(r, "securityGroupId");
                if (targets.length > 0) {
                    const [rule] = securityGroupRulesOf(r.type, r.props);
                    targets.forEach((g) => rulesOf.add(g.urn, { declaredBy: r, rule, peerKey }));
                }
            }
        }
        const cluster = clusterSources(args.resources);
        const reported = new Set<string>();
        const report = (message: string, urn: string) => {
            if (!reported.has(message)) {
                reported.add(message);
                reportViolation(message, urn);
            }
        };
        for (const store of stores) {
            const { resource, groupsKey, port } = store;
            const declared = peek(resource.props, groupsKey);
            if (declared !== UNKNOWN && asArray(declared).length === 0 && dependenciesOf(resource, groupsKey).length === 0) {
                report(
                    `${describe(resource)} has no security group of its own, so it gets the VPC's default group. Set ${groupsKey} to a group that admits only the cluster on port ${port}.`,
                    resource.urn,
                );
                continue;
            }
            for (const group of groups.refs(resource, groupsKey)) {
                for (const { declaredBy, rule, peerKey } of rulesOf.get(group.urn)) {
                    const what = `${describe(declaredBy)} ${rule.where}`;
                    if (rule.direction === "egress") {
                        const world = rule.cidrs.filter(isWorldCidr);
                        if (world.length > 0) {
                            report(
                                `${what}lets ${describe(resource)} send ${trafficOf(rule)} to the internet (${world.join(", ")}). A data store needs no egress: remove the rule.`,
                                declaredBy.urn,
                            );
                        }
                        continue;
                    }
                    if (rule.cidrs.length > 0) {
                        report(
                            `${what}admits ${rule.cidrs.join(", ")} to ${describe(resource)}. Admit only the cluster's or the nodes' security group (referencedSecurityGroupId), never a CIDR.`,
                            declaredBy.urn,
                        );
                    } else if (cluster.admits(declaredBy, peerKey, rule, resource) === false) {
                        report(
                            `${what}admits a security group other than the EKS cluster's or the nodes' to ${describe(resource)}. Reference the node security group (or the cluster security group) only.`,
                            declaredBy.urn,
                        );
                    }
                    if (rule.protocol !== "tcp" || rule.fromPort !== port || rule.toPort !== port) {
                        report(
                            `${what}opens ${trafficOf(rule)} on ${describe(resource)}, which listens on TCP port ${port}. Open TCP port ${port} only.`,
                            declaredBy.urn,
                        );
                    }
                }
            }
        }
    },
};

/** */
export const restrictDataStoreAccess: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["X-04", "RDS-01", "EC-08"],
};
