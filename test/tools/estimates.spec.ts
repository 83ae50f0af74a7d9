import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatMinutes, formatUsd, type PlanRecord } from "../../tools/estimates/baseline";
import { NODE_OVERHEAD, cpuOf, memoryGiBOf, nodeCapacity } from "../../tools/estimates/capacity";
import { MissingPriceError, estimateCost, type PricedResource } from "../../tools/estimates/cost";
import { estimateCreateTime, type TimedResource } from "../../tools/estimates/createTime";
import { HOURS_PER_MONTH, PRICES, SPOT_SAVINGS } from "../../tools/estimates/prices";
import { main } from "../../tools/plan";
import { resolve } from "../config/resolve";

const P = PRICES["eu-west-1"];
const month = (hourly: number) => Math.round(hourly * HOURS_PER_MONTH * 100) / 100;

/** A small plan: a cluster, a node group and its template, a NAT gateway with its address, a Single-AZ database, a cache node, two keys, an alarm. */
const SMALL_PLAN: PricedResource[] = [
    { type: "aws:eks/cluster:Cluster", name: "cluster", inputs: {} },
    {
        type: "aws:eks/nodeGroup:NodeGroup",
        name: "system",
        inputs: { instanceTypes: ["t3.large"], capacityType: "ON_DEMAND", scalingConfig: { desiredSize: 2 } },
    },
    { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "system", inputs: { blockDeviceMappings: [{ ebs: { volumeSize: 20 } }] } },
    { type: "aws:ec2/natGateway:NatGateway", name: "nat", inputs: {} },
    { type: "aws:ec2/eip:Eip", name: "nat", inputs: {} },
    {
        type: "aws:rds/instance:Instance",
        name: "db",
        inputs: { instanceClass: "db.t4g.small", multiAz: false, allocatedStorage: 20, manageMasterUserPassword: true },
    },
    { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", inputs: { nodeType: "cache.t4g.micro", numCacheClusters: 1 } },
    { type: "aws:kms/key:Key", name: "a", inputs: {} },
    { type: "aws:kms/key:Key", name: "b", inputs: {} },
    { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "alarm", inputs: {} },
];

describe("estimates: the monthly cost", () => {
    const config = resolve("dev");

    it("prices a known small plan to the cent, from the price table of the stack's region", () => {
        const estimate = estimateCost(SMALL_PLAN, config);
        const usd = (item: string) => estimate.lines.find((l) => l.item === item)?.usd;
        // The figures, worked by hand from the table: 730 hours a month.
        expect(usd("EKS control plane cluster")).to.equal(73);
        expect(usd("node group system: 2 × t3.large"))
            .to.equal(month(2 * 0.0912))
            .and.equal(133.15);
        expect(usd("node group system: 2 × 20 GiB gp3 root volumes")).to.equal(3.52);
        expect(usd("NAT gateways: 1")).to.equal(35.04);
        expect(usd("public IPv4 addresses of the NAT gateways: 1")).to.equal(3.65);
        expect(usd("RDS db: db.t4g.small")).to.equal(26.28);
        expect(usd("RDS db: 20 GiB gp3")).to.equal(2.54);
        expect(usd("RDS db: its managed master secret")).to.equal(0.4);
        expect(usd("ElastiCache cache: 1 × cache.t4g.micro")).to.equal(13.14);
        expect(usd("KMS keys: 2")).to.equal(2);
        expect(usd("CloudWatch alarms: 1")).to.equal(0.1);
        expect(estimate.lines).to.have.length(11);
        expect(estimate.total).to.equal(292.82);
        expect(estimate.total).to.equal(Math.round(estimate.lines.reduce((t, l) => t + l.usd, 0) * 100) / 100);
        // Largest first.
        expect(estimate.lines[0].item).to.equal("node group system: 2 × t3.large");
        expect(estimate.lines.map((l) => l.usd)).to.deep.equal([...estimate.lines.map((l) => l.usd)].sort((a, b) => b - a));
    });

    it("lists the usage-based charges apart, at the config's assumptions", () => {
        const estimate = estimateCost(SMALL_PLAN, resolve("dev", { "platform:estimates.natProcessedGiB": 100, "platform:estimates.internetEgressGiB": 200 }));
        const usd = (prefix: string) => estimate.usage.lines.find((l) => l.item.startsWith(prefix))?.usd;
        expect(usd("NAT gateway processing: 100 GiB")).to.equal(4.8);
        expect(usd("data transfer to the internet: 200 GiB")).to.equal(18);
        expect(estimate.usage.assumptions).to.include({ natProcessedGiB: 100, internetEgressGiB: 200 });
        // No WAF or ALB in the small plan: no request lines.
        expect(estimate.usage.lines.some((l) => l.item.startsWith("WAF"))).to.equal(false);
        // X-Ray at the stack's sampling percentage (dev keeps every trace).
        expect(usd("X-Ray traces: 1.0 M (100% of requests)")).to.equal(5);
        // No ECR repository in the small plan: no image storage line; with one, its images at $0.10 a GB-month.
        expect(estimate.usage.lines.some((l) => l.item.startsWith("ECR"))).to.equal(false);
        const withRepository = estimateCost(
            [...SMALL_PLAN, { type: "aws:ecr/repository:Repository", name: "app", inputs: {} }],
            resolve("dev", { "platform:estimates.imageStorageGiB": 12 }),
        );
        expect(withRepository.usage.lines.find((l) => l.item.startsWith("ECR"))).to.deep.equal({ item: "ECR image storage: 12 GiB in 1 repository", usd: 1.2 });
    });

    it("says so instead of guessing when the region or a type has no price", () => {
        expect(() => estimateCost(SMALL_PLAN, { ...config, region: "ap-south-2" })).to.throw(MissingPriceError, /no prices for region ap-south-2/);
        const unknown = [{ type: "aws:rds/instance:Instance", name: "db", inputs: { instanceClass: "db.x2g.16xlarge" } }];
        expect(() => estimateCost(unknown, config)).to.throw(MissingPriceError, /db.x2g.16xlarge/);
    });

    it("prices Karpenter's capacity from what the pods request, on the cheapest instance of the pool that holds them", () => {
        const deployment = (name: string, cpu: string, memory: string, replicas: number): PricedResource => ({
            type: "kubernetes:apps/v1:Deployment",
            name,
            inputs: {
                metadata: { name, namespace: `app-${name}` },
                spec: { replicas, template: { spec: { containers: [{ resources: { requests: { cpu, memory } } }] } } },
            },
        });
        const hpa: PricedResource = {
            type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            name: "api",
            inputs: { metadata: { namespace: "app-api" }, spec: { scaleTargetRef: { name: "api" }, minReplicas: 4 } },
        };
        // dev's pool: t and m families, spot. 4 × 500m/1Gi = 2 vCPU, 4 GiB: two t3a.medium (1.65 vCPU, 2.75 GiB of room each).
        const capacity = nodeCapacity([deployment("api", "500m", "1Gi", 1), hpa], config, P);
        expect(capacity).to.deep.include({ cpu: 2, memoryGiB: 4, instanceType: "t3a.medium", nodes: 2, spot: true, rootVolumeGiB: 20 });
        expect(2 - NODE_OVERHEAD.cpu).to.equal(1.65);
        const estimate = estimateCost([deployment("api", "500m", "1Gi", 1), hpa], config);
        const line = estimate.lines.find((l) => l.item.startsWith("Karpenter nodes: 2 × t3a.medium (spot)"))!;
        expect(line.usd)
            .to.equal(month(2 * 0.0408 * (1 - SPOT_SAVINGS)))
            .and.equal(29.78);
        // No workload pods, no nodes.
        expect(nodeCapacity([], config, P).nodes).to.equal(0);
        // Quantities.
        expect(cpuOf("250m")).to.equal(0.25);
        expect(cpuOf("2")).to.equal(2);
        expect(memoryGiBOf("512Mi")).to.equal(0.5);
        expect(memoryGiBOf("2Gi")).to.equal(2);
    });

    it("dev costs at most $250 a month with every component there", async () => {
        const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "estimates-")), "dev.json");
        expect(await main(["--stack", "dev", "--json", json], () => undefined)).to.equal(0);
        const record = JSON.parse(fs.readFileSync(json, "utf8")) as { estimates: { monthlyCostUsd: { total: number; lines: { item: string }[] } } };
        expect(record.estimates.monthlyCostUsd.total).to.be.at.most(250);
        // Every component still there: the cluster, NAT, the WAF, the database, the cache, the load balancer.
        const items = record.estimates.monthlyCostUsd.lines.map((l) => l.item).join("\n");
        for (const part of ["EKS control plane", "NAT gateways", "WAF web ACL", "RDS data-postgres-instance", "ElastiCache", "Application Load Balancers"]) {
            expect(items).to.include(part);
        }
    });
});

