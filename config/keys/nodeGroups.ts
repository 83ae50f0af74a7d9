/**
 * The `eks.nodeGroups` key: managed node groups as a list of maps, each converted to a typed
 * {@link NodeGroupConfig} and checked field by field, then as a whole (one system group, distinct names).
 */
import { objectList, show, type NestedProblem, type Parsed } from "../fields";
import { nearest } from "../suggest";

/** What a node group is for: `system` runs the platform add-ons, `workload` runs applications. */
export const NODE_PURPOSES = ["system", "workload"] as const;
/** One of {@link NODE_PURPOSES}. */
export type NodePurpose = (typeof NODE_PURPOSES)[number];

/** How EC2 capacity is bought (the EKS API's names). */
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
/** One of {@link CAPACITY_TYPES}. */
export type CapacityType = (typeof CAPACITY_TYPES)[number];

/** Taint effects, as the EKS node group API names them. */
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
/** One of {@link TAINT_EFFECTS}. */
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

/** The node label the program sets from `purpose`; add-ons select system nodes with it. */
export const NODE_PURPOSE_LABEL = "platform/node-purpose";

/** The only taint a system group may carry: the platform add-ons (and CoreDNS, EBS CSI) tolerate it. */
export const SYSTEM_TAINT_KEY = "CriticalAddonsOnly";

/** Upper bound of a group's size: the EKS quota "nodes per managed node group". */
export const MAX_NODES_PER_GROUP = 450;

/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
    readonly key: string;
    readonly value?: string;
    readonly effect: TaintEffect;
}

/** One managed node group. */
export interface NodeGroupConfig {
    /** Short name, unique in the stack; part of the EKS node group name. */
    readonly name: string;
    /** What the group runs. */
    readonly purpose: NodePurpose;
    /** EC2 instance types (x86_64); several spread spot capacity over pools. */
    readonly instanceTypes: readonly string[];
    /** On-demand or spot. */
    readonly capacityType: CapacityType;
    /** Fewest nodes. */
    readonly minSize: number;
    /** Nodes to run now. */
    readonly desiredSize: number;
    /** Most nodes. */
    readonly maxSize: number;
    /** Root volume size in GiB. */
    readonly diskSizeGiB: number;
    /** Extra Kubernetes labels on every node. */
    readonly labels: Readonly<Record<string, string>>;
    /** Taints on every node. */
    readonly taints: readonly NodeTaint[];
}

const FIELDS = ["name", "purpose", "instanceTypes", "capacityType", "minSize", "desiredSize", "maxSize", "diskSizeGiB", "labels", "taints"];
const NAME = /^[a-z][a-z0-9-]{0,19}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
// Graviton families carry a "g" right after the generation digit (m7g, c7gn, r6gd, t4g, im4gn).
const ARM_INSTANCE_TYPE = /^[a-z]+\d+g[a-z0-9-]*\./;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
// The NodeRestriction admission plugin stops kubelets from setting these; nodes would fail to register.
const KUBELET_RESERVED_PREFIX = /(^|\.)(kubernetes\.io|k8s\.io)$/;

function checkLabelKey(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = key.slice(slash + 1);
    if (!LABEL_NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix)))) {
        return "is not a valid label key; expected an optional DNS prefix and a name of up to 63 letters, digits, - _ .";
    }
    if (prefix !== undefined && KUBELET_RESERVED_PREFIX.test(prefix)) {
        return "uses a prefix the kubelet may not set; expected a key outside kubernetes.io and k8s.io";
    }
    if (key === NODE_PURPOSE_LABEL) {
        return "is set by the program from purpose; expected another key";
    }
    return undefined;
}

function checkLabelValue(value: string): string | undefined {
    return LABEL_VALUE.test(value) ? undefined : "is not a valid label value; expected up to 63 letters, digits, - _ . (starting and ending alphanumeric)";
}

function wholeNumber(value: unknown, min: number, max: number): number | string {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        return `${show(value)}; expected a whole number from ${min} to ${max}`;
    }
    return value;
}

function parseLabels(value: unknown): Record<string, string> | string {
    if (typeof value !== "object" || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== "string")) {
        return `labels ${show(value)}; expected a map of strings`;
    }
    for (const [k, v] of Object.entries(value as Record<string, string>)) {
        const problem = checkLabelKey(k) ?? checkLabelValue(v);
        if (problem) {
            return `the label ${show(k)}: ${show(v)}, which ${problem}`;
        }
    }
    return value as Record<string, string>;
}

