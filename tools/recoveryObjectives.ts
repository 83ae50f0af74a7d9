/**
 * The recovery point and time objectives of a regional disaster, derived from a stack's settings, as
 * docs/runbooks/disaster-recovery.md states them (a test keeps the runbook's numbers equal to these).
 *
 * Figures that are not settings are AWS's published behaviour (with the source) or typical create times
 * of this program's resources (planning figures: measure yours in a drill, docs/runbooks/disaster-recovery.md
 * "Drill", and replace them here).
 */
import type { PlatformConfig } from "../config";
import type { BackupSchedule } from "../config/keys/addons";

/** RDS uploads a DB instance's transaction logs to S3 every 5 minutes (RDS User Guide, "Introduction to backups"). */
export const TRANSACTION_LOG_UPLOAD_MINUTES = 5;
/**
 * Replication lag: S3 replicates most objects within 15 minutes (S3 User Guide, "Replicating objects",
 * the figure S3 Replication Time Control guarantees for 99.99%); RDS starts the cross-region copy of
 * snapshots and logs "as soon as they are ready" (RDS User Guide, "Replicating automated backups").
 * Planning figure for both copies.
 */
export const REPLICATION_LAG_MINUTES = 15;

/** Typical create times of the recovery stack's long poles, minutes (planning figures, see above). */
export const CREATE_MINUTES = {
    /** VPC, subnets, NAT gateways and endpoints. */
    network: 5,
    /** EKS control plane. */
    cluster: 12,
    /** Managed node groups and core add-ons, after the control plane. */
    nodes: 6,
    /** The Helm releases and the applications, after the nodes. */
    addonsAndApps: 10,
    /** RDS point-in-time restore of up to 100 GiB, then the modify that turns on the managed password. */
    databaseRestore: 45,
    /** ElastiCache replication group (multi-AZ), in parallel with the above. */
    cache: 15,
} as const;

/** Minutes an operator needs to declare, generate the stack file and start `pulumi up` (the runbook's steps 1 to 4). */
export const DECLARE_AND_START_MINUTES = 30;

const MINUTES_PER_WEEK = 7 * 24 * 60;

const MACROS: Record<string, string> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};
const NAMES: Record<number, string[]> = {
    3: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};
const RANGES = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
] as const;

/** Whether one cron field (as config/keys/addons.ts `checkCron` accepts it) matches `value`. */
function fieldMatches(text: string, index: number, value: number): boolean {
    const [min, max] = RANGES[index];
    const number = (t: string): number => {
        const named = NAMES[index]?.indexOf(t.toLowerCase()) ?? -1;
        return named >= 0 ? named + (index === 3 ? 1 : 0) : Number(t);
    };
    return text.split(",").some((part) => {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        const [from, to] =
            range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(number) : [number(range), stepText === undefined ? number(range) : max];
        return value >= from && value <= to && (value - from) % step === 0;
    });
}

/** The minutes of a week (0 = Sunday 00:00 UTC, in a 31-day month) at which a cron schedule fires. */
export function cronMinutesOfWeek(expression: string): number[] {
    const fields = (MACROS[expression.trim()] ?? expression).trim().split(/\s+/);
    const minutes: number[] = [];
    for (let m = 0; m < MINUTES_PER_WEEK; m++) {
        const day = Math.floor(m / 1440);
        const values = [m % 60, Math.floor(m / 60) % 24, day + 1, 1, day];
        if (values.every((v, i) => fieldMatches(fields[i], i, v))) {
            minutes.push(m);
        }
    }
    return minutes;
}

/** The longest time between two consecutive backups of any of the schedules, minutes (a week repeats). */
export function longestBackupGapMinutes(schedules: readonly BackupSchedule[]): number {
    const fires = [...new Set(schedules.flatMap((s) => cronMinutesOfWeek(s.schedule)))].sort((a, b) => a - b);
    if (fires.length === 0) {
        return MINUTES_PER_WEEK;
    }
    return Math.max(...fires.map((m, i) => (i + 1 < fires.length ? fires[i + 1] : fires[0] + MINUTES_PER_WEEK) - m));
}

/** The objectives of one stack. */
export interface RecoveryObjectives {
    /** Data written to Postgres in this window before the loss may be lost: log upload plus replication lag. */
    readonly databaseRpoMinutes: number;
    /** Run-time objects of the application namespaces: the longest gap between Velero backups plus replication lag. */
    readonly namespacesRpoMinutes: number;
    /** From the decision to declare to the applications serving in the recovery region (before the DNS cutover). */
    readonly rtoMinutes: number;
}

/** The objectives a stack's settings give. */
export function recoveryObjectives(config: Pick<PlatformConfig, "velero">): RecoveryObjectives {
    const platform = CREATE_MINUTES.network + CREATE_MINUTES.cluster + CREATE_MINUTES.nodes + CREATE_MINUTES.addonsAndApps;
    // The database restore runs beside the network and cluster; the applications wait for both.
    const create = Math.max(platform, CREATE_MINUTES.network + CREATE_MINUTES.databaseRestore + CREATE_MINUTES.addonsAndApps, CREATE_MINUTES.cache);
    return {
        databaseRpoMinutes: TRANSACTION_LOG_UPLOAD_MINUTES + REPLICATION_LAG_MINUTES,
        namespacesRpoMinutes: longestBackupGapMinutes(config.velero.schedules) + REPLICATION_LAG_MINUTES,
        rtoMinutes: DECLARE_AND_START_MINUTES + create,
    };
}

/** A duration as the runbook writes it: `20 minutes`, `90 minutes`, `6 h 15 min`. */
export function formatMinutes(minutes: number): string {
    if (minutes <= 120) {
        return `${minutes} minutes`;
    }
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
