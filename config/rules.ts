/**
 * Rules that involve more than one key, checked after every key has parsed on its own.
 */
import { contains, defaultSubnetLayout, formatCidr, overlaps, parseCidr, type Cidr, type SubnetLayout } from "./cidr";
import { show, type ConfigProblem } from "./fields";
import { PROJECT, type ConfigKey, type ConfigValues } from "./schema";
import type { UncheckedConfig } from "./unknown";

const SUBNET_KEYS = {
    public: "network.publicSubnetCidrs",
    private: "network.privateSubnetCidrs",
    database: "network.databaseSubnetCidrs",
} as const satisfies Record<keyof SubnetLayout, ConfigKey>;

/** Collects problems for one run; every message starts with the full key. */
export class ProblemList {
    /** The problems so far, in the order found. */
    readonly items: ConfigProblem[] = [];

    /** Checks skipped because a value they need is unknown offline (unknown.ts), in the order skipped. */
    readonly unchecked: UncheckedConfig[] = [];

    /**
     * Records a problem with `key` (a bare platform key or a namespaced one such as `aws:region`), at
     * `path` inside a structured value (`[1].port`) when given.
     */
    add(key: string, message: string, path = ""): void {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        this.items.push({ key: fullKey, message: `${fullKey}${path}: ${message}` });
    }

    /** Records that `check` of `key` was skipped: the value it needs is unknown offline. */
    skip(key: string, check: string): void {
        this.unchecked.push({ key: key.includes(":") ? key : `${PROJECT}:${key}`, check });
    }
}

/**
 * Resolves the subnet CIDRs of each tier (explicit from config, or carved from the VPC CIDR) and checks
 * that every list has one CIDR per AZ, every subnet lies inside the VPC and no two subnets overlap.
 */
export function resolveSubnets(values: ConfigValues, problems: ProblemList): SubnetLayout {
    const vpc = parseCidr(values["network.cidr"]) as Cidr;
    const azCount = values["network.availabilityZones"].length;
    const layout: Record<keyof SubnetLayout, string[]> = defaultSubnetLayout(vpc, azCount);
    const placed: { key: string; text: string; cidr: Cidr }[] = [];
    for (const [tier, key] of Object.entries(SUBNET_KEYS) as [keyof SubnetLayout, ConfigKey][]) {
        const configured = values[key] as readonly string[];
        if (configured.length === 0) {
            layout[tier].forEach((text) => placed.push({ key, text, cidr: parseCidr(text) as Cidr }));
            continue;
        }
        if (configured.length !== azCount) {
            problems.add(
                key,
                `${show(configured)} has ${configured.length} CIDRs; expected one per availability zone (${azCount}, as in network.availabilityZones)`,
            );
            continue;
        }
        layout[tier] = [...configured];
        for (const text of configured) {
            const cidr = parseCidr(text) as Cidr;
            if (!contains(vpc, cidr)) {
                problems.add(key, `${show(text)} is outside the VPC; expected a block inside network.cidr ${formatCidr(vpc)}`);
            }
            placed.push({ key, text, cidr });
        }
    }
    for (let i = 0; i < placed.length; i++) {
        for (let j = i + 1; j < placed.length; j++) {
            if (overlaps(placed[i].cidr, placed[j].cidr)) {
                const other = placed[i].key === placed[j].key ? "another subnet of the same list" : `${placed[i].text} of ${PROJECT}:${placed[i].key}`;
                problems.add(placed[j].key, `${show(placed[j].text)} overlaps ${other}; expected subnets that do not overlap`);
            }
        }
    }
    return layout;
}

/** Availability zones must be in the stack's region. */
export function checkZonesInRegion(values: ConfigValues, region: string, problems: ProblemList): void {
    for (const az of values["network.availabilityZones"]) {
        if (!(az.startsWith(region) && az.length === region.length + 1)) {
            problems.add("network.availabilityZones", `${show(az)} is not in aws:region ${show(region)}; expected zones named ${region}a, ${region}b, ...`);
        }
    }
}

/** What prod requires on top of each key's own rules: high availability and data protection. */
export function checkProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    const azs = values["network.availabilityZones"];
    if (azs.length < 3) {
        problems.add("network.availabilityZones", `${show(azs)} has ${azs.length} zones; prod expects at least 3 so that it survives the loss of one`);
    }
    if (values["network.natGateways"] !== "perAz") {
        problems.add("network.natGateways", `${show(values["network.natGateways"])} is not allowed in prod; expected "perAz" (a NAT gateway in every AZ)`);
    }
    if (values["logs.retentionDays"] < 365) {
        problems.add(
            "logs.retentionDays",
            `${values["logs.retentionDays"]} is too short for prod; expected at least 365 (flow, audit and control-plane logs are kept a year)`,
        );
    }
    if (!values.protect) {
        problems.add("protect", "false is not allowed in prod; expected true (stateful resources must be protected against pulumi destroy)");
    }
}
