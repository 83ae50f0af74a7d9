/**
 * The capacity Karpenter will launch for a stack, from what the pods it runs request: the applications'
 * Deployments at their autoscalers' minimum, and the releases whose pods run on workload nodes (every other
 * add-on is pinned to the system node group, which the node group's own line prices). The pods are packed
 * onto the instance type of the first NodePool's families in the price table that holds them for least
 * (as Karpenter picks the cheapest instances that fit), minus what every node keeps for itself, on at
 * least as many nodes as the zones the applications' zone spread needs.
 */
import type { PlatformConfig } from "../../config";
import type { InstancePrice, RegionPrices } from "./prices";

/** A resource as the estimator reads it. */
interface Resource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/**
 * What every workload node keeps from its pods: the kubelet's reserve on a 2-vCPU node of 29 pods
 * (EKS AL2023: 70m CPU; 255 MiB + 11 MiB a pod, and a 100 MiB eviction threshold) and the DaemonSets
 * that run on every node (Fluent Bit 100m/128Mi, kube-proxy 100m, the VPC CNI 25m, node-exporter,
 * the EBS CSI node plugin and the Pod Identity agent), rounded up.
 */
export const NODE_OVERHEAD = { cpu: 0.35, memoryGiB: 1.25 } as const;

/** The releases whose pods run on Karpenter's nodes: where their replica count and requests are. */
export const WORKLOAD_NODE_RELEASES: Readonly<Record<string, { readonly replicas: (values: unknown) => number; readonly requests: readonly string[] }>> = {
    // The trace collectors scale with the applications' traffic, so they run where Karpenter adds capacity.
    "opentelemetry-collector": {
        replicas: (v) => Number(at(v, ["autoscaling", "enabled"]) === true ? at(v, ["autoscaling", "minReplicas"]) : (at(v, ["replicaCount"]) ?? 1)),
        requests: ["resources", "requests"],
    },
};

/** What the capacity was estimated from and what it comes to. */
export interface CapacityEstimate {
    /** vCPUs requested by the pods on workload nodes. */
    readonly cpu: number;
    /** GiB requested. */
    readonly memoryGiB: number;
    /** The instance type priced. */
    readonly instanceType: string;
    /** Whether the pool runs spot. */
    readonly spot: boolean;
    /** Nodes. */
    readonly nodes: number;
    /** Each node's root volume, GiB. */
    readonly rootVolumeGiB: number;
}

