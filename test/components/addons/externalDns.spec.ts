import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXTERNAL_DNS, TXT_PREFIX, externalDnsFlows, externalDnsPolicy, externalDnsValues, publishedZoneOf } from "../../../components/addons/externalDns";
import { PRIORITY_CLASSES } from "../../../components/priorities";
import { defaultTxtOwnerId } from "../../../config/keys/externalDns";
import { REPO_ROOT } from "../../../tools/offline/stackConfig";
import { stackFlows } from "../../../components/stackFlows";
import { resolve } from "../../config/resolve";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { variantPlan } from "../edge/plans";
import { expectChartMonitors } from "./chartMonitors";
import { declaredValues, undeclaredKeys, upstreamChart } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
/** Values the chart renders whole with toYaml into the pod spec. */
const RENDERED_WHOLE = ["securityContext", "podSecurityContext", "resources", "env", "nodeSelector", "tolerations"];
const ZONE = { id: "Z0123456789EXAMPLE0AB", name: "example.com" };

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "external-dns-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return plan.inputsOf(releaseOf(plan)).values as Record<string, unknown>;
}

function rolePolicyOf(plan: Plan): Record<string, unknown>[] {
    return policyOf(plan.get(ROLE_POLICY, "external-dns-role-policy").inputs.policy).Statement;
}

/**
 * The name of the registry's TXT record for a record, as external-dns 0.21 makes it with a prefix that
 * holds `%{record_type}` (registry/mapper/mapper.go, AffixNameMapper.ToTXTName, at the chart's tag): the
 * prefix, with the type in lower case, before the record's first label.
 */
function txtNameOf(prefix: string, dnsName: string, recordType: string): string {
    const [first, rest] = [dnsName.split(".")[0], dnsName.split(".").slice(1).join(".")];
    return `${prefix.replaceAll("%{record_type}", recordType.toLowerCase())}${first}${rest === "" ? "" : `.${rest}`}`;
}

/** IAM's StringLike on one value: `*` any run of characters, `?` one character. */
function like(pattern: string, value: string): boolean {
    const regex = new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
    return regex.test(value);
}