function parseTaints(value: unknown): NodeTaint[] | string {
    if (!Array.isArray(value) || value.length > 50) {
        return `taints ${show(value)}; expected a list of at most 50 maps with key, value and effect`;
    }
    const taints: NodeTaint[] = [];
    for (const taint of value as unknown[]) {
        const t = taint as Record<string, unknown>;
        const valid =
            typeof t === "object" &&
            t !== null &&
            typeof t.key === "string" &&
            checkLabelKey(t.key) === undefined &&
            (t.value === undefined || (typeof t.value === "string" && checkLabelValue(t.value) === undefined)) &&
            (TAINT_EFFECTS as readonly unknown[]).includes(t.effect) &&
            Object.keys(t).every((k) => ["key", "value", "effect"].includes(k));
        if (!valid) {
            return `the taint ${show(taint)}; expected a map with a label-style key, an optional value and an effect of ${TAINT_EFFECTS.join(", ")}`;
        }
        taints.push({ key: t.key as string, ...(t.value === undefined ? {} : { value: t.value as string }), effect: t.effect as TaintEffect });
    }
    return taints;
}

/**
 * Converts and checks one node group map; problems are phrased after the list ("has the node group
 * ..."). Every bad field is reported, each at its path (`.minSize`); the size order is checked once
 * the sizes themselves are valid.
 */
export function parseNodeGroup(raw: Readonly<Record<string, unknown>>, index: number): Parsed<NodeGroupConfig> {
    if (typeof raw.name !== "string" || !NAME.test(raw.name)) {
        const named = raw.name === undefined ? `node group #${index + 1} without a name` : `node group #${index + 1} named ${show(raw.name)}`;
        return { field: "name", problem: `has the ${named}; expected a name of 1 to 20 lowercase letters, digits and hyphens, starting with a letter` };
    }
    const problems: NestedProblem[] = [];
    const fail = (field: string, what: string) => {
        problems.push({ path: `.${field}`, problem: `has the node group ${show(raw.name)} with ${what}` });
    };
    for (const unknown of Object.keys(raw).filter((k) => !FIELDS.includes(k))) {
        const suggestion = nearest(unknown, FIELDS);
        fail(unknown, `the unknown field ${show(unknown)}; ${suggestion ? `did you mean ${show(suggestion)}?` : `expected fields: ${FIELDS.join(", ")}`}`);
    }
    const purpose = raw.purpose ?? "workload";
    if (!(NODE_PURPOSES as readonly unknown[]).includes(purpose)) {
        fail("purpose", `purpose ${show(purpose)}; expected one of: ${NODE_PURPOSES.join(", ")}`);
    }
    const capacityType = raw.capacityType ?? "ON_DEMAND";
    if (!(CAPACITY_TYPES as readonly unknown[]).includes(capacityType)) {
        fail("capacityType", `capacityType ${show(capacityType)}; expected one of: ${CAPACITY_TYPES.join(", ")}`);
    }
    const types = raw.instanceTypes;
    if (!Array.isArray(types) || types.length < 1 || types.length > 20 || types.some((t) => typeof t !== "string" || !INSTANCE_TYPE.test(t))) {
        fail("instanceTypes", `instanceTypes ${show(types)}; expected a list of 1 to 20 EC2 instance types such as "m6i.large"`);
    } else {
        const arm = (types as string[]).find((t) => ARM_INSTANCE_TYPE.test(t));
        if (arm !== undefined) {
            fail("instanceTypes", `the instance type ${show(arm)}, an Arm (Graviton) type; expected x86_64 types (the nodes run the AL2023 x86_64 AMI)`);
        }
    }
    const sizes: Record<"minSize" | "desiredSize" | "maxSize", number> = { minSize: 0, desiredSize: 0, maxSize: 0 };
    let sizesValid = true;
    for (const field of ["minSize", "desiredSize", "maxSize"] as const) {
        const size = wholeNumber(raw[field], field === "maxSize" ? 1 : 0, MAX_NODES_PER_GROUP);
        if (typeof size === "string") {
            fail(field, `${field} ${size}`);
            sizesValid = false;
        } else {
            sizes[field] = size;
        }
    }
    if (sizesValid && sizes.minSize > sizes.maxSize) {
        fail("minSize", `minSize ${sizes.minSize} greater than maxSize ${sizes.maxSize}; expected minSize <= desiredSize <= maxSize`);
    } else if (sizesValid && (sizes.desiredSize < sizes.minSize || sizes.desiredSize > sizes.maxSize)) {
        fail(
            "desiredSize",
            `desiredSize ${sizes.desiredSize} outside minSize ${sizes.minSize} to maxSize ${sizes.maxSize}; expected minSize <= desiredSize <= maxSize`,
        );
    }
    // 20 GiB is the size of the AL2023 EKS AMI's root snapshot; 16 TiB is the gp3 maximum.
    const diskSizeGiB = wholeNumber(raw.diskSizeGiB ?? 50, 20, 16384);
    if (typeof diskSizeGiB === "string") {
        fail("diskSizeGiB", `diskSizeGiB ${diskSizeGiB}`);
    }
    const labels = parseLabels(raw.labels ?? {});
    if (typeof labels === "string") {
        fail("labels", labels);
    }
    const taints = parseTaints(raw.taints ?? []);
    if (typeof taints === "string") {
        fail("taints", taints);
    }
    if (problems.length > 0 || typeof diskSizeGiB === "string" || typeof labels === "string" || typeof taints === "string") {
        return { problem: problems[0].problem, problems };
    }
    return {
        value: {
            name: raw.name,
            purpose: purpose as NodePurpose,
            instanceTypes: types as string[],
            capacityType: capacityType as CapacityType,
            ...sizes,
            diskSizeGiB,
            labels,
            taints,
        },
    };
}

