import { expect } from "chai";
import { CONTROL_PLANE_TO_NODE_PORTS, eksSecurityGroupRules } from "../../../components/eks/securityGroups";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function groups(plan: Plan) {
    return {
        cluster: plan.get("aws:ec2/securityGroup:SecurityGroup", "eks-security-groups-cluster"),
        node: plan.get("aws:ec2/securityGroup:SecurityGroup", "eks-security-groups-node"),
    };
}

/** Every rule of a group as `direction proto:port peer`, with peers named `cluster`, `node` or a CIDR. */
function rulesOf(plan: Plan, group: RecordedResource): string[] {
    const names = groups(plan);
    const peerName = (id: unknown) => (id === names.cluster.id ? "cluster" : id === names.node.id ? "node" : String(id));
    return [...plan.ofType(INGRESS).map((r) => ["in", r] as const), ...plan.ofType(EGRESS).map((r) => ["out", r] as const)]
        .filter(([, r]) => r.inputs.securityGroupId === group.id)
        .map(([direction, r]) => {
            const traffic = r.inputs.ipProtocol === "-1" ? "all" : `${String(r.inputs.ipProtocol)}:${String(r.inputs.fromPort)}-${String(r.inputs.toPort)}`;
            const peer = r.inputs.referencedSecurityGroupId !== undefined ? peerName(r.inputs.referencedSecurityGroupId) : String(r.inputs.cidrIpv4);
            return `${direction} ${traffic} ${peer}`;
        })
        .sort();
}

describe("EKS security groups", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("the control plane reaches nodes only on the webhook ports 9443 and 10250 (kubelet too), never on 443", () => {
        expect([...CONTROL_PLANE_TO_NODE_PORTS]).to.deep.equal([9443, 10250]);
        const { cluster } = groups(prod);
        expect(rulesOf(prod, cluster)).to.deep.equal([
            "in tcp:443-443 10.100.0.0/16",
            "in tcp:443-443 node",
            "out tcp:10250-10250 node",
            "out tcp:9443-9443 node",
        ]);
    });

    it("nodes accept the control plane on those ports and each other, talk to the API, the database and the cache, and leave the VPC on HTTPS only", () => {
        const { node } = groups(prod);
        const database = prod.get("aws:ec2/securityGroup:SecurityGroup", "data-postgres-security-group-sg").id;
        const cache = prod.get("aws:ec2/securityGroup:SecurityGroup", "data-redis-security-group-sg").id;
        expect(rulesOf(prod, node)).to.deep.equal(
            [
                "in all node",
                "in tcp:10250-10250 cluster",
                "in tcp:9443-9443 cluster",
                "out all node",
                "out tcp:443-443 0.0.0.0/0",
                "out tcp:443-443 cluster",
                `out tcp:5432-5432 ${String(database)}`,
                `out tcp:6379-6379 ${String(cache)}`,
            ].sort(),
        );
    });

    it("the interface endpoints admit HTTPS from the node group only, not from the whole VPC", () => {
        const endpoints = prod.get("aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg");
        expect(rulesOf(prod, endpoints)).to.deep.equal(["in tcp:443-443 node"]);
        expect(dev.ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => g.name)).to.not.include("network-endpoints-sg");
    });

    it("an application's egress on a port other than 443 opens exactly that CIDR and port on the node group, once", () => {
        const input = (egress: { app: string; cidr: string; port: number }[]) => ({
            privateAccessCidrs: [],
            interfaceEndpoints: false,
            workloadEgress: egress,
        });
        const extra = eksSecurityGroupRules(
            input([
                { app: "api", cidr: "10.200.0.0/16", port: 5000 },
                { app: "web", cidr: "10.200.0.0/16", port: 5000 },
                { app: "api", cidr: "203.0.113.7/24", port: 8443 },
                { app: "api", cidr: "198.51.100.0/24", port: 443 },
            ]),
        ).filter((r) => r.description.includes("platform:apps egress"));
        expect(extra.map((r) => [r.name, r.group, r.direction, r.traffic, r.peer, r.description])).to.deep.equal([
            [
                "node-out-5000-10-200-0-0-16",
                "node",
                "egress",
                { tcp: 5000 },
                { cidr: "10.200.0.0/16" },
                "Egress of api, web to 10.200.0.0/16 on 5000 (platform:apps egress)",
            ],
            [
                "node-out-8443-203-0-113-0-24",
                "node",
                "egress",
                { tcp: 8443 },
                { cidr: "203.0.113.0/24" },
                "Egress of api to 203.0.113.0/24 on 8443 (platform:apps egress)",
            ],
        ]);
    });

    it("nothing is open to the internet: no rule admits a CIDR other than the configured private access networks", () => {
        for (const plan of [dev, prod]) {
            const { cluster, node } = groups(plan);
            const ingress = plan.ofType(INGRESS).filter((r) => r.inputs.securityGroupId === cluster.id || r.inputs.securityGroupId === node.id);
            const cidrs = ingress.map((r) => r.inputs.cidrIpv4).filter((c) => c !== undefined);
            expect(cidrs).to.deep.equal(["10.100.0.0/16"]);
        }
    });

    it("the only world-wide rule is the nodes' HTTPS egress", () => {
        const world = eksSecurityGroupRules({ privateAccessCidrs: ["10.100.0.0/16"], interfaceEndpoints: true, workloadEgress: [] }).filter(
            (r) => "cidr" in r.peer && r.peer.cidr === "0.0.0.0/0",
        );
        expect(world.map((r) => [r.group, r.direction, r.traffic])).to.deep.equal([["node", "egress", { tcp: 443 }]]);
    });

    it("every rule says why it exists", () => {
        for (const rule of [...prod.ofType(INGRESS), ...prod.ofType(EGRESS)]) {
            expect(rule.inputs.description, rule.name).to.be.a("string").and.not.equal("");
        }
    });

    it("the node group carries the cluster tag the load balancer controller looks for and Karpenter's discovery tag", () => {
        expect(groups(dev).node.inputs.tags).to.deep.equal({
            Name: "platform-dev-eks-nodes",
            "kubernetes.io/cluster/platform-dev-eks": "owned",
            "karpenter.sh/discovery": "platform-dev-eks",
        });
        expect(groups(dev).cluster.inputs.tags).to.deep.equal({ Name: "platform-dev-eks-control-plane" });
    });

    it("the stack exports the node group as the one the data tier admits", () => {
        for (const plan of [dev, prod]) {
            expect(plan.outputs.nodeSecurityGroupId).to.equal(groups(plan).node.id);
        }
    });
});