describe("external-dns", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, with an explicit name, in its own restricted namespace", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "external-dns",
                chart: "external-dns",
                version: "1.21.1",
                repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns" },
                namespace: EXTERNAL_DNS.namespace,
                createNamespace: false,
                atomic,
            });
            const namespace = plan.get("kubernetes:core/v1:Namespace", "external-dns-namespace");
            expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
            expect(plan.dependsOn(releaseOf(plan), namespace)).to.equal(true);
        }
    });

    it("publishes Ingress hosts only (the program makes no LoadBalancer Service), as alias records, in the stack's one public zone and domain", () => {
        for (const [plan, domain] of [
            [dev, "dev.example.com"],
            [prod, "example.com"],
        ] as const) {
            expect(valuesOf(plan)).to.deep.include({
                provider: { name: "aws" },
                sources: ["ingress"],
                registry: "txt",
                domainFilters: [domain],
                managedRecordTypes: ["A", "AAAA"],
                extraArgs: { "zone-id-filter": "Z0123456789EXAMPLE0AB", "aws-zone-type": "public" },
            });
            const services = plan.ofType("kubernetes:core/v1:Service").map((s) => (s.inputs.spec as { type?: string }).type);
            expect(services, "if a LoadBalancer Service appears, add the service source").to.not.include("LoadBalancer");
        }
    });

    it("owns its records with an owner id of its own stack and cluster, upsert-only in prod and sync in dev", () => {
        expect(valuesOf(dev)).to.deep.include({ txtOwnerId: "platform-dev-eks", policy: "sync" });
        expect(valuesOf(prod)).to.deep.include({ txtOwnerId: "platform-prod-eks", policy: "upsert-only" });
        expect(valuesOf(prod).txtOwnerId, "the owner id is the cluster's name").to.equal(
            prod.get("aws:eks/cluster:Cluster", "eks-cluster-control-plane").inputs.name,
        );
        expect(resolve("dev", { "platform:externalDns.txtOwnerId": "shared-zone-dev" }).externalDns.txtOwnerId).to.equal("shared-zone-dev");
    });

    it("prefixes the registry's TXT records with the record type in a label of its own, so they never share a name with a record, apex included", () => {
        expect(valuesOf(prod).txtPrefix).to.equal(TXT_PREFIX);
        expect(TXT_PREFIX).to.include("%{record_type}").and.match(/\.$/);
        expect(txtNameOf(TXT_PREFIX, "app.example.com", "A")).to.equal("extdns-a.app.example.com");
        expect(txtNameOf(TXT_PREFIX, "example.com", "AAAA")).to.equal("extdns-aaaa.example.com");
    });

    it("runs one hardened pod on the system nodes at the platform-critical priority, with resources and a ServiceMonitor", () => {
        const values = valuesOf(prod);
        expect(values.securityContext).to.deep.include({
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(values.podSecurityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(values.resources).to.deep.equal({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } });
        expect(values.priorityClassName).to.equal(PRIORITY_CLASSES.platformCritical.name);
        // The chart's ServiceMonitor, made by the program after the release and the monitoring release.
        expect(values.serviceMonitor).to.deep.equal({ enabled: false });
        const release = prod.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "external-dns")!;
        const [monitor] = expectChartMonitors(prod, release, ["external-dns-service-monitor"]);
        expect(monitor.inputs.spec).to.deep.include({ endpoints: [{ port: "http", path: "/metrics" }] });
        expect(values.nodeSelector).to.deep.include({ "platform/node-purpose": "system" });
        // A single writer: the chart has no replica count or disruption budget, and none is set.
        expect(Object.keys(values)).to.not.include.members(["replicaCount", "podDisruptionBudget", "deploymentStrategy"]);
    });

    it("its service account carries the role that trusts exactly external-dns/external-dns", () => {
        for (const plan of [dev, prod]) {
            const role = plan.get(ROLE, "external-dns-role-role");
            expect((valuesOf(plan).serviceAccount as Record<string, unknown>).annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": role.outputs.arn });
            expect(JSON.stringify(policyOf(role.inputs.assumeRolePolicy))).to.include("system:serviceaccount:external-dns:external-dns");
            expect(plan.dependsOn(releaseOf(plan), role), "the release waits for its role").to.equal(true);
        }
    });

    it("may change records of its one zone only, only A, AAAA and TXT, only under the domain, and in prod never delete", () => {
        const zoneArn = "arn:aws:route53:::hostedzone/Z0123456789EXAMPLE0AB";
        const change = (actions: string[], name: string) => ({
            Sid: "ChangeAppRecordsInTheZone",
            Effect: "Allow",
            Action: "route53:ChangeResourceRecordSets",
            Resource: zoneArn,
            Condition: {
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "TXT"],
                    "route53:ChangeResourceRecordSetsActions": actions,
                },
                "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [name, `*.${name}`] },
            },
        });
        const common = [
            { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
            { Sid: "ListRecordsOfTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zoneArn },
        ];
        expect(rolePolicyOf(prod)).to.deep.equal([...common, change(["CREATE", "UPSERT"], "example.com")]);
        expect(rolePolicyOf(dev)).to.deep.equal([...common, change(["CREATE", "UPSERT", "DELETE"], "dev.example.com")]);
        expect(externalDnsPolicy(ZONE, "Dev.Example.com.", "sync", "aws-cn").Statement[2]).to.deep.include({
            Resource: "arn:aws-cn:route53:::hostedzone/Z0123456789EXAMPLE0AB",
        });
    });

    it("the name condition covers every record it writes: the host's alias records and their registry TXT records, apex included", () => {
        const names = (externalDnsPolicy(ZONE, "example.com", "upsert-only", "aws").Statement[2].Condition as Record<string, Record<string, string[]>>)[
            "ForAllValues:StringLike"
        ]["route53:ChangeResourceRecordSetsNormalizedRecordNames"];
        for (const host of ["example.com", "app.example.com"]) {
            for (const name of [host, txtNameOf(TXT_PREFIX, host, "A"), txtNameOf(TXT_PREFIX, host, "AAAA")]) {
                expect(
                    names.some((p) => like(p, name)),
                    name,
                ).to.equal(true);
            }
        }
        expect(
            names.some((p) => like(p, "app.example.org")),
            "a name outside the domain",
        ).to.equal(false);
    });

    it("a stack without a hosted zone has no external-dns, no role and no flows of it", async () => {
        const plan = await variantPlan();
        expect(plan.ofType(RELEASE).map((r) => r.inputs.name)).to.not.include("external-dns");
        expect(plan.ofType(ROLE).map((r) => r.name)).to.not.include("external-dns-role-role");
        const variant = resolve("dev", {
            "platform:apps": undefined,
            "platform:edge.domain": undefined,
            "platform:edge.hostedZoneId": undefined,
            "platform:edge.hostedZoneName": undefined,
            "platform:certManager.acmeEmail": undefined,
        });
        expect(publishedZoneOf(variant.edge)).to.equal(undefined);
        expect(publishedZoneOf(resolve("prod").edge)).to.deep.equal({ hostedZone: ZONE, domain: "example.com" });
        expect(stackFlows(variant).filter((f) => f.component === "ExternalDns")).to.deep.equal([]);
        expect(stackFlows(resolve("dev")).filter((f) => f.component === "ExternalDns")).to.deep.equal(externalDnsFlows());
    });

    it("declares its egress: the API server, Route 53 and STS over HTTPS, DNS through CoreDNS; and Prometheus's scrape", () => {
        expect(externalDnsFlows().map((f) => [f.name, f.protocol, f.port])).to.deep.equal([
            ["external-dns-to-api", "tcp", 443],
            ["external-dns-to-route53", "tcp", 443],
            ["external-dns-to-kube-dns-udp", "udp", 53],
            ["external-dns-to-kube-dns-tcp", "tcp", 53],
            ["prometheus-to-external-dns", "tcp", 7979],
        ]);
    });

    it("the DNS runbook names the TXT records and owner ids the program makes", () => {
        const runbook = fs.readFileSync(path.join(REPO_ROOT, "docs/runbooks/dns.md"), "utf8");
        expect(runbook)
            .to.include(`\`${txtNameOf(TXT_PREFIX, "$HOST", "A")}\``)
            .and.include(`\`${txtNameOf(TXT_PREFIX, "$HOST", "AAAA")}\``);
        expect(runbook).to.include(`\`${defaultTxtOwnerId("platform", "<stack>")}\``);
        expect(fs.readFileSync(path.join(REPO_ROOT, "docs/runbooks/README.md"), "utf8")).to.include("[dns.md](dns.md)");
    });

    describe("values against the upstream chart (../shared/charts/external-dns)", () => {
        it("sets only keys the chart declares", function () {
            const chart = upstreamChart("external-dns");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const declared = declaredValues(chart.valuesText);
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), declared, RENDERED_WHOLE)).to.deep.equal([]);
            }
            expect(undeclaredKeys({ txtOwnerID: "x", zoneIdFilters: ["Z1"] }, declared, RENDERED_WHOLE), "the check itself").to.deep.equal([
                "txtOwnerID",
                "zoneIdFilters",
            ]);
        });

        it("validates against the chart's values.schema.json", function () {
            const chart = upstreamChart("external-dns");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            for (const plan of [dev, prod]) {
                expect(chart.schemaErrors(valuesOf(plan))).to.deep.equal([]);
            }
            expect(chart.schemaErrors({ ...valuesOf(prod), policy: "delete-everything" }), "the check itself").to.not.deep.equal([]);
        });

        it("the pure values function matches what the program installs", () => {
            const values = externalDnsValues({
                zone: ZONE,
                domain: "example.com",
                txtOwnerId: "platform-prod-eks",
                policy: "upsert-only",
                region: "eu-west-1",
                roleArn: "arn",
            });
            const installed = {
                ...valuesOf(prod),
                serviceAccount: { ...(valuesOf(prod).serviceAccount as object), annotations: { "eks.amazonaws.com/role-arn": "arn" } },
            };
            expect(installed).to.deep.equal(values);
        });
    });
});
