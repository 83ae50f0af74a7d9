/**
 * The `karpenter.nodePools` key: Karpenter NodePools as a list of maps, each converted to a typed
 * {@link NodePoolConfig} and checked field by field (every problem names its field), then as a whole
 * (distinct names). The capacity rules that need other keys (apps, environment) are in ../rules/karpenter.
 */
import { objectList, show, text, type NestedProblem, type Parsed } from "../fields";
import { nearest } from "../suggest";
import { checkCron } from "./addons";

/** EC2 instance categories a pool may use (`karpenter.k8s.aws/instance-category`): general purpose, compute, memory, burstable, storage. */
export const INSTANCE_CATEGORIES = ["c", "m", "r", "t", "i", "d", "x"] as const;
/** One of {@link INSTANCE_CATEGORIES}. */
export type InstanceCategory = (typeof INSTANCE_CATEGORIES)[number];

/** CPU architectures (`kubernetes.io/arch`); the AL2023 alias has both. */
export const ARCHITECTURES = ["amd64", "arm64"] as const;
/** One of {@link ARCHITECTURES}. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** Karpenter's capacity types (`karpenter.sh/capacity-type`). */
export const KARPENTER_CAPACITY_TYPES = ["on-demand", "spot"] as const;
/** One of {@link KARPENTER_CAPACITY_TYPES}. */
export type KarpenterCapacityType = (typeof KARPENTER_CAPACITY_TYPES)[number];

/**
 * The EC2 Spot service-linked role (AWSServiceRoleForEC2Spot), without which EC2 refuses Karpenter's spot
 * launches (AuthFailure.ServiceLinkedRoleCreationNotPermitted, Karpenter's troubleshooting guide): "create"
 * it, it already "exists" in the account, or it is "unused" because no pool asks for spot.
 */
export const SPOT_SERVICE_LINKED_ROLE = ["create", "exists", "unused"] as const;
/** One of {@link SPOT_SERVICE_LINKED_ROLE}. */
export type SpotServiceLinkedRole = (typeof SPOT_SERVICE_LINKED_ROLE)[number];

/** When Karpenter may consolidate nodes away. */
export const CONSOLIDATION_POLICIES = ["WhenEmptyOrUnderutilized", "WhenEmpty"] as const;
/** One of {@link CONSOLIDATION_POLICIES}. */
export type ConsolidationPolicy = (typeof CONSOLIDATION_POLICIES)[number];

/** Upper bounds of a pool's limits: a typo (an extra zero) is refused rather than bought. */
export const MAX_POOL_CPU = 2000;
/** See {@link MAX_POOL_CPU}. */
export const MAX_POOL_MEMORY_GIB = 8000;
/** The longest `expireAfter`: nodes older than 90 days would run AMIs and kernels far behind. */
export const MAX_EXPIRE_AFTER_HOURS = 2160;

/** A window in which Karpenter disrupts no node of the pool (a budget of 0 nodes). */
export interface NoDisruptionWindow {
    /** Cron expression (UTC) of the window's start. */
    readonly schedule: string;
    /** How long the window lasts, such as "8h" or "1h30m". */
    readonly duration: string;
}

/** One Karpenter NodePool. */
export interface NodePoolConfig {
    /** Name of the NodePool, unique in the stack. */
    readonly name: string;
    /** Instance categories (c, m, r, ...). */
    readonly instanceCategories: readonly InstanceCategory[];
    /** Instance families (m7i, c6a, ...) within those categories; empty: every family of the categories. */
    readonly instanceFamilies: readonly string[];
    /** CPU architectures. */
    readonly architectures: readonly Architecture[];
    /** Capacity types; with both, Karpenter prefers spot and falls back to on-demand. */
    readonly capacityTypes: readonly KarpenterCapacityType[];
    /** Most vCPUs of all the pool's nodes together (a bound on spend). */
    readonly cpuLimit: number;
    /** Most memory of all the pool's nodes together, GiB. */
    readonly memoryLimitGiB: number;
    /** When nodes may be consolidated. */
    readonly consolidationPolicy: ConsolidationPolicy;
    /** How long after a node became empty or underutilized Karpenter consolidates it, such as "5m". */
    readonly consolidateAfter: string;
    /** Age after which a node is replaced (so nodes roll to new AMIs), such as "720h". */
    readonly expireAfter: string;
    /** Most nodes disrupted at once, a count ("2") or a share ("10%"). */
    readonly disruptionBudget: string;
    /** A window without voluntary disruption (consolidation, drift, expiry wait for its end). */
    readonly noDisruptionWindow?: NoDisruptionWindow;
    /** Root volume size in GiB. */
    readonly diskSizeGiB: number;
}