/** Whole-list rules: distinct names, exactly one system group that only the add-ons' taint keeps others off. */
export function checkNodeGroups(groups: readonly NodeGroupConfig[]): string | undefined {
    const names = groups.map((g) => g.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
        return `has two node groups named ${show(duplicate)}; expected distinct names`;
    }
    const system = groups.filter((g) => g.purpose === "system");
    if (system.length !== 1) {
        const which = system.length === 0 ? "no node group" : `${system.length} node groups (${system.map((g) => show(g.name)).join(", ")})`;
        return `has ${which} with purpose "system"; expected exactly one, for the platform add-ons`;
    }
    const foreignTaint = system[0].taints.find((t) => t.key !== SYSTEM_TAINT_KEY);
    if (foreignTaint !== undefined) {
        return `has the system group ${show(system[0].name)} with the taint ${show(foreignTaint.key)}; expected no taint other than ${SYSTEM_TAINT_KEY}, which the platform add-ons tolerate`;
    }
    // Workload groups are optional: Karpenter's NodePools can hold all workload capacity (config/rules/karpenter.ts
    // requires one or the other).
    return undefined;
}

/** The node group fields, for the key's description. */
const DESCRIPTION =
    "Managed node groups, in the private subnets of every AZ. Each map: name (1-20 of a-z 0-9 -), purpose (system|workload; exactly one system group, for the platform add-ons and Karpenter; workload groups are optional when platform:karpenter.nodePools has pools), " +
    `instanceTypes (x86_64), capacityType (ON_DEMAND|SPOT), minSize, desiredSize, maxSize, diskSizeGiB (default 50), labels, taints ({key, value, effect}; the system group only ${SYSTEM_TAINT_KEY}). ` +
    "prod: the system group is ON_DEMAND with at least 2 nodes.";

/** The `eks.nodeGroups` key. */
export const nodeGroupsField = objectList<NodeGroupConfig>({
    description: DESCRIPTION,
    typeName: "list of node groups (maps with name, purpose, instanceTypes, capacityType, minSize, desiredSize, maxSize, diskSizeGiB, labels, taints)",
    item: parseNodeGroup,
    check: checkNodeGroups,
    default: [
        {
            name: "system",
            purpose: "system",
            instanceTypes: ["m6i.large"],
            capacityType: "ON_DEMAND",
            minSize: 2,
            desiredSize: 2,
            maxSize: 3,
            diskSizeGiB: 50,
            labels: {},
            taints: [{ key: SYSTEM_TAINT_KEY, value: "true", effect: "NO_SCHEDULE" }],
        },
    ],
});
