/**
 * Cross-key rules of Karpenter's NodePools, checked after every key has parsed on its own: there is
 * workload capacity somewhere, and in prod the pools are on-demand and can hold every application at its
 * autoscaler's maximum.
 */
import { show } from "../fields";
import { cpuToMillis, memoryToMi } from "../keys/apps";
import type { ProblemList } from "../rules";
import type { ConfigValues } from "../schema";

/** The vCPUs and GiB every application needs at its HPA maximum (replicas.max x requests). */
export function peakAppDemand(values: ConfigValues): { cpu: number; memoryGiB: number } {
    let millis = 0;
    let mebibytes = 0;
    for (const app of values.apps) {
        millis += app.maxReplicas * cpuToMillis(app.resources.cpuRequest);
        mebibytes += app.maxReplicas * memoryToMi(app.resources.memoryRequest);
    }
    return { cpu: millis / 1000, memoryGiB: mebibytes / 1024 };
}

/** Applications need nodes to run on (a workload node group or a NodePool), and spot pools the Spot service-linked role. */
export function checkKarpenterRules(values: ConfigValues, problems: ProblemList): void {
    const pools = values["karpenter.nodePools"];
    if (pools.length === 0 && !values["eks.nodeGroups"].some((g) => g.purpose === "workload")) {
        problems.add(
            "karpenter.nodePools",
            '[] leaves applications without nodes, as platform:eks.nodeGroups has no group with purpose "workload"; expected at least one node pool (or a workload node group)',
        );
    }
    checkSpotServiceLinkedRole(values, problems);
}

/** A pool with spot capacity needs the account's Spot service-linked role, made by the program or already there. */
export function checkSpotServiceLinkedRole(values: ConfigValues, problems: ProblemList): void {
    const spotPools = values["karpenter.nodePools"].filter((pool) => pool.capacityTypes.includes("spot")).map((pool) => pool.name);
    if (spotPools.length > 0 && values["karpenter.spotServiceLinkedRole"] === "unused") {
        problems.add(
            "karpenter.spotServiceLinkedRole",
            `is "unused" while the node pool${spotPools.length > 1 ? "s" : ""} ${spotPools.map((n) => show(n)).join(", ")} ha${spotPools.length > 1 ? "ve" : "s"} spot in capacityTypes, and EC2 refuses spot launches without AWSServiceRoleForEC2Spot; expected "create" if \`aws iam get-role --role-name AWSServiceRoleForEC2Spot\` answers NoSuchEntity, else "exists"`,
        );
    }
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * What prod requires of the pools: on-demand capacity in every pool (spot may be added), and limits that
 * hold every application at its HPA maximum, or the autoscaler's maximum is a number on paper.
 */
export function checkKarpenterProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    const pools = values["karpenter.nodePools"];
    for (const pool of pools) {
        if (!pool.capacityTypes.includes("on-demand")) {
            problems.add(
                "karpenter.nodePools",
                `has the node pool ${show(pool.name)} with capacityTypes ${show(pool.capacityTypes)}, which is not allowed in prod; expected "on-demand" among them (spot may be added: a spot reclaim must not leave an application without nodes)`,
            );
        }
    }
    if (pools.length === 0) {
        return;
    }
    const demand = peakAppDemand(values);
    const cpu = pools.reduce((sum, p) => sum + p.cpuLimit, 0);
    const memory = pools.reduce((sum, p) => sum + p.memoryLimitGiB, 0);
    if (demand.cpu > cpu) {
        problems.add(
            "karpenter.nodePools",
            `has cpuLimit ${cpu} in all, below the ${round(demand.cpu)} vCPUs the applications request at their replicas.max (platform:apps); expected cpuLimit of at least ${Math.ceil(demand.cpu)} across the pools, plus room for DaemonSets and bin packing`,
        );
    }
    if (demand.memoryGiB > memory) {
        problems.add(
            "karpenter.nodePools",
            `has memoryLimitGiB ${memory} in all, below the ${round(demand.memoryGiB)} GiB the applications request at their replicas.max (platform:apps); expected memoryLimitGiB of at least ${Math.ceil(demand.memoryGiB)} across the pools, plus room for DaemonSets and bin packing`,
        );
    }
}