const FIELDS = [
    "name",
    "instanceCategories",
    "instanceFamilies",
    "architectures",
    "capacityTypes",
    "cpuLimit",
    "memoryLimitGiB",
    "consolidationPolicy",
    "consolidateAfter",
    "expireAfter",
    "disruptionBudget",
    "noDisruptionWindow",
    "diskSizeGiB",
];
const NAME = /^[a-z][a-z0-9-]{0,29}$/;
// A family: category letters, a generation digit, then attribute letters (m7i, c6gn, r7iz, m5dn).
const FAMILY = /^([a-z]+?)(\d+)([a-z0-9-]*)$/;
// Graviton families carry a "g" right after the generation digit (m7g, c7gn, r6gd, t4g).
const ARM_FAMILY = /^[a-z]+\d+g/;
// Karpenter's CRD patterns: durations of expireAfter/consolidateAfter, and a budget's duration and nodes.
const DURATION = /^([0-9]+(s|m|h))+$/;
const WINDOW_DURATION = /^(([0-9]+(h|m))|([0-9]+h[0-9]+m))$/;
const BUDGET_NODES = /^((100|[0-9]{1,2})%|[0-9]+)$/;

/** Hours of a duration of {@link DURATION} (seconds and minutes as fractions). */
export function durationHours(text: string): number {
    let hours = 0;
    for (const [, n, unit] of text.matchAll(/([0-9]+)(s|m|h)/g)) {
        hours += Number(n) / (unit === "h" ? 1 : unit === "m" ? 60 : 3600);
    }
    return hours;
}

function stringList(value: unknown): string[] | undefined {
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") && new Set(value).size === value.length
        ? (value as string[])
        : undefined;
}

/** The category a family belongs to: its leading letters (`m` of m7i, `x` of x2idn), undefined if it is no family name. */
export function familyCategory(family: string): string | undefined {
    return FAMILY.exec(family)?.[1];
}

/**
 * Converts and checks one NodePool map; problems are phrased after the list ("has the node pool ...").
 * Every bad field is reported, each at its path (`.cpuLimit`).
 */
