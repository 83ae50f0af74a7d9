import { expect } from "chai";
import * as fs from "node:fs";
import { parse } from "yaml";
import type { PlatformConfig } from "../../config";
import { CERT_MANAGER_WEBHOOK_PORT } from "../../components/addons/certManager";
import { EXTERNAL_SECRETS_METRICS_PORT, EXTERNAL_SECRETS_WEBHOOK_PORT } from "../../components/addons/externalSecrets";
import { METRICS_SERVER_PORT } from "../../components/addons/metricsServer";
import { PROMETHEUS_OPERATOR_WEBHOOK_PORT } from "../../components/addons/monitoring";
import { LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT } from "../../components/eks/loadBalancerController";
import { CONTROL_PLANE_TO_NODE_PORTS } from "../../components/eks/securityGroups";
import { addressesOf, vpcResolverAddress, type NetworkFlow } from "../../components/flows";
import { stackFlows, stackNetwork } from "../../components/stackFlows";
import { helmMerge, isMap } from "./addons/chartValues";
import { sharedFile } from "./eks/helpers";
import { resolve, type Stack } from "../config/resolve";
import { checkFlows, describeAtom, describeRule, formatReport, type FlowReport } from "../flowCheck";
import { Plan, planWith, sharedPlan, stackConfig, type RecordedResource } from "../harness";

/** prod with the optional pieces on: the RDS Proxy, and an application with its own egress (one non-HTTPS port). */
function variantOverrides(): Record<string, unknown> {
    const apps = (stackConfig("prod")["platform:apps"] as Record<string, unknown>[]).map((app) =>
        app.name === "api"
            ? {
                  ...app,
                  egress: [
                      { cidr: "10.200.0.0/16", port: 5000 },
                      { cidr: "203.0.113.0/24", port: 443 },
                  ],
              }
            : app,
    );
    return { "platform:database.proxy": true, "platform:apps": apps };
}

interface Case {
    readonly label: string;
    readonly plan: () => Promise<Plan>;
    readonly config: () => PlatformConfig;
}

const CASES: readonly Case[] = [
    ...(["dev", "prod"] as Stack[]).map((stack) => ({ label: stack, plan: () => sharedPlan(stack), config: () => resolve(stack) })),
    { label: "prod with proxy and application egress", plan: () => planWith("prod", variantOverrides()), config: () => resolve("prod", variantOverrides()) },
];

for (const c of CASES) {
    describe(`network flows: ${c.label}`, () => {
        let report: FlowReport;
        let flows: NetworkFlow[];
        before(async () => {
            const config = c.config();
            flows = stackFlows(config);
            report = checkFlows(await c.plan(), flows, stackNetwork(config));
        });

        it("every security group, rule and policy is one the flow model can read", () => {
            expect(report.problems, formatReport(report)).to.deep.equal([]);
        });

        it("the security groups and NetworkPolicies allow every declared flow", () => {
            const missing = report.rows.filter((r) => !r.allowed).map((r) => r.flow.name);
            expect(missing, `flows not allowed:\n${formatReport(report)}`).to.deep.equal([]);
        });

        it("every security-group rule is explained by a declared flow", () => {
            expect(report.unexplainedRules.map(describeRule), `unexplained rules:\n${formatReport(report)}`).to.deep.equal([]);
        });

        it("every NetworkPolicy allowance is explained by a declared flow", () => {
            expect(report.unexplainedPolicies.map(describeAtom), `unexplained allowances:\n${formatReport(report)}`).to.deep.equal([]);
        });

        it("flow names are unique", () => {
            const names = flows.map((f) => f.name);
            expect(names.filter((n, i) => names.indexOf(n) !== i)).to.deep.equal([]);
        });
    });
}

/** A plan of hand-written resources, to hold the checker itself to AWS and Kubernetes semantics. */
function syntheticPlan(resources: { type: string; name: string; id: string; inputs: Record<string, unknown> }[]): Plan {
    const recorded: RecordedResource[] = resources.map((r) => ({
        ...r,
        urn: `urn:pulumi:test::platform::${r.type}::${r.name}`,
        custom: true,
        outputs: {},
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        retainOnDelete: false,
    }));
    return new Plan({ stack: "test", project: "platform", resources: recorded, outputs: {}, config: {} } as unknown as ConstructorParameters<typeof Plan>[0]);
}