describe("estimates: the create time and its critical path", () => {
    const r = (urn: string, type: string, dependencies: string[] = [], extra: Partial<TimedResource> = {}): TimedResource => ({
        urn,
        type,
        name: urn,
        custom: true,
        dependencies,
        inputs: {},
        ...extra,
    });

    it("is the longest weighted chain; a component stands for everything below it; a provider is waited for", () => {
        const plan: TimedResource[] = [
            r("key", "aws:kms/key:Key"),
            r("cluster", "aws:eks/cluster:Cluster", ["key"]),
            r("nodes", "aws:eks/nodeGroup:NodeGroup", ["cluster"]),
            r("db", "aws:rds/instance:Instance", ["key"], { inputs: { multiAz: true } }),
            { ...r("component", "platform:x:Thing"), custom: false },
            r("child", "aws:iam/role:Role", [], { parent: "component" }),
            r("k8s", "pulumi:providers:kubernetes", ["cluster"]),
            // Waits for the component (so for its child), and through its provider for the cluster.
            r("release", "kubernetes:helm.sh/v3:Release", ["component", "nodes"], { provider: "k8s::id" }),
        ];
        const estimate = estimateCreateTime(plan);
        // key 0.2 + cluster 10 + nodes 2 + release 2 = 14.2; the Multi-AZ database (0.2 + 15) is longer.
        expect(estimate.total).to.equal(15.2);
        expect(estimate.criticalPath.map((s) => s.name)).to.deep.equal(["key", "db"]);
        const withoutDb = estimateCreateTime(plan.filter((x) => x.urn !== "db"));
        expect(withoutDb.total).to.equal(14.2);
        expect(withoutDb.criticalPath.map((s) => [s.name, s.minutes])).to.deep.equal([
            ["key", 0.2],
            ["cluster", 10],
            ["nodes", 2],
            ["release", 2],
        ]);
    });

    it("prod is created in at most 20 minutes modeled; nothing waits for the load balancer controller but what its webhooks admit", async () => {
        const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "estimates-")), "prod.json");
        expect(await main(["--stack", "prod", "--json", json], () => undefined)).to.equal(0);
        const record = JSON.parse(fs.readFileSync(json, "utf8")) as {
            steps: { urn: string; newState: { type: string; name: string; dependencies: string[]; inputs: { metadata?: { namespace?: string } } } }[];
            estimates: { createMinutes: { total: number; criticalPath: { type: string }[] } };
        };
        expect(record.estimates.createMinutes.total).to.be.at.most(20);
        // The controller's webhooks admit Ingresses and the pods of the applications' namespaces: only those wait for it.
        const controller = record.steps.find((s) => s.newState.type === "kubernetes:helm.sh/v3:Release" && s.newState.name === "eks-lb-controller-release")!;
        const waiting = record.steps.filter((s) => s.newState.dependencies.includes(controller.urn)).map((s) => s.newState);
        expect(waiting.length).to.be.greaterThan(0);
        for (const w of waiting) {
            const admitted =
                w.type === "kubernetes:networking.k8s.io/v1:Ingress" || ["kubernetes:batch/v1:Job", "kubernetes:apps/v1:Deployment"].includes(w.type);
            expect(admitted && String(w.inputs.metadata?.namespace).startsWith("app-"), `${w.type} ${w.name}`).to.equal(true);
        }
    });
});