export function parseNodePool(raw: Readonly<Record<string, unknown>>, index: number): Parsed<NodePoolConfig> {
    if (typeof raw.name !== "string" || !NAME.test(raw.name)) {
        const named = raw.name === undefined ? `node pool #${index + 1} without a name` : `node pool #${index + 1} named ${show(raw.name)}`;
        return { field: "name", problem: `has the ${named}; expected a name of 1 to 30 lowercase letters, digits and hyphens, starting with a letter` };
    }
    const problems: NestedProblem[] = [];
    const fail = (field: string, what: string) => problems.push({ path: `.${field}`, problem: `has the node pool ${show(raw.name)} with ${what}` });
    for (const unknown of Object.keys(raw).filter((k) => !FIELDS.includes(k))) {
        const suggestion = nearest(unknown, FIELDS);
        fail(unknown, `the unknown field ${show(unknown)}; ${suggestion ? `did you mean ${show(suggestion)}?` : `expected fields: ${FIELDS.join(", ")}`}`);
    }
    const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: readonly T[]): T[] => {
        const items = stringList(value ?? fallback);
        if (items === undefined || items.some((i) => !(allowed as readonly string[]).includes(i))) {
            fail(field, `${field} ${show(value)}; expected a list of distinct values from: ${allowed.join(", ")}`);
            return [];
        }
        return items as T[];
    };
    const categories = oneOf("instanceCategories", raw.instanceCategories, INSTANCE_CATEGORIES, ["c", "m", "r"]);
    const architectures = oneOf("architectures", raw.architectures, ARCHITECTURES, ["amd64"]);
    const capacityTypes = oneOf("capacityTypes", raw.capacityTypes, KARPENTER_CAPACITY_TYPES, ["on-demand"]);
    const families = raw.instanceFamilies === undefined ? [] : stringList(raw.instanceFamilies);
    if (families === undefined) {
        fail("instanceFamilies", `instanceFamilies ${show(raw.instanceFamilies)}; expected a list of distinct EC2 instance families such as "m7i", or none`);
    } else {
        for (const family of families) {
            const category = familyCategory(family);
            if (category === undefined) {
                fail(
                    "instanceFamilies",
                    `the instance family ${show(family)}; expected a family name such as "m7i" or "c6a" (no size: "m7i", not "m7i.large")`,
                );
            } else if (categories.length > 0 && !(categories as string[]).includes(category)) {
                fail(
                    "instanceFamilies",
                    `the instance family ${show(family)} of category ${show(category)}, which is not in instanceCategories ${show(categories)}; expected families of those categories, or add ${show(category)} to instanceCategories`,
                );
            } else if (architectures.length > 0 && ARM_FAMILY.test(family) !== architectures.includes("arm64")) {
                const arm = ARM_FAMILY.test(family);
                fail(
                    "instanceFamilies",
                    `the instance family ${show(family)}, ${arm ? "an Arm (Graviton) family" : "an x86_64 family"}, which no architecture of ${show(architectures)} runs; expected ${arm ? 'architectures with "arm64"' : 'architectures with "amd64"'} or another family`,
                );
            }
        }
    }
    const limit = (field: string, max: number, unit: string): number => {
        const value = raw[field];
        if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
            fail(field, `${field} ${show(value)}; expected a whole number of ${unit} from 1 to ${max} (the pool's ceiling, a bound on spend; required)`);
            return 0;
        }
        return value;
    };
    const cpuLimit = limit("cpuLimit", MAX_POOL_CPU, "vCPUs");
    const memoryLimitGiB = limit("memoryLimitGiB", MAX_POOL_MEMORY_GIB, "GiB");
    if (cpuLimit > 0 && memoryLimitGiB > 0 && memoryLimitGiB < cpuLimit) {
        fail(
            "memoryLimitGiB",
            `memoryLimitGiB ${memoryLimitGiB} below cpuLimit ${cpuLimit}; expected at least 1 GiB per vCPU (no instance of these categories has less)`,
        );
    }
    const consolidationPolicy = raw.consolidationPolicy ?? "WhenEmptyOrUnderutilized";
    if (!(CONSOLIDATION_POLICIES as readonly unknown[]).includes(consolidationPolicy)) {
        fail("consolidationPolicy", `consolidationPolicy ${show(consolidationPolicy)}; expected one of: ${CONSOLIDATION_POLICIES.join(", ")}`);
    }
    const consolidateAfter = raw.consolidateAfter ?? "5m";
    if (typeof consolidateAfter !== "string" || !DURATION.test(consolidateAfter)) {
        fail("consolidateAfter", `consolidateAfter ${show(consolidateAfter)}; expected a duration such as "30s", "5m" or "1h"`);
    }
    const expireAfter = raw.expireAfter ?? "720h";
    if (
        typeof expireAfter !== "string" ||
        !DURATION.test(expireAfter) ||
        durationHours(expireAfter) > MAX_EXPIRE_AFTER_HOURS ||
        durationHours(expireAfter) < 1
    ) {
        fail(
            "expireAfter",
            `expireAfter ${show(expireAfter)}; expected a duration from "1h" to "${MAX_EXPIRE_AFTER_HOURS}h" such as "720h" (nodes roll to new AMIs; "Never" is not allowed)`,
        );
    }
    const disruptionBudget = raw.disruptionBudget ?? "10%";
    if (typeof disruptionBudget !== "string" || !BUDGET_NODES.test(disruptionBudget)) {
        fail("disruptionBudget", `disruptionBudget ${show(disruptionBudget)}; expected a node count such as "1" or a share such as "10%", in quotes`);
    }
    let window: NoDisruptionWindow | undefined;
    const rawWindow = raw.noDisruptionWindow as Record<string, unknown> | undefined;
    if (rawWindow !== undefined) {
        const valid =
            typeof rawWindow === "object" &&
            rawWindow !== null &&
            typeof rawWindow.schedule === "string" &&
            typeof rawWindow.duration === "string" &&
            Object.keys(rawWindow).every((k) => k === "schedule" || k === "duration");
        const cron = valid ? checkCron(rawWindow.schedule as string) : undefined;
        if (!valid || !WINDOW_DURATION.test(rawWindow.duration as string)) {
            fail(
                "noDisruptionWindow",
                `noDisruptionWindow ${show(rawWindow)}; expected a map {schedule, duration} such as {schedule: "0 8 * * mon-fri", duration: "10h"} (a duration in h and m)`,
            );
        } else if (cron !== undefined) {
            fail("noDisruptionWindow.schedule", `noDisruptionWindow.schedule ${show(rawWindow.schedule)}, which ${cron}`);
        } else {
            window = { schedule: (rawWindow.schedule as string).trim(), duration: rawWindow.duration as string };
        }
    }
    const diskSizeGiB = raw.diskSizeGiB ?? 50;
    // 20 GiB is the size of the AL2023 EKS AMI's root snapshot; 16 TiB is the gp3 maximum.
    if (typeof diskSizeGiB !== "number" || !Number.isInteger(diskSizeGiB) || diskSizeGiB < 20 || diskSizeGiB > 16384) {
        fail("diskSizeGiB", `diskSizeGiB ${show(diskSizeGiB)}; expected a whole number from 20 to 16384`);
    }
    if (problems.length > 0) {
        return { problem: problems[0].problem, problems };
    }
    return {
        value: {
            name: raw.name,
            instanceCategories: categories,
            instanceFamilies: families ?? [],
            architectures,
            capacityTypes,
            cpuLimit,
            memoryLimitGiB,
            consolidationPolicy: consolidationPolicy as ConsolidationPolicy,
            consolidateAfter: consolidateAfter as string,
            expireAfter: expireAfter as string,
            disruptionBudget: disruptionBudget as string,
            ...(window === undefined ? {} : { noDisruptionWindow: window }),
            diskSizeGiB: diskSizeGiB as number,
        },
    };
}

