/**
 * Cross-key rules of the data tier (database, cache, backups), checked after every key has parsed on
 * its own.
 */
import { partitionOf } from "../../components/partitions";
import { show } from "../fields";
import type { ConfigValues } from "../schema";
import type { ProblemList } from "../rules";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../windows";

/** Pairs of a daily and a weekly window key that the service refuses to overlap. */
const WINDOW_PAIRS = [
    ["database.backupWindow", "database.maintenanceWindow"],
    ["cache.snapshotWindow", "cache.maintenanceWindow"],
] as const;

/**
 * A stack without a database: replicas and a proxy need one. The other database keys are ignored, so
 * they are neither checked against each other nor held to prod's requirements.
 */
function checkNoDatabase(values: ConfigValues, problems: ProblemList): void {
    const replicas = values["database.readReplicas"];
    if (replicas > 0) {
        problems.add(
            "database.readReplicas",
            `${replicas} needs a database, but the stack has none (platform:database.enabled is false); expected 0 or database.enabled: true`,
        );
    }
    if (values["database.proxy"]) {
        problems.add(
            "database.proxy",
            "true needs a database, but the stack has none (platform:database.enabled is false); expected false or database.enabled: true",
        );
    }
}

/** Rules that hold in every environment: windows apart, storage ceiling above the start, a replica elsewhere. */
export function checkDataRules(values: ConfigValues, region: string, problems: ProblemList): void {
    const hasDatabase = values["database.enabled"];
    if (!hasDatabase) {
        checkNoDatabase(values, problems);
    }
    for (const [dailyKey, weeklyKey] of WINDOW_PAIRS) {
        if (!hasDatabase && dailyKey.startsWith("database.")) {
            continue;
        }
        const daily = parseDailyWindow(values[dailyKey]);
        const weekly = parseWeeklyWindow(values[weeklyKey]);
        if (daily && weekly && windowsOverlap(daily, weekly)) {
            problems.add(
                dailyKey,
                `${show(daily.text)} overlaps platform:${weeklyKey} ${show(weekly.text)}; expected a daily window that ends before the maintenance window starts or starts after it ends`,
            );
        }
    }
    const allocated = values["database.allocatedStorageGiB"];
    const ceiling = values["database.maxAllocatedStorageGiB"];
    if (hasDatabase && ceiling < allocated) {
        problems.add(
            "database.maxAllocatedStorageGiB",
            `${ceiling} is below platform:database.allocatedStorageGiB (${allocated}); expected at least ${allocated} (the ceiling of storage autoscaling)`,
        );
    }
    const replicaRegion = values["backups.replicaRegion"];
    if (replicaRegion !== "" && replicaRegion === region) {
        problems.add(
            "backups.replicaRegion",
            `${show(replicaRegion)} is the stack's own aws:region; expected a different region, so that the replica survives the loss of ${region}`,
        );
    } else if (replicaRegion !== "" && partitionOf(replicaRegion) !== partitionOf(region)) {
        // S3 replicates within a partition only, and one IAM role cannot act in two partitions.
        problems.add(
            "backups.replicaRegion",
            `${show(replicaRegion)} is in the ${partitionOf(replicaRegion)} partition, but aws:region ${show(region)} is in ${partitionOf(region)}; expected a region of the ${partitionOf(region)} partition (S3 replication does not cross partitions)`,
        );
    }
}

/**
 * What prod requires of the data tier: high availability, backups and deletion protection. prod may run
 * without a database; the database requirements then have nothing to apply to.
 */
export function checkDataProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    if (values["database.enabled"]) {
        checkDatabaseProdRequirements(values, problems);
    }
    const nodes = values["cache.nodes"];
    if (nodes < 2) {
        problems.add("cache.nodes", `${nodes} is too few for prod; expected at least 2 (a replica in another zone for automatic failover)`);
    }
    const snapshots = values["cache.snapshotRetentionDays"];
    if (snapshots < 1) {
        problems.add("cache.snapshotRetentionDays", `${snapshots} is not allowed in prod; expected at least 1 (a daily snapshot to restore from)`);
    }
    if (values["backups.replicaRegion"] === "") {
        problems.add(
            "backups.replicaRegion",
            '"" is not allowed in prod; expected a region other than aws:region (for example "eu-central-1"), where the backups are replicated',
        );
    }
}

/** What prod requires of its database: a standby, deletion protection, a week of backups. */
function checkDatabaseProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (!values["database.multiAz"]) {
        problems.add("database.multiAz", "false is not allowed in prod; expected true (a standby in a second zone takes over when the primary fails)");
    }
    if (!values["database.deletionProtection"]) {
        problems.add("database.deletionProtection", "false is not allowed in prod; expected true (the database must not be deletable by accident)");
    }
    const retention = values["database.backupRetentionDays"];
    if (retention < 7) {
        problems.add("database.backupRetentionDays", `${retention} is too short for prod; expected at least 7 (a week of point-in-time recovery)`);
    }
}
