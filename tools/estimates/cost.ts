/**
 * The monthly cost of a stack, modeled from its offline plan and its config: every resource that bills by
 * the hour or the month priced from the price table (prices.ts) of the stack's region, the capacity
 * Karpenter will launch priced from what the pods it will run request, and the usage-based charges
 * (traffic, NAT and ALB processing, log ingestion, stored bytes, traces) listed apart, at the usage the
 * config's `platform:estimates.*` keys assume.
 */
import type { PlatformConfig } from "../../config";
import { nodeCapacity, type CapacityEstimate } from "./capacity";
import { HOURS_PER_MONTH, PRICES, REPLICA_REGION_S3_PER_GB_MONTH, SPOT_SAVINGS, type RegionPrices } from "./prices";

/** A resource as the estimator reads it (the offline runtime's record, or a preview step's state). */
export interface PricedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/** One line of the estimate. */
export interface CostLine {
    /** What is priced, with its quantity. */
    readonly item: string;
    /** USD a month, to the cent. */
    readonly usd: number;
}

/** The estimate. */
export interface CostEstimate {
    /** Fixed monthly charges (what runs whether or not anyone uses it): total and lines, largest first. */
    readonly total: number;
    readonly lines: CostLine[];
    /** Usage-based charges at the config's assumptions. */
    readonly usage: { readonly total: number; readonly lines: CostLine[]; readonly assumptions: Record<string, number> };
    /** What Karpenter's capacity was priced from. */
    readonly capacity: CapacityEstimate;
}

/** Cents, rounded half away from zero (the lines add to the total exactly). */
const cents = (usd: number) => Math.round(usd * 100) / 100;

const money = (n: number) => `$${n.toFixed(2)}`;

/** Thrown when the price table has no rates for a region or an instance type the plan uses. */
export class MissingPriceError extends Error {}

function rate<T>(table: Readonly<Record<string, T>>, key: string, what: string): T {
    const found = table[key];
    if (found === undefined) {
        throw new MissingPriceError(`no price for ${what} ${key} in tools/estimates/prices.ts; add it with its source`);
    }
    return found;
}

