import { expect } from "chai";
import { CERT_MANAGER, certManagerValues, dns01Policy, dns01RecursiveNameservers, certManagerServiceMonitorSpec } from "../../../components/addons/certManager";
import { CHARTS } from "../../../versions";
import { policyOf, sharedPlan, stackConfig, type Plan, type RecordedResource } from "../../harness";
import { inlineStatements, roleByArn } from "../eks/helpers";
import { expectChartMonitors } from "./chartMonitors";
import { declaredValues, undeclaredKeys, upstreamChart } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const COMPONENTS = ["", "webhook.", "cainjector.", "startupapicheck."];
/** Values the chart renders whole with toYaml, so any Kubernetes field is valid below them. */
const RENDERED_WHOLE = COMPONENTS.flatMap((c) => [`${c}securityContext`, `${c}containerSecurityContext`, `${c}nodeSelector`]);
const HARDENED_CONTAINER = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "cert-manager-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

/** The values block of one component ("" is the controller, at the top level). */
function component(values: Record<string, unknown>, prefix: string): Record<string, unknown> {
    return prefix === "" ? values : (values[prefix.slice(0, -1)] as Record<string, unknown>);
}

/**
 * The controller flags the chart renders from the DNS-01 self-check values: templates/deployment.yaml of
 * cert-manager v1.21.1, lines 146-151 (`if .Values.dns01RecursiveNameserversOnly` and
 * `with .Values.dns01RecursiveNameservers`), written out because the offline run renders no chart.
 */
function dns01SelfCheckFlags(values: Record<string, unknown>): string[] {
    return [
        ...(values.dns01RecursiveNameserversOnly === true ? ["--dns01-recursive-nameservers-only=true"] : []),
        ...(typeof values.dns01RecursiveNameservers === "string" && values.dns01RecursiveNameservers !== ""
            ? [`--dns01-recursive-nameservers=${values.dns01RecursiveNameservers}`]
            : []),
    ];
}

