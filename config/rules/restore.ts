/**
 * Rules of disaster recovery: the replication of the database's automated backups to the replica
 * region, and a stack created from a lost stack's backups (restore.*), checked after every key has
 * parsed on its own. A restore goes where the replicated backups are, never back into the lost region.
 */
import { isKnownRegion, partitionOf } from "../../components/partitions";
import { AUTOMATED_BACKUPS_ARN, KMS_KEY_ARN } from "../keys/restore";
import { show } from "../fields";
import type { ProblemList } from "../rules";
import type { ConfigKey, ConfigValues } from "../schema";

/** Milliseconds per day. */
const DAY_MS = 24 * 60 * 60 * 1000;

/** The restore keys besides restore.enabled, which mean nothing unless it is on. */
const RESTORE_DETAIL_KEYS = [
    "restore.sourceStack",
    "restore.sourceRegion",
    "restore.databaseAutomatedBackupsArn",
    "restore.databaseKeyArn",
    "restore.veleroBucket",
    "restore.veleroPrefix",
    "restore.veleroKeyArn",
    "restore.veleroBackup",
] as const satisfies readonly ConfigKey[];

/** The replica region exists in the home region's partition; replicated automated backups need one. */
export function checkBackupReplication(values: ConfigValues, region: string, problems: ProblemList): void {
    const replicaRegion = values["backups.replicaRegion"];
    if (replicaRegion !== "" && partitionOf(replicaRegion) === partitionOf(region) && !isKnownRegion(replicaRegion)) {
        problems.add(
            "backups.replicaRegion",
            `${show(replicaRegion)} is not a region of the ${partitionOf(region)} partition; expected an existing region such as "eu-central-1" (the AWS provider's region list)`,
        );
    }
    const days = values["database.backupReplicationRetentionDays"];
    if (!values["database.enabled"]) {
        return;
    }
    if (days > 0 && replicaRegion === "") {
        problems.add(
            "database.backupReplicationRetentionDays",
            `${days} needs a region to replicate to, but platform:backups.replicaRegion is empty; expected 0 or a backups.replicaRegion`,
        );
    }
    if (values.environment === "prod" && days < 7) {
        problems.add(
            "database.backupReplicationRetentionDays",
            `${days} is too short for prod; expected at least 7 (a week of point-in-time restores in backups.replicaRegion when ${region} is lost)`,
        );
    }
}

/** The region field (4th) of an ARN. */
const regionOfArn = (arn: string): string => arn.split(":")[3];

/** A required restore key is set, and an ARN one is in this stack's region. */
function checkRegionalArn(values: ConfigValues, key: ConfigKey, region: string, what: string, problems: ProblemList): void {
    const value = values[key] as string;
    if (value === "") {
        problems.add(key, `is required with restore.enabled and not set; expected the ARN of ${what} in ${region}`);
    } else if ((AUTOMATED_BACKUPS_ARN.test(value) || KMS_KEY_ARN.test(value)) && regionOfArn(value) !== region) {
        problems.add(
            key,
            `${show(value)} is in ${regionOfArn(value)}, but this stack restores in aws:region ${show(region)}; expected ${what} in ${region} (a restore runs where the replicated backups are: make this stack's aws:region ${regionOfArn(value)}, or name the copy in ${region})`,
        );
    }
}

/** The restore time is `latest` or inside the replicated backups' window, never in the future. */
function checkRestoreTime(values: ConfigValues, now: number, problems: ProblemList): void {
    const time = values["restore.databaseRestoreTime"];
    if (time === "latest") {
        return;
    }
    const at = Date.parse(time);
    const windowDays = values["restore.windowDays"];
    const earliest = now - windowDays * DAY_MS;
    if (Number.isNaN(at)) {
        problems.add("restore.databaseRestoreTime", `${show(time)} is not a real date and time; expected latest or a UTC time such as "2026-12-01T09:30:00Z"`);
    } else if (at > now) {
        problems.add("restore.databaseRestoreTime", `${show(time)} is in the future; expected latest or a time before now (${new Date(now).toISOString()})`);
    } else if (at < earliest) {
        problems.add(
            "restore.databaseRestoreTime",
            `${show(time)} is outside the replicated backups' window of ${windowDays} days (restore.windowDays); expected latest or a time after ${new Date(earliest).toISOString()}`,
        );
    }
}

/** The Velero source: bucket, prefix and key together, the key in this region. */
function checkVeleroSource(values: ConfigValues, region: string, problems: ProblemList): void {
    const bucket = values["restore.veleroBucket"];
    const others = ["restore.veleroPrefix", "restore.veleroKeyArn", "restore.veleroBackup"] as const;
    if (bucket === "") {
        for (const key of others.filter((k) => values[k] !== "")) {
            problems.add(
                key,
                `${show(values[key])} needs platform:restore.veleroBucket, which is empty; expected the replicated Velero bucket there, or "" here`,
            );
        }
        return;
    }
    if (values["restore.veleroPrefix"] === "") {
        problems.add("restore.veleroPrefix", "is required with restore.veleroBucket and not set; expected the source cluster's name (<project>-<stack>-eks)");
    }
    checkRegionalArn(values, "restore.veleroKeyArn", region, "the replicated Velero bucket's KMS key", problems);
}

/**
 * The restore rules. `now` is the current time in milliseconds (a parameter so the window check is
 * testable).
 */
export function checkRestore(values: ConfigValues, region: string, problems: ProblemList, now = Date.now()): void {
    if (!values["restore.enabled"]) {
        for (const key of RESTORE_DETAIL_KEYS.filter((k) => values[k] !== "")) {
            problems.add(
                key,
                `${show(values[key])} is set, but platform:restore.enabled is false; expected restore.enabled: true to restore from it, or no ${key}`,
            );
        }
        return;
    }
    const sourceRegion = values["restore.sourceRegion"];
    if (sourceRegion === "") {
        problems.add("restore.sourceRegion", "is required with restore.enabled and not set; expected the region that was lost");
    } else if (sourceRegion === region) {
        problems.add(
            "restore.sourceRegion",
            `${show(sourceRegion)} is this stack's own aws:region: a restore into the home region is not a disaster recovery; expected aws:region to be the recovery region (where the replicas are), not ${region}`,
        );
    } else if (partitionOf(sourceRegion) !== partitionOf(region)) {
        problems.add(
            "restore.sourceRegion",
            `${show(sourceRegion)} is in the ${partitionOf(sourceRegion)} partition, but aws:region ${show(region)} is in ${partitionOf(region)}; expected a region of ${partitionOf(region)} (backups do not replicate across partitions)`,
        );
    }
    if (values["restore.sourceStack"] === "") {
        problems.add("restore.sourceStack", "is required with restore.enabled and not set; expected the name of the stack being recovered, such as prod");
    }
    if (values["database.enabled"]) {
        checkRegionalArn(values, "restore.databaseAutomatedBackupsArn", region, "the source database's replicated automated backups", problems);
        checkRegionalArn(values, "restore.databaseKeyArn", region, "the replicated backups' KMS key", problems);
        checkRestoreTime(values, now, problems);
    }
    checkVeleroSource(values, region, problems);
}