function at(value: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** GiB of a Kubernetes quantity such as "100Gi" or a number of GiB. */
export function gibOf(value: unknown): number {
    if (typeof value === "number") {
        return value;
    }
    const match = /^(\d+(?:\.\d+)?)(Gi|Ti|Mi)?$/.exec(String(value ?? ""));
    if (match === null) {
        return 0;
    }
    const n = Number(match[1]);
    return match[2] === "Ti" ? n * 1024 : match[2] === "Mi" ? n / 1024 : n;
}

/** The fixed lines of the resources in the plan. */
function resourceLines(resources: readonly PricedResource[], config: PlatformConfig, p: RegionPrices): CostLine[] {
    const lines: CostLine[] = [];
    const add = (item: string, usd: number) => lines.push({ item, usd: cents(usd) });
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    const launchTemplates = new Map(resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate").map((r) => [r.name, r]));

    for (const r of resources) {
        const i = r.inputs;
        switch (r.type) {
            case "aws:eks/cluster:Cluster":
                add(`EKS control plane ${r.name}`, p.eksClusterHourly * HOURS_PER_MONTH);
                break;
            case "aws:eks/nodeGroup:NodeGroup": {
                const type = String((i.instanceTypes as string[] | undefined)?.[0]);
                const nodes = Number(at(i, ["scalingConfig", "desiredSize"]) ?? 0);
                const spot = i.capacityType === "SPOT";
                const hourly = rate(p.ec2, type, "EC2 instance type").hourly * (spot ? 1 - SPOT_SAVINGS : 1);
                add(`node group ${r.name}: ${nodes} × ${type}${spot ? " (spot)" : ""}`, nodes * hourly * HOURS_PER_MONTH);
                const template = launchTemplates.get(r.name);
                const disk = Number(at(template?.inputs, ["blockDeviceMappings", "0", "ebs", "volumeSize"]) ?? 0);
                if (disk > 0) {
                    add(`node group ${r.name}: ${nodes} × ${disk} GiB gp3 root volumes`, nodes * disk * p.ebsGp3PerGBMonth);
                }
                break;
            }
            case "aws:rds/instance:Instance": {
                const cls = String(i.instanceClass);
                const copies = i.multiAz === true ? 2 : 1;
                const storage = Number(i.allocatedStorage ?? 0);
                add(`RDS ${r.name}: ${cls}${copies === 2 ? " Multi-AZ" : ""}`, copies * rate(p.rds, cls, "RDS instance class").hourly * HOURS_PER_MONTH);
                if (storage > 0) {
                    add(`RDS ${r.name}: ${storage} GiB gp3${copies === 2 ? " × 2 (Multi-AZ)" : ""}`, copies * storage * p.rdsGp3PerGBMonth);
                }
                if (i.manageMasterUserPassword === true) {
                    add(`RDS ${r.name}: its managed master secret`, p.secretMonthly);
                }
                break;
            }
            case "aws:rds/proxy:Proxy": {
                const vcpu = config.database.enabled ? rate(p.rds, config.database.instanceClass, "RDS instance class").vcpu : 0;
                add(`RDS Proxy ${r.name}: ${vcpu} vCPU`, vcpu * p.rdsProxyPerVcpuHourly * HOURS_PER_MONTH);
                break;
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const type = String(i.nodeType);
                const nodes = Number(i.numCacheClusters ?? 1);
                add(`ElastiCache ${r.name}: ${nodes} × ${type}`, nodes * rate(p.elasticache, type, "ElastiCache node type").hourly * HOURS_PER_MONTH);
                break;
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (i.vpcEndpointType === "Interface") {
                    const zones = (i.subnetIds as unknown[] | undefined)?.length ?? 0;
                    add(`interface endpoint ${String(i.serviceName).split(".").pop()}: ${zones} zones`, zones * p.interfaceEndpointHourly * HOURS_PER_MONTH);
                }
                break;
            case "aws:wafv2/webAcl:WebAcl": {
                const rules = (i.rules as unknown[] | undefined)?.length ?? 0;
                add(`WAF web ACL ${r.name}: ${rules} rules`, p.wafAclMonthly + rules * p.wafRuleMonthly);
                break;
            }
            default:
                break;
        }
    }
    const nat = count("aws:ec2/natGateway:NatGateway");
    if (nat > 0) {
        add(`NAT gateways: ${nat}`, nat * p.natGatewayHourly * HOURS_PER_MONTH);
    }
    const eips = count("aws:ec2/eip:Eip");
    if (eips > 0) {
        add(`public IPv4 addresses of the NAT gateways: ${eips}`, eips * p.publicIpv4Hourly * HOURS_PER_MONTH);
    }
    const keys = count("aws:kms/key:Key") + count("aws:kms/replicaKey:ReplicaKey");
    if (keys > 0) {
        add(`KMS keys: ${keys}`, keys * p.kmsKeyMonthly);
    }
    const secrets = count("aws:secretsmanager/secret:Secret");
    if (secrets > 0) {
        add(`Secrets Manager secrets: ${secrets}`, secrets * p.secretMonthly);
    }
    const alarms = count("aws:cloudwatch/metricAlarm:MetricAlarm");
    if (alarms > 0) {
        add(`CloudWatch alarms: ${alarms}`, alarms * p.alarmMonthly);
    }
    return lines;
}

/** The load balancers the controller makes: one per Ingress group (or per Ingress without one), each with an address per public subnet. */
function loadBalancerLines(resources: readonly PricedResource[], config: PlatformConfig, p: RegionPrices): CostLine[] {
    const groups = new Set<string>();
    for (const r of resources.filter((x) => x.type === "kubernetes:networking.k8s.io/v1:Ingress")) {
        const annotations = (at(r.inputs, ["metadata", "annotations"]) ?? {}) as Record<string, string>;
        groups.add(annotations["alb.ingress.kubernetes.io/group.name"] ?? `ingress/${r.name}`);
    }
    if (groups.size === 0) {
        return [];
    }
    const addresses = groups.size * config.network.subnets.public.length;
    return [
        { item: `Application Load Balancers: ${groups.size}`, usd: cents(groups.size * p.albHourly * HOURS_PER_MONTH) },
        { item: `public IPv4 addresses of the load balancers: ${addresses}`, usd: cents(addresses * p.publicIpv4Hourly * HOURS_PER_MONTH) },
    ];
}

/** The monitoring release's volumes (Prometheus, Alertmanager, Grafana), from its values, as gp3 GiB-months. */
function volumeLines(resources: readonly PricedResource[], p: RegionPrices): CostLine[] {
    const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "kube-prometheus-stack");
    if (release === undefined) {
        return [];
    }
    const v = release.inputs.values;
    const claim = ["volumeClaimTemplate", "spec", "resources", "requests", "storage"];
    const prometheus =
        Number(at(v, ["prometheus", "prometheusSpec", "replicas"]) ?? 1) * gibOf(at(v, ["prometheus", "prometheusSpec", "storageSpec", ...claim]));
    const alertmanager =
        Number(at(v, ["alertmanager", "alertmanagerSpec", "replicas"]) ?? 1) * gibOf(at(v, ["alertmanager", "alertmanagerSpec", "storage", ...claim]));
    const grafana = at(v, ["grafana", "persistence", "enabled"]) === true ? gibOf(at(v, ["grafana", "persistence", "size"])) : 0;
    const gib = prometheus + alertmanager + grafana;
    return gib === 0
        ? []
        : [
              {
                  item: `monitoring volumes: ${gib} GiB gp3 (Prometheus ${prometheus}, Alertmanager ${alertmanager}, Grafana ${grafana})`,
                  usd: cents(gib * p.ebsGp3PerGBMonth),
              },
          ];
}

/** Karpenter's nodes and their root volumes, from what the pods it runs request. */
function capacityLines(capacity: CapacityEstimate, p: RegionPrices): CostLine[] {
    if (capacity.nodes === 0) {
        return [];
    }
    const instance = rate(p.ec2, capacity.instanceType, "EC2 instance type");
    const hourly = instance.hourly * (capacity.spot ? 1 - SPOT_SAVINGS : 1);
    return [
        {
            item: `Karpenter nodes: ${capacity.nodes} × ${capacity.instanceType}${capacity.spot ? " (spot)" : ""} for ${capacity.cpu} vCPU / ${capacity.memoryGiB} GiB requested`,
            usd: cents(capacity.nodes * hourly * HOURS_PER_MONTH),
        },
        {
            item: `Karpenter nodes: ${capacity.nodes} × ${capacity.rootVolumeGiB} GiB gp3 root volumes`,
            usd: cents(capacity.nodes * capacity.rootVolumeGiB * p.ebsGp3PerGBMonth),
        },
    ];
}

/** The usage-based lines at the config's assumptions. */
function usageLines(resources: readonly PricedResource[], config: PlatformConfig, p: RegionPrices): CostLine[] {
    const a = config.estimates;
    const lines: CostLine[] = [];
    const add = (item: string, usd: number) => lines.push({ item, usd: cents(usd) });
    const hasWaf = resources.some((r) => r.type === "aws:wafv2/webAcl:WebAcl");
    const hasAlb = resources.some((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress");
    if (hasWaf) {
        add(`WAF requests: ${a.requestsPerMonthMillions} M`, a.requestsPerMonthMillions * p.wafPerMillionRequests);
    }
    if (hasAlb) {
        // An LCU is 25 new connections a second or 1 GB an hour processed (whichever is more); every request a new connection, at worst.
        const perSecond = (a.requestsPerMonthMillions * 1e6) / (HOURS_PER_MONTH * 3600);
        const lcu = Math.max(perSecond / 25, a.internetEgressGiB / HOURS_PER_MONTH);
        add(`ALB capacity units: ${lcu.toFixed(2)} LCU on average`, lcu * p.albLcuHourly * HOURS_PER_MONTH);
    }
    add(`data transfer to the internet: ${a.internetEgressGiB} GiB`, a.internetEgressGiB * p.internetEgressPerGB);
    if (resources.some((r) => r.type === "aws:ec2/natGateway:NatGateway")) {
        add(`NAT gateway processing: ${a.natProcessedGiB} GiB`, a.natProcessedGiB * p.natGatewayPerGB);
    }
    add(`CloudWatch Logs ingestion: ${a.logIngestionGiB} GiB`, a.logIngestionGiB * p.logsIngestionPerGB);
    const storedMonths = Math.min(config.logging.retentionDays, 365) / 30;
    add(
        `CloudWatch Logs storage: ${(a.logIngestionGiB * storedMonths).toFixed(0)} GiB at ${config.logging.retentionDays} days' retention`,
        a.logIngestionGiB * storedMonths * p.logsStoragePerGBMonth,
    );
    add(`backup bucket: ${a.backupStorageGiB} GiB`, a.backupStorageGiB * p.s3StandardPerGBMonth);
    const replica = config.backups.replicaRegion;
    if (replica !== undefined && REPLICA_REGION_S3_PER_GB_MONTH[replica] !== undefined) {
        add(`backup replica bucket (${replica}): ${a.backupStorageGiB} GiB`, a.backupStorageGiB * REPLICA_REGION_S3_PER_GB_MONTH[replica]);
    }
    const repositories = resources.filter((r) => r.type === "aws:ecr/repository:Repository").length;
    if (repositories > 0) {
        add(
            `ECR image storage: ${a.imageStorageGiB} GiB in ${repositories} repositor${repositories === 1 ? "y" : "ies"}`,
            a.imageStorageGiB * p.ecrStoragePerGBMonth,
        );
    }
    const traces = (a.requestsPerMonthMillions * config.tracing.samplingPercentage) / 100;
    add(`X-Ray traces: ${traces.toFixed(1)} M (${config.tracing.samplingPercentage}% of requests)`, traces * p.xrayPerMillionTraces);
    return lines;
}

const byCost = (a: CostLine, b: CostLine) => b.usd - a.usd || a.item.localeCompare(b.item);
const sum = (lines: readonly CostLine[]) => cents(lines.reduce((t, l) => t + l.usd, 0));

/** The monthly cost of a plan. Throws {@link MissingPriceError} when the region or a type has no rate. */
export function estimateCost(resources: readonly PricedResource[], config: PlatformConfig): CostEstimate {
    const p = PRICES[config.region];
    if (p === undefined) {
        throw new MissingPriceError(`no prices for region ${config.region} in tools/estimates/prices.ts (it has ${Object.keys(PRICES).join(", ")})`);
    }
    const capacity = nodeCapacity(resources, config, p);
    const lines = [
        ...resourceLines(resources, config, p),
        ...loadBalancerLines(resources, config, p),
        ...volumeLines(resources, p),
        ...capacityLines(capacity, p),
    ].sort(byCost);
    const usage = usageLines(resources, config, p).sort(byCost);
    return {
        total: sum(lines),
        lines,
        usage: { total: sum(usage), lines: usage, assumptions: { ...config.estimates } },
        capacity,
    };
}

/** The estimate's text: the total, the largest lines, the usage lines with their assumptions. */
export function costReport(estimate: CostEstimate, largest = 8): string[] {
    const out = [`Monthly cost (modeled, on-demand list prices): ${money(estimate.total)} fixed + ${money(estimate.usage.total)} usage`];
    const width = Math.max(...estimate.lines.map((l) => l.item.length), ...estimate.usage.lines.map((l) => l.item.length));
    for (const line of estimate.lines.slice(0, largest)) {
        out.push(`  ${line.item.padEnd(width)}  ${money(line.usd).padStart(10)}`);
    }
    const rest = estimate.lines.slice(largest);
    if (rest.length > 0) {
        out.push(`  ${`${rest.length} more lines`.padEnd(width)}  ${money(sum(rest)).padStart(10)}`);
    }
    out.push(
        `  Usage-based, at platform:estimates.* (${Object.entries(estimate.usage.assumptions)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}):`,
    );
    for (const line of estimate.usage.lines) {
        out.push(`  ${line.item.padEnd(width)}  ${money(line.usd).padStart(10)}`);
    }
    return out;
}