describe("network flows: the checker", () => {
    const network = { vpcCidr: "10.0.0.0/16", subnets: { public: ["10.0.0.0/24"], private: ["10.0.16.0/20", "10.0.32.0/20"], database: ["10.0.1.0/24"] } };
    const group = (name: string, id: string) => ({ type: "aws:ec2/securityGroup:SecurityGroup", name, id, inputs: {} });
    const egress = (name: string, inputs: Record<string, unknown>) => ({
        type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        name,
        id: name,
        inputs,
    });
    const ingress = (name: string, inputs: Record<string, unknown>) => ({
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name,
        id: name,
        inputs,
    });
    const groups = [group("eks-security-groups-node", "sg-node"), group("data-postgres-security-group-sg", "sg-db")];
    const toDatabase: NetworkFlow = {
        name: "pods-to-db",
        component: "t",
        from: { group: "node" },
        to: { group: "database" },
        protocol: "tcp",
        port: 5432,
        why: "t",
    };
    const dbIngress = ingress("db-in", { securityGroupId: "sg-db", referencedSecurityGroupId: "sg-node", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });

    it("a flow needs the source group's egress as well as the destination group's ingress (stateful, but both sides filter)", () => {
        const report = checkFlows(syntheticPlan([...groups, dbIngress]), [toDatabase], network);
        expect(report.rows.map((r) => [r.sgEgress, r.sgIngress])).to.deep.equal([["MISSING", "db-in"]]);
    });

    it("ipProtocol -1 carries every flow but is explained only by an all-traffic flow", () => {
        const all = egress("node-out-all", { securityGroupId: "sg-node", referencedSecurityGroupId: "sg-db", ipProtocol: "-1" });
        const report = checkFlows(syntheticPlan([...groups, dbIngress, all]), [toDatabase], network);
        expect(report.rows[0].allowed).to.equal(true);
        expect(report.unexplainedRules.map(describeRule)).to.deep.equal(["node-out-all: node egress all to sg:database"]);
    });

    it("a CIDR rule carries a flow when it holds every address of the other end, and is explained only when no broader than it", () => {
        const vpcWide = egress("node-out-5432-vpc", { securityGroupId: "sg-node", cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
        const report = checkFlows(syntheticPlan([...groups, dbIngress, vpcWide]), [toDatabase], network);
        expect(report.rows[0].sgEgress).to.equal("node-out-5432-vpc");
        expect(report.unexplainedRules.map((r) => r.name)).to.deep.equal(["node-out-5432-vpc"]);
    });

    it("the VPC resolver needs no rule, and a group outside the model is reported", () => {
        const dns: NetworkFlow = {
            name: "dns",
            component: "t",
            from: { group: "node" },
            to: { addresses: "vpcResolver" },
            protocol: "udp",
            port: 53,
            why: "t",
        };
        const report = checkFlows(syntheticPlan([...groups, group("something-else", "sg-x")]), [dns], network);
        expect(report.rows[0].sgEgress).to.equal("not filtered");
        expect(report.problems).to.deep.equal(["security group something-else has no role in the flow model (GROUP_RESOURCES in test/flowCheck.ts)"]);
    });
});

describe("network flows: the model", () => {
    it("the VPC resolver is the VPC base plus two, and the link-local resolver address", () => {
        expect(vpcResolverAddress("10.30.0.0/16")).to.equal("10.30.0.2/32");
        expect(addressesOf("vpcResolver", { vpcCidr: "10.20.0.0/16", subnets: { public: [], private: [], database: [] } })).to.deep.equal([
            "10.20.0.2/32",
            "169.254.169.253/32",
        ]);
    });

    it("pods reach the database and the cache through an egress rule of the node group to exactly those groups and ports", async () => {
        const prod = await sharedPlan("prod");
        const report = checkFlows(prod, stackFlows(resolve("prod")), stackNetwork(resolve("prod")));
        const egress = (name: string) => report.rows.find((r) => r.flow.name === name)?.sgEgress;
        expect(egress("api-to-postgres")).to.equal("data-postgres-security-group-client-0-out-5432");
        expect(egress("api-to-redis")).to.equal("data-redis-security-group-client-0-out-6379");
    });

    it("load balancer traffic is left to the controller only because the node group carries the cluster tag it writes its rules on", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const plan = await sharedPlan(stack);
            const tags = plan.get("aws:ec2/securityGroup:SecurityGroup", "eks-security-groups-node").inputs.tags as Record<string, string>;
            expect(tags[`kubernetes.io/cluster/platform-${stack}-eks`]).to.equal("owned");
            const tagged = plan
                .ofType("aws:ec2/securityGroup:SecurityGroup")
                .filter((g) => Object.keys((g.inputs.tags as Record<string, string> | undefined) ?? {}).some((k) => k.startsWith("kubernetes.io/cluster/")));
            expect(tagged.map((g) => g.name)).to.deep.equal(["eks-security-groups-node"]);
        }
    });

    it("the webhook ports the flows declare are the ports the charts serve on, with the program's values over the chart defaults", async function () {
        const prod = await sharedPlan("prod");
        const valuesOf = (chart: string) => prod.inputsOf(prod.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!).values;
        const merged = (chart: string): Record<string, unknown> | undefined => {
            const file = sharedFile(`charts/${chart}/values.yaml`);
            return file === undefined ? undefined : (helmMerge(parse(fs.readFileSync(file, "utf8")), valuesOf(chart)) as Record<string, unknown>);
        };
        const at = (tree: unknown, path: string): unknown => path.split(".").reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), tree);
        const charts = ["aws-load-balancer-controller", "cert-manager", "metrics-server", "kube-prometheus-stack", "external-secrets"].map(merged);
        if (charts.includes(undefined)) {
            this.skip(); // ../shared is absent: nothing to compare against
        }
        const [lbc, certManager, metricsServer, kps, externalSecrets] = charts;
        // Unset in the chart and in the values: the controller binds its documented default, 9443.
        expect(at(lbc, "webhookBindPort")).to.equal(null);
        expect(fs.readFileSync(sharedFile("charts/aws-load-balancer-controller/values.yaml")!, "utf8")).to.include(
            "The TCP port the Webhook server binds to. (default 9443)",
        );
        expect(LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT).to.equal(9443);
        expect(at(certManager, "webhook.securePort")).to.equal(CERT_MANAGER_WEBHOOK_PORT);
        expect(at(metricsServer, "containerPort")).to.equal(METRICS_SERVER_PORT);
        expect(at(kps, "prometheusOperator.admissionWebhooks.enabled")).to.equal(true);
        expect(at(kps, "prometheusOperator.tls.internalPort")).to.equal(PROMETHEUS_OPERATOR_WEBHOOK_PORT);
        expect(at(externalSecrets, "webhook.create")).to.equal(true);
        expect(at(externalSecrets, "webhook.hostNetwork")).to.equal(false);
        expect(at(externalSecrets, "webhook.port")).to.equal(EXTERNAL_SECRETS_WEBHOOK_PORT);
        for (const component of ["metrics", "webhook.metrics", "certController.metrics"]) {
            expect(at(externalSecrets, `${component}.listen.port`), component).to.equal(EXTERNAL_SECRETS_METRICS_PORT);
        }
        // And the control plane reaches exactly those ports on the nodes.
        const webhookPorts = [
            LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT,
            CERT_MANAGER_WEBHOOK_PORT,
            METRICS_SERVER_PORT,
            PROMETHEUS_OPERATOR_WEBHOOK_PORT,
            EXTERNAL_SECRETS_WEBHOOK_PORT,
        ];
        const byNumber = (a: number, b: number) => a - b;
        expect([...CONTROL_PLANE_TO_NODE_PORTS].sort(byNumber)).to.deep.equal([...new Set([...webhookPorts, 10250])].sort(byNumber));
    });

    it("cert-manager checks DNS-01 propagation through the VPC resolver, which security groups do not filter", () => {
        const flows = stackFlows(resolve("prod")).filter((f) => f.name.startsWith("cert-manager-to-vpc-resolver"));
        expect(flows.map((f) => [f.protocol, f.port, f.to])).to.deep.equal([
            ["udp", 53, { addresses: "vpcResolver" }],
            ["tcp", 53, { addresses: "vpcResolver" }],
        ]);
    });

    it("the name server cert-manager's self check is given is the resolver its flows declare, and both plans allow it", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const plan = await sharedPlan(stack);
            const config = resolve(stack);
            const values = plan.get("kubernetes:helm.sh/v3:Release", "cert-manager-release").inputs.values as Record<string, unknown>;
            expect(values.dns01RecursiveNameserversOnly, stack).to.equal(true);
            const [host, port] = String(values.dns01RecursiveNameservers).split(":");
            const report = checkFlows(plan, stackFlows(config), stackNetwork(config));
            const rows = report.rows.filter((r) => r.flow.name.startsWith("cert-manager-to-vpc-resolver"));
            expect(
                rows.map((r) => [r.flow.protocol, r.flow.port, r.allowed]),
                stack,
            ).to.deep.equal([
                ["udp", Number(port), true],
                ["tcp", Number(port), true],
            ]);
            expect(addressesOf("vpcResolver", stackNetwork(config)), stack).to.include(`${host}/32`);
            expect(
                rows.map((r) => r.sgEgress),
                stack,
            ).to.deep.equal(["not filtered", "not filtered"]);
        }
    });
});
