/**
 * Pure settings of the PostgreSQL instance: the parameter-group family and parameters, the log groups
 * RDS exports to, and the instance class's default connection limit (for the connections alarm).
 */
import { POSTGRES_FAMILIES } from "../../versions";

/** The CloudWatch log exports of every instance (RDS-07): the server log and the major-upgrade log. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** One parameter of a DB parameter group. */
export interface DbParameter {
    /** Parameter name. */
    readonly name: string;
    /** Value, as text. */
    readonly value: string;
    /** `immediate` for dynamic parameters; `pending-reboot` for static ones (RDS refuses `immediate` on them). */
    readonly applyMethod: "immediate" | "pending-reboot";
}

/** Settings of the logging parameters. */
export interface PostgresLogging {
    /** Statements slower than this are logged with their duration, in milliseconds. Defaults to 1000. */
    readonly slowStatementMs?: number;
}

/** The parameter-group family of an engine version (`17.9` -> `postgres17`). */
export function postgresFamily(engineVersion: string): string {
    const major = engineVersion.split(".")[0];
    const family = POSTGRES_FAMILIES[major];
    if (family === undefined) {
        throw new Error(`no parameter-group family for PostgreSQL ${engineVersion}; expected a major in versions.ts POSTGRES_FAMILIES`);
    }
    return family;
}

/**
 * The parameters of the instance's parameter group: TLS required on every connection (RDS-11), SCRAM
 * password hashing (what the RDS Proxy negotiates), and logging that makes incidents and audits
 * answerable (DDL, slow statements, connections, lock waits, large temporary files, long autovacuum
 * runs). All are dynamic, so a change never waits for a reboot.
 */
export function postgresParameters(logging: PostgresLogging = {}): DbParameter[] {
    const p = (name: string, value: string | number): DbParameter => ({ name, value: String(value), applyMethod: "immediate" });
    return [
        p("rds.force_ssl", 1),
        p("password_encryption", "scram-sha-256"),
        p("log_statement", "ddl"),
        p("log_min_duration_statement", logging.slowStatementMs ?? 1000),
        p("log_connections", 1),
        p("log_disconnections", 1),
        p("log_lock_waits", 1),
        p("log_temp_files", 10240),
        p("log_autovacuum_min_duration", 10000),
    ];
}

/** The log groups RDS exports an instance's logs to; declared in advance so they get retention and KMS. */
export function postgresLogGroupNames(identifier: string): string[] {
    return POSTGRES_LOG_EXPORTS.map((log) => `/aws/rds/instance/${identifier}/${log}`);
}

/** Memory in GiB of a DB instance class, from its size; undefined for `metal` sizes. */
export function instanceClassMemoryGiB(instanceClass: string): number | undefined {
    const m = /^db\.([a-z0-9]+)\.(micro|small|medium|large|xlarge|(\d+)xlarge|metal)$/.exec(instanceClass);
    if (!m) {
        return undefined;
    }
    const [, family, size, multiple] = m;
    if (family.startsWith("t")) {
        const burstable: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
        return burstable[size];
    }
    // Memory per vCPU pair: general purpose 8 GiB, memory optimised 16 GiB, x2g 32 GiB.
    const perLarge = family.startsWith("x2") ? 32 : family.startsWith("r") ? 16 : 8;
    if (size === "large") {
        return perLarge;
    }
    if (size === "xlarge") {
        return perLarge * 2;
    }
    return multiple === undefined ? undefined : perLarge * 2 * Number(multiple);
}

/** RDS for PostgreSQL's ceiling of the default `max_connections`. */
const MAX_CONNECTIONS_CAP = 5000;

/**
 * The default `max_connections` of an instance class: RDS's formula LEAST({DBInstanceClassMemory/9531392}, 5000)
 * applied to the class's nominal memory (metal sizes have far more than the 45 GiB that reaches the cap).
 * DBInstanceClassMemory is the nominal memory less what the OS and RDS reserve, so the real limit is
 * somewhat lower (most on micro and small classes): an alarm at a percentage of this estimate fires a
 * little later than the same percentage of the real limit, still before connections are refused. Set
 * `max_connections` in the parameter group if the alarm must be exact.
 */
export function estimatedMaxConnections(instanceClass: string): number {
    const memory = instanceClassMemoryGiB(instanceClass);
    if (memory === undefined) {
        return MAX_CONNECTIONS_CAP;
    }
    return Math.min(MAX_CONNECTIONS_CAP, Math.floor((memory * 1024 ** 3) / 9531392));
}
