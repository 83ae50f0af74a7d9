/**
 * The partition rule: every ARN in the stack config is in the partition of aws:region. An IAM principal,
 * a KMS key or a role of another partition cannot be used from this one (access entries, key grants and
 * trust policies fail only at deploy time, or never match).
 */
import { partitionOf } from "../../components/partitions";
import { show } from "../fields";
import type { ProblemList } from "../rules";
import type { ConfigKey, ConfigValues } from "../schema";

/** Every string below a config value that is an ARN. */
function arnsIn(value: unknown): string[] {
    if (typeof value === "string") {
        return value.startsWith("arn:") ? [value] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap(arnsIn);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(arnsIn);
    }
    return [];
}

/** Reports each ARN of any key whose partition is not the region's. */
export function checkArnPartitions(values: ConfigValues, region: string, problems: ProblemList): void {
    const partition = partitionOf(region);
    for (const key of Object.keys(values).sort() as ConfigKey[]) {
        for (const arn of arnsIn(values[key])) {
            const own = arn.split(":")[1];
            if (own !== partition) {
                problems.add(
                    key,
                    `${show(arn)} is in the ${show(own)} partition, but aws:region ${show(region)} is in ${partition}; expected an ARN that starts with arn:${partition}:`,
                );
            }
        }
    }
}