describe("cert-manager", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, named, in its own namespace, rolled back on failure in prod", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "cert-manager",
                chart: "cert-manager",
                version: "v1.21.1",
                repositoryOpts: { repo: "https://charts.jetstack.io" },
                namespace: "cert-manager",
                createNamespace: false,
                atomic,
            });
        }
        expect(CHARTS.certManager.version).to.equal("v1.21.1");
    });

    it("its namespace is created by the program and enforces the restricted Pod Security Standard", () => {
        const namespace = dev.get("kubernetes:core/v1:Namespace", "cert-manager-namespace");
        expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
        expect(dev.dependsOn(releaseOf(dev), namespace)).to.equal(true);
    });

    it("installs and keeps its CRDs through the chart, keeps leader election out of kube-system, and has the chart's ServiceMonitor made by the program", () => {
        for (const plan of [dev, prod]) {
            expect(valuesOf(plan)).to.deep.include({
                crds: { enabled: true, keep: true },
                global: { leaderElection: { namespace: "cert-manager" }, priorityClassName: "platform-critical" },
                prometheus: { enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } },
            });
            const [monitor] = expectChartMonitors(plan, releaseOf(plan), ["cert-manager-service-monitor"]);
            expect(monitor.inputs.spec).to.deep.equal(certManagerServiceMonitorSpec());
            expect((monitor.inputs.spec as { endpoints: unknown[] }).endpoints).to.deep.equal([
                { targetPort: "http-metrics", path: "/metrics", interval: "60s", scrapeTimeout: "30s", honorLabels: false },
            ]);
        }
    });

    it("runs two replicas of the controller, webhook and CA injector with disruption budgets in prod, one in dev", () => {
        for (const prefix of ["", "webhook.", "cainjector."]) {
            expect(component(valuesOf(prod), prefix), prefix === "" ? "controller" : prefix).to.deep.include({
                replicaCount: 2,
                podDisruptionBudget: { enabled: true, minAvailable: 1 },
            });
            expect(component(valuesOf(dev), prefix), prefix === "" ? "controller" : prefix).to.deep.include({
                replicaCount: 1,
                podDisruptionBudget: { enabled: false },
            });
        }
    });

    it("every component runs hardened, with requests and a memory limit, on the system nodes", () => {
        for (const prefix of COMPONENTS) {
            const values = component(valuesOf(prod), prefix);
            expect(values.containerSecurityContext, prefix).to.deep.equal(HARDENED_CONTAINER);
            expect(values.securityContext, prefix).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            const resources = values.resources as { requests: Record<string, string>; limits: Record<string, string> };
            expect(resources.requests, prefix).to.have.keys("cpu", "memory");
            expect(resources.limits, prefix).to.have.key("memory");
            expect(values.nodeSelector, prefix).to.deep.include({ "platform/node-purpose": "system" });
            expect(values.tolerations, prefix).to.deep.equal([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
        }
    });

    it("its DNS-01 role trusts exactly the controller's service account, which the chart annotates with it", () => {
        for (const plan of [dev, prod]) {
            const serviceAccount = valuesOf(plan).serviceAccount as { name: string; annotations: Record<string, string> };
            expect(serviceAccount.name).to.equal(CERT_MANAGER.serviceAccount);
            const role = roleByArn(plan, serviceAccount.annotations["eks.amazonaws.com/role-arn"]);
            expect(role.name).to.equal("cert-manager-dns01-role");
            const trust = policyOf(role.inputs.assumeRolePolicy).Statement;
            expect(trust).to.have.length(1);
            const condition = trust[0].Condition as { StringEquals: Record<string, string> };
            expect(Object.entries(condition.StringEquals).map(([k, v]) => [k.replace(/^.*:/, ""), v])).to.deep.equal([
                ["sub", "system:serviceaccount:cert-manager:cert-manager"],
                ["aud", "sts.amazonaws.com"],
            ]);
        }
    });

    it("the DNS-01 role may only write _acme-challenge TXT records in the stack's zone, and lists no zones", () => {
        const role = dev.get("aws:iam/role:Role", "cert-manager-dns01-role");
        const zoneArn = "arn:aws:route53:::hostedzone/Z0123456789EXAMPLE0AB";
        expect(inlineStatements(dev, role)).to.deep.equal([
            { Sid: "ReadChangeStatus", Effect: "Allow", Action: "route53:GetChange", Resource: "arn:aws:route53:::change/*" },
            {
                Sid: "WriteAcmeChallengeRecordsInTheZone",
                Effect: "Allow",
                Action: "route53:ChangeResourceRecordSets",
                Resource: zoneArn,
                Condition: {
                    "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                    "ForAllValues:StringLike": {
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.example.com", "_acme-challenge.*.example.com"],
                    },
                },
            },
            { Sid: "ListRecordsOfTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zoneArn },
        ]);
    });

    it("the DNS-01 policy follows the partition and normalises the zone name", () => {
        const policy = dns01Policy({ id: "ZABC", name: "Example.ORG." }, "aws-cn");
        expect(policy.Statement.map((s) => s.Resource)).to.deep.equal([
            "arn:aws-cn:route53:::change/*",
            "arn:aws-cn:route53:::hostedzone/ZABC",
            "arn:aws-cn:route53:::hostedzone/ZABC",
        ]);
        expect(JSON.stringify(policy)).to.include('"_acme-challenge.example.org"').and.not.include("ListHostedZones");
    });

    it("is installed after the system nodes and its role's policy, not after the monitoring release", () => {
        for (const plan of [dev, prod]) {
            const monitoring = plan.ofType(RELEASE).find((r) => r.inputs.chart === "kube-prometheus-stack");
            expect(monitoring, "kube-prometheus-stack release").to.not.equal(undefined);
            expect(plan.dependsOn(releaseOf(plan), monitoring!)).to.equal(false);
            expect(plan.dependsOn(releaseOf(plan), plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system"))).to.equal(true);
            expect(plan.dependsOn(releaseOf(plan), plan.get("aws:iam/rolePolicy:RolePolicy", "cert-manager-dns01-policy"))).to.equal(true);
        }
    });

    it("the DNS-01 self check asks only the VPC's resolver (VPC base + 2, port 53), never the zone's name servers on port 53", () => {
        for (const [plan, stack, vpcCidr, resolver] of [
            [dev, "dev", "10.20.0.0/16", "10.20.0.2:53"],
            [prod, "prod", "10.30.0.0/16", "10.30.0.2:53"],
        ] as const) {
            expect(stackConfig(stack)["platform:network.cidr"], `${stack} VPC`).to.equal(vpcCidr);
            expect(dns01SelfCheckFlags(valuesOf(plan)), stack).to.deep.equal([
                "--dns01-recursive-nameservers-only=true",
                `--dns01-recursive-nameservers=${resolver}`,
            ]);
        }
        // Computed from the VPC's CIDR, whatever it is.
        expect(dns01RecursiveNameservers("172.16.0.0/12")).to.equal("172.16.0.2:53");
        expect(dns01SelfCheckFlags(certManagerValues({ highlyAvailable: false, vpcCidr: "192.168.64.0/18" }))).to.deep.equal([
            "--dns01-recursive-nameservers-only=true",
            "--dns01-recursive-nameservers=192.168.64.2:53",
        ]);
    });

    it("without a hosted zone there is no role and no annotation", () => {
        const values = certManagerValues({ highlyAvailable: false, vpcCidr: "10.0.0.0/16" });
        expect(values.serviceAccount).to.deep.equal({ create: true, name: "cert-manager" });
    });

    describe("against the upstream chart in ../shared", () => {
        it("every values key the program sets exists in the chart's values.yaml", function () {
            const chart = upstreamChart("cert-manager");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const declared = declaredValues(chart.valuesText);
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), declared, RENDERED_WHOLE)).to.deep.equal([]);
            }
            expect(undeclaredKeys({ serviceAccount: { nmae: "x" }, replicas: 2 }, declared, RENDERED_WHOLE), "the check itself").to.deep.equal([
                "serviceAccount.nmae",
                "replicas",
            ]);
        });

        it("the values, merged with the chart's defaults, validate against its strict values.schema.json", function () {
            const chart = upstreamChart("cert-manager");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            for (const plan of [dev, prod]) {
                expect(chart.schemaErrors(valuesOf(plan))).to.deep.equal([]);
            }
            expect(chart.schemaErrors({ ...valuesOf(prod), webhook: { replicaCount: "two" } }), "the check itself").to.not.deep.equal([]);
        });
    });
});