function at(value: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** vCPUs of a CPU quantity ("250m", "1", 0.5). */
export function cpuOf(value: unknown): number {
    const text = String(value ?? "0");
    return text.endsWith("m") ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

/** GiB of a memory quantity ("256Mi", "1Gi", "512M"). */
export function memoryGiBOf(value: unknown): number {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|M|G)?$/.exec(String(value ?? "0"));
    if (match === null) {
        return 0;
    }
    const factor: Record<string, number> = { Ki: 1 / 1024 ** 2, Mi: 1 / 1024, Gi: 1, Ti: 1024, M: 1e6 / 1024 ** 3, G: 1e9 / 1024 ** 3 };
    return Number(match[1]) * (match[2] === undefined ? 1 / 1024 ** 3 : factor[match[2]]);
}

/** The pods on workload nodes: replicas and each replica's requests. */
export function workloadPods(resources: readonly Resource[]): { what: string; replicas: number; cpu: number; memoryGiB: number }[] {
    const pods: { what: string; replicas: number; cpu: number; memoryGiB: number }[] = [];
    const minimums = new Map<string, number>();
    for (const hpa of resources.filter((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
        const target = `${String(at(hpa.inputs, ["metadata", "namespace"]))}/${String(at(hpa.inputs, ["spec", "scaleTargetRef", "name"]))}`;
        minimums.set(target, Number(at(hpa.inputs, ["spec", "minReplicas"]) ?? 1));
    }
    for (const d of resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment")) {
        const namespace = String(at(d.inputs, ["metadata", "namespace"]));
        if (!namespace.startsWith("app-")) {
            continue;
        }
        const key = `${namespace}/${String(at(d.inputs, ["metadata", "name"]))}`;
        const containers = (at(d.inputs, ["spec", "template", "spec", "containers"]) ?? []) as Record<string, unknown>[];
        pods.push({
            what: key,
            replicas: minimums.get(key) ?? Number(at(d.inputs, ["spec", "replicas"]) ?? 1),
            cpu: containers.reduce((t, c) => t + cpuOf(at(c, ["resources", "requests", "cpu"])), 0),
            memoryGiB: containers.reduce((t, c) => t + memoryGiBOf(at(c, ["resources", "requests", "memory"])), 0),
        });
    }
    for (const r of resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release")) {
        const known = WORKLOAD_NODE_RELEASES[String(r.inputs.chart)];
        if (known === undefined) {
            continue;
        }
        const requests = at(r.inputs.values, known.requests);
        pods.push({
            what: `release ${String(r.inputs.name)}`,
            replicas: known.replicas(r.inputs.values),
            cpu: cpuOf(at(requests, ["cpu"])),
            memoryGiB: memoryGiBOf(at(requests, ["memory"])),
        });
    }
    return pods;
}

/** The instance types of the pool's families (or categories) that the price table has, x86 only when the pool is. */
function poolInstances(config: PlatformConfig, prices: RegionPrices): [string, InstancePrice][] {
    const pool = config.karpenter.nodePools[0];
    if (pool === undefined) {
        return [];
    }
    const allowed = (type: string) => {
        const family = type.split(".")[0];
        const arm = /^[a-z]+\d+g/.test(family);
        const archOk = arm ? pool.architectures.includes("arm64") : pool.architectures.includes("amd64");
        const inPool = pool.instanceFamilies.length > 0 ? pool.instanceFamilies.includes(family) : pool.instanceCategories.some((c) => family.startsWith(c));
        return archOk && inPool;
    };
    return Object.entries(prices.ec2).filter(([type]) => allowed(type));
}

/** The nodes Karpenter will launch for the plan's workload pods. */
export function nodeCapacity(resources: readonly Resource[], config: PlatformConfig, prices: RegionPrices): CapacityEstimate {
    const pods = workloadPods(resources);
    const cpu = Math.round(pods.reduce((t, p) => t + p.replicas * p.cpu, 0) * 1000) / 1000;
    const memoryGiB = Math.round(pods.reduce((t, p) => t + p.replicas * p.memoryGiB, 0) * 1000) / 1000;
    const pool = config.karpenter.nodePools[0];
    const candidates = poolInstances(config, prices);
    if (pods.length === 0 || pool === undefined || candidates.length === 0) {
        return { cpu, memoryGiB, instanceType: candidates[0]?.[0] ?? "none", spot: false, nodes: 0, rootVolumeGiB: pool?.diskSizeGiB ?? 0 };
    }
    // The applications spread over zones (DoNotSchedule): as many nodes as the zones their replicas need.
    const spread = Math.min(config.network.availabilityZones.length, Math.max(...pods.filter((p) => p.what.startsWith("app-")).map((p) => p.replicas), 1));
    const largest = { cpu: Math.max(...pods.map((p) => p.cpu)), memoryGiB: Math.max(...pods.map((p) => p.memoryGiB)) };
    // Karpenter launches the cheapest instances that hold the pending pods: the type that holds them all for least.
    const options = candidates
        .map(([type, instance]) => {
            const room = { cpu: instance.vcpu - NODE_OVERHEAD.cpu, memoryGiB: instance.memoryGiB - NODE_OVERHEAD.memoryGiB };
            if (room.cpu < largest.cpu || room.memoryGiB < largest.memoryGiB) {
                return undefined;
            }
            const nodes = Math.max(Math.ceil(Math.max(cpu / room.cpu, memoryGiB / room.memoryGiB) - 1e-9), spread);
            return { type, nodes, cost: nodes * instance.hourly };
        })
        .filter((o): o is { type: string; nodes: number; cost: number } => o !== undefined)
        .sort((a, b) => a.cost - b.cost || a.type.localeCompare(b.type));
    const best = options[0] ?? { type: candidates[0][0], nodes: 0, cost: 0 };
    return { cpu, memoryGiB, instanceType: best.type, spot: pool.capacityTypes.includes("spot"), nodes: best.nodes, rootVolumeGiB: pool.diskSizeGiB };
}
