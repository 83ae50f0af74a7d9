import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf, ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { EKS, ELASTICACHE, NET, RDS } from "../../lib/types";
import { describe, isSetRef, isTrue, knownTags, peek, records, UNKNOWN } from "../../lib/values";

/** Why a subnet is public, or undefined when it is private. */
type Publicness = string | undefined;

function isInternetGatewayRef(from: PolicyResource, key: string, value: unknown): boolean {
    return dependenciesOf(from, key).some((d) => d.type === NET.internetGateway) || (typeof value === "string" && value.startsWith("igw-"));
}

/** The route tables (by URN) that send traffic to an internet gateway. */
function internetRouteTables(resources: readonly PolicyResource[], tables: ResourceIndex): Set<string> {
    const found = new Set<string>();
    for (const r of ofTypes(resources, [NET.route, NET.routeTable])) {
        if (r.type === NET.route && isInternetGatewayRef(r, "gatewayId", peek(r.props, "gatewayId"))) {
            tables.refs(r, "routeTableId").forEach((t) => found.add(t.urn));
        } else if (r.type === NET.routeTable) {
            const routes = peek(r.props, "routes");
            const inline = routes === UNKNOWN ? [] : records(routes);
            if (
                dependenciesOf(r, "routes").some((d) => d.type === NET.internetGateway) ||
                inline.some((route) => isInternetGatewayRef(r, "routes", peek(route, "gatewayId")))
            ) {
                found.add(r.urn);
            }
        }
    }
    return found;
}

/** Why each subnet of the stack is public (only public ones are in the map). */
function publicSubnets(resources: readonly PolicyResource[], subnets: ResourceIndex): Map<string, Publicness> {
    const reasons = new Map<string, Publicness>();
    for (const s of subnets.all) {
        const tags = knownTags(s.props);
        if (tags.tier === "public" || tags["kubernetes.io/role/elb"] === "1") {
            reasons.set(s.urn, "is tagged as a public subnet");
        } else if (isTrue(peek(s.props, "mapPublicIpOnLaunch"))) {
            reasons.set(s.urn, "gives instances public IPs (mapPublicIpOnLaunch)");
        }
    }
    const tables = ResourceIndex.of(resources, [NET.routeTable]);
    const internet = internetRouteTables(resources, tables);
    for (const a of ofTypes(resources, [NET.routeTableAssociation])) {
        if (tables.refs(a, "routeTableId").some((t) => internet.has(t.urn))) {
            for (const s of subnets.refs(a, "subnetId")) {
                if (!reasons.has(s.urn)) {
                    reasons.set(s.urn, "routes to an internet gateway");
                }
            }
        }
    }
    return reasons;
}

/** Where each consumer lists its subnets. */
const CONSUMERS = new Map<string, { key: string; placed: string }>([
    [RDS.subnetGroup, { key: "subnetIds", placed: "database instances" }],
    [ELASTICACHE.subnetGroup, { key: "subnetIds", placed: "cache nodes" }],
    [EKS.nodeGroup, { key: "subnetIds", placed: "nodes" }],
]);

const policy: StackValidationPolicy = {
    name: "platform-network-private-placement",
    description:
        "Databases, caches and EKS nodes live in private subnets only: RDS and ElastiCache subnet groups and node groups list no subnet that is tagged public, maps public IPs or routes to an internet gateway, and every RDS instance names its subnet group (the default one is in the default VPC).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const subnets = ResourceIndex.of(args.resources, [NET.subnet]);
        let reasons: Map<string, Publicness> | undefined;
        for (const r of ofTypes(args.resources, [...CONSUMERS.keys(), RDS.instance])) {
            const consumer = CONSUMERS.get(r.type);
            if (consumer !== undefined) {
                reasons ??= publicSubnets(args.resources, subnets);
                for (const subnet of subnets.refs(r, consumer.key)) {
                    const why = reasons.get(subnet.urn);
                    if (why !== undefined) {
                        reportViolation(
                            `${describe(r)} places its ${consumer.placed} in ${describe(subnet)}, which ${why}. List only private subnets in ${consumer.key}.`,
                            r.urn,
                        );
                    }
                }
            } else if (r.type === RDS.instance) {
                const group = peek(r.props, "dbSubnetGroupName");
                if (group !== UNKNOWN && (typeof group !== "string" || group === "" || group === "default") && !isSetRef(peek(r.props, "replicateSourceDb"))) {
                    reportViolation(
                        `${describe(r)} has no DB subnet group, so it is placed in the default VPC's subnets. Set dbSubnetGroupName to a subnet group of the platform's database subnets.`,
                        r.urn,
                    );
                }
            }
        }
    },
};

/** */
export const requirePrivateSubnets: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["X-05", "RDS.18", "ElastiCache.7", "CIS EKS 5.4.3"],
};
