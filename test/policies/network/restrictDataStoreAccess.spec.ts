import { expect } from "chai";
import { restrictDataStoreAccess } from "../../../policies/rules/network/restrictDataStoreAccess";
import { Unknown } from "../../../tools/offline/values";
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { messages, resource } from "../check";
import { eksCluster, launchTemplate, rdsInstance, replicationGroup } from "../fixtures";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const on = (group: PolicyInput, peer?: PolicyInput) => ({
    propertyDependencies: { securityGroupId: [group.urn], ...(peer ? { referencedSecurityGroupId: [peer.urn] } : {}) },
});

const nodeSg = resource(SG, "nodes", { description: "nodes" });
const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", launchTemplate, { propertyDependencies: { networkInterfaces: [nodeSg.urn] } });
const cluster = resource("aws:eks/cluster:Cluster", "eks", { ...eksCluster, vpcConfig: { ...eksCluster.vpcConfig, clusterSecurityGroupId: "sg-eks-managed" } });
const dbSg = resource(SG, "db", { description: "db" });
const cacheSg = resource(SG, "cache", { description: "cache" });
const db = resource(
    "aws:rds/instance:Instance",
    "db",
    { ...rdsInstance, vpcSecurityGroupIds: [Unknown.instance] },
    { propertyDependencies: { vpcSecurityGroupIds: [dbSg.urn] } },
);
const cache = resource(
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "cache",
    { ...replicationGroup, securityGroupIds: [Unknown.instance] },
    { propertyDependencies: { securityGroupIds: [cacheSg.urn] } },
);
const fromNodes = (group: PolicyInput, port: number, name = `${group.name}-in`) =>
    resource(
        INGRESS,
        name,
        { description: "from nodes", ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: Unknown.instance },
        on(group, nodeSg),
    );
const graph = [nodeSg, template, cluster, dbSg, cacheSg, db, cache];