describe("estimates: against a baseline (--baseline)", () => {
    const step = (urn: string, type: string, inputs: unknown) => ({ urn, newState: { type, inputs } });
    const estimates = (cost: number, usage: number, minutes: number) => ({
        monthlyCostUsd: { total: cost, lines: [] },
        usageCostUsd: { total: usage, lines: [], assumptions: {} },
        createMinutes: { total: minutes, criticalPath: [] },
    });
    const base: PlanRecord = {
        steps: [step("a", "aws:s3/bucket:Bucket", { x: 1 }), step("b", "aws:iam/role:Role", { y: { b: 1, a: 2 } }), step("c", "aws:kms/key:Key", {})],
        estimates: estimates(100, 10, 20),
    };
    const head: PlanRecord = {
        steps: [
            step("a", "aws:s3/bucket:Bucket", { x: 2 }),
            // Same inputs in another key order: unchanged.
            step("b", "aws:iam/role:Role", { y: { a: 2, b: 1 } }),
            step("d", "aws:kms/key:Key", {}),
            step("e", "aws:kms/key:Key", {}),
        ],
        estimates: estimates(112, 9.5, 18.5),
    };

    it("says what was added, removed and changed by type, and the cost and time deltas", () => {
        expect(diffPlans(base, head)).to.deep.equal({
            added: { "aws:kms/key:Key": 2 },
            removed: { "aws:kms/key:Key": 1 },
            changed: { "aws:s3/bucket:Bucket": 1 },
            costDeltaUsd: 12,
            usageDeltaUsd: -0.5,
            createDeltaMinutes: -1.5,
        });
        expect(formatUsd(12)).to.equal("+$12.00/month");
        expect(formatUsd(-0.5)).to.equal("-$0.50/month");
        expect(formatMinutes(-1.5)).to.equal("-1.5 min");
        expect(formatMinutes(0)).to.equal("±0.0 min");
        expect(diffPlans({ steps: base.steps }, head).costDeltaUsd, "a baseline without estimates").to.equal(undefined);
    });

    it("the plan prints them against an earlier --json record, and refuses a file that is not one (exit 2)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "estimates-"));
        const earlier = path.join(dir, "base.json");
        expect(await main(["--stack", "dev", "--json", earlier], () => undefined)).to.equal(0);
        // The base branch had one KMS key fewer and cost $1 less.
        const record = JSON.parse(fs.readFileSync(earlier, "utf8")) as PlanRecord & { estimates: { monthlyCostUsd: { total: number } } };
        const keys = record.steps.filter((s) => s.newState.type === "aws:kms/key:Key");
        const baseline = {
            ...record,
            steps: record.steps.filter((s) => s !== keys[0]),
            estimates: { ...record.estimates, monthlyCostUsd: { ...record.estimates.monthlyCostUsd, total: record.estimates.monthlyCostUsd.total - 1 } },
        };
        fs.writeFileSync(earlier, JSON.stringify(baseline));
        const lines: string[] = [];
        const markdown = path.join(dir, "plan.md");
        expect(await main(["--stack", "dev", "--baseline", earlier, "--markdown", markdown], (t) => lines.push(t))).to.equal(0);
        const text = lines.join("\n");
        expect(text).to.include(`Against the baseline ${earlier}:`);
        expect(text).to.include("added 1: aws:kms/key:Key 1");
        expect(text).to.include("monthly cost +$1.00/month fixed, ±$0.00/month usage; create time ±0.0 min");
        expect(fs.readFileSync(markdown, "utf8")).to.include("Monthly cost **+$1.00/month** fixed");

        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(bad, "{}");
        const out: string[] = [];
        expect(await main(["--stack", "dev", "--baseline", bad], (t) => out.push(t))).to.equal(2);
        expect(out.join("\n")).to.match(/--baseline .*bad\.json: has no steps; expected the file an earlier `npm run plan -- --json` wrote/);
    });
});
