/**
 * The plans the reality checks run over: both stacks, prod with the optional data resources, and prod moved
 * into the other partitions (their ARNs, principals and endpoints differ).
 */
import { PARTITION_REGIONS, movedProdConfig, planConfig, planWith, sharedPlan, type Plan } from "../harness";

/** Each plan with a label for the test title; built lazily, in the test that uses it. */
export function realityPlans(): [string, () => Promise<Plan>][] {
    return [
        ["dev", () => sharedPlan("dev")],
        ["prod", () => sharedPlan("prod")],
        ["prod with read replicas and an RDS Proxy", () => planWith("prod", { "platform:database.readReplicas": 1, "platform:database.proxy": true })],
        ...PARTITION_REGIONS.map(({ partition, region, replicaRegion }): [string, () => Promise<Plan>] => [
            `prod in ${region} (${partition})`,
            () => planConfig(movedProdConfig(partition, region, replicaRegion), "prod"),
        ]),
    ];
}