describe("policy platform-network-data-store-access (X-04)", () => {
    it("passes databases and caches reachable only from the node group on their port", async () => {
        expect(await messages(restrictDataStoreAccess, [...graph, fromNodes(dbSg, 5432), fromNodes(cacheSg, 6379)])).to.deep.equal([]);
    });
    it("accepts the EKS cluster's own security group as a source, by dependency or by its id", async () => {
        const byCluster = resource(
            INGRESS,
            "db-in",
            { description: "d", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
            { propertyDependencies: { securityGroupId: [dbSg.urn], referencedSecurityGroupId: [cluster.urn] } },
        );
        const byId = resource(
            INGRESS,
            "cache-in",
            { description: "d", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: "sg-eks-managed" },
            on(cacheSg),
        );
        expect(await messages(restrictDataStoreAccess, [...graph, byCluster, byId])).to.deep.equal([]);
    });
    it("accepts an RDS proxy's group in front of a database, and holds the proxy itself to the same rule", async () => {
        const proxySg = resource(SG, "proxy", { description: "proxy" });
        const proxy = resource(
            "aws:rds/proxy:Proxy",
            "proxy",
            { engineFamily: "POSTGRESQL", vpcSecurityGroupIds: [Unknown.instance] },
            { propertyDependencies: { vpcSecurityGroupIds: [proxySg.urn] } },
        );
        const proxyToDb = resource(INGRESS, "proxy-to-db", { description: "p", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, on(dbSg, proxySg));
        const base = [...graph, proxySg, proxy, proxyToDb, fromNodes(dbSg, 5432), fromNodes(cacheSg, 6379)];
        expect(await messages(restrictDataStoreAccess, [...base, fromNodes(proxySg, 5432)])).to.deep.equal([]);
        const proxyFromVpn = resource(INGRESS, "vpn-to-proxy", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.100.0.0/16" }, on(proxySg));
        expect(await messages(restrictDataStoreAccess, [...base, proxyFromVpn])).to.deep.equal([
            `${INGRESS} "vpn-to-proxy" admits 10.100.0.0/16 to aws:rds/proxy:Proxy "proxy". Admit only the cluster's or the nodes' security group (referencedSecurityGroupId), never a CIDR.`,
        ]);
        const proxyToCache = resource(INGRESS, "proxy-to-cache", { ipProtocol: "tcp", fromPort: 6379, toPort: 6379 }, on(cacheSg, proxySg));
        expect(await messages(restrictDataStoreAccess, [...base, fromNodes(proxySg, 5432), proxyToCache])).to.deep.equal([
            `${INGRESS} "proxy-to-cache" admits a security group other than the EKS cluster's or the nodes' to aws:elasticache/replicationGroup:ReplicationGroup "cache". Reference the node security group (or the cluster security group) only.`,
        ]);
    });
    it("fails a CIDR source, another security group, and another port", async () => {
        const cidr = resource(INGRESS, "vpn", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.100.0.0/16" }, on(dbSg));
        const other = resource(SG, "bastion", { description: "b" });
        const fromOther = resource(INGRESS, "bastion-in", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, on(dbSg, other));
        const allPorts = resource(INGRESS, "all", { ipProtocol: "-1" }, on(cacheSg, nodeSg));
        expect(await messages(restrictDataStoreAccess, [...graph, other, cidr, fromOther, allPorts])).to.deep.equal([
            `${INGRESS} "vpn" admits 10.100.0.0/16 to aws:rds/instance:Instance "db". Admit only the cluster's or the nodes' security group (referencedSecurityGroupId), never a CIDR.`,
            `${INGRESS} "bastion-in" admits a security group other than the EKS cluster's or the nodes' to aws:rds/instance:Instance "db". Reference the node security group (or the cluster security group) only.`,
            `${INGRESS} "all" opens all traffic on aws:elasticache/replicationGroup:ReplicationGroup "cache", which listens on TCP port 6379. Open TCP port 6379 only.`,
        ]);
    });
    it("fails egress to the internet, inline or as a rule", async () => {
        const inlineSg = resource(SG, "db", { description: "db", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
        const out = resource(EGRESS, "out", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, on(cacheSg));
        expect(await messages(restrictDataStoreAccess, [nodeSg, template, inlineSg, cacheSg, db, cache, out])).to.deep.equal([
            `${SG} "db" egress[0] lets aws:rds/instance:Instance "db" send all traffic to the internet (0.0.0.0/0). A data store needs no egress: remove the rule.`,
            `${EGRESS} "out" lets aws:elasticache/replicationGroup:ReplicationGroup "cache" send TCP port 443 to the internet (0.0.0.0/0). A data store needs no egress: remove the rule.`,
        ]);
    });
    it("uses the port the data store sets, and the engine's default port", async () => {
        const mysql = resource(
            "aws:rds/instance:Instance",
            "mysql",
            { ...rdsInstance, engine: "mysql", vpcSecurityGroupIds: [] },
            { propertyDependencies: { vpcSecurityGroupIds: [dbSg.urn] } },
        );
        expect(await messages(restrictDataStoreAccess, [nodeSg, template, dbSg, mysql, fromNodes(dbSg, 3306)])).to.deep.equal([]);
        const custom = resource(
            "aws:rds/instance:Instance",
            "db",
            { ...rdsInstance, port: 6432 },
            { propertyDependencies: { vpcSecurityGroupIds: [dbSg.urn] } },
        );
        expect(await messages(restrictDataStoreAccess, [nodeSg, template, dbSg, custom, fromNodes(dbSg, 5432)])).to.have.length(1);
    });
    it("fails a data store without a security group of its own (omitted attribute)", async () => {
        const { vpcSecurityGroupIds: _omitted, ...noGroups } = rdsInstance;
        expect(await messages(restrictDataStoreAccess, [resource("aws:rds/instance:Instance", "db", noGroups)])).to.deep.equal([
            'aws:rds/instance:Instance "db" has no security group of its own, so it gets the VPC\'s default group. Set vpcSecurityGroupIds to a group that admits only the cluster on port 5432.',
        ]);
    });
    it("does not judge a source group that is unknown during preview without a dependency", async () => {
        const unknownPeer = resource(
            INGRESS,
            "db-in",
            { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: Unknown.instance },
            on(dbSg),
        );
        expect(await messages(restrictDataStoreAccess, [...graph, unknownPeer])).to.deep.equal([]);
    });
});