/** Whole-list rule: distinct names. */
export function checkNodePools(pools: readonly NodePoolConfig[]): string | undefined {
    const names = pools.map((p) => p.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    return duplicate === undefined ? undefined : `has two node pools named ${show(duplicate)}; expected distinct names`;
}

const DESCRIPTION =
    "Karpenter NodePools: the workload capacity, launched in the private subnets of every AZ of the stack on the AL2023 AMI of versions.ts. Each map: name, instanceCategories (default [c, m, r]), " +
    "instanceFamilies (families of those categories such as m7i; default: all), architectures (amd64|arm64, default [amd64]), capacityTypes (on-demand|spot, default [on-demand]; prod: on-demand in every pool), " +
    "cpuLimit (vCPUs) and memoryLimitGiB (required: the bound on spend; prod: together they hold every application's replicas.max x requests), consolidationPolicy (WhenEmptyOrUnderutilized|WhenEmpty), " +
    'consolidateAfter (default 5m), expireAfter (default 720h, at most 2160h), disruptionBudget (nodes disrupted at once, default "10%"), noDisruptionWindow ({schedule: cron UTC, duration: e.g. 10h}: no voluntary disruption then), diskSizeGiB (default 50).';

/** The Karpenter keys. */
export const karpenterKeys = {
    "karpenter.nodePools": objectList<NodePoolConfig>({
        description: DESCRIPTION,
        typeName:
            "list of node pools (maps with name, instanceCategories, instanceFamilies, architectures, capacityTypes, cpuLimit, memoryLimitGiB, consolidationPolicy, consolidateAfter, expireAfter, disruptionBudget, noDisruptionWindow, diskSizeGiB)",
        item: parseNodePool,
        check: checkNodePools,
        default: [
            {
                name: "general",
                instanceCategories: ["c", "m", "r"],
                instanceFamilies: [],
                architectures: ["amd64"],
                capacityTypes: ["on-demand"],
                cpuLimit: 32,
                memoryLimitGiB: 128,
                consolidationPolicy: "WhenEmptyOrUnderutilized",
                consolidateAfter: "5m",
                expireAfter: "720h",
                disruptionBudget: "10%",
                diskSizeGiB: 50,
            },
        ],
    }),
    "karpenter.spotServiceLinkedRole": text<SpotServiceLinkedRole>({
        description:
            'Whether the account has the EC2 Spot service-linked role AWSServiceRoleForEC2Spot, without which EC2 refuses every spot launch: "exists" if `aws iam get-role --role-name AWSServiceRoleForEC2Spot` finds it, "create" if that answers NoSuchEntity (the program creates it before the node pools and keeps it on destroy: it is the account\'s one role of that name), "unused" when no node pool has spot in capacityTypes. Exactly one stack per account says "create".',
        oneOf: SPOT_SERVICE_LINKED_ROLE,
        default: "unused",
    }),
};
