/**
 * Config keys of the RDS for PostgreSQL database: whether the stack has one, engine version, size,
 * backups, windows, availability, read replicas and the connection-pooling proxy.
 */
import { flag, integer, text } from "../fields";
import { windowCheck } from "../windows";
import {
    DEFAULT_POSTGRES_VERSION,
    DEFAULT_RDS_CA,
    POSTGRES_VERSIONS,
    RDS_CA_IDENTIFIERS,
    REFUSED_POSTGRES_VERSIONS,
    type PostgresVersion,
} from "../../versions";

/**
 * DB instance classes the program accepts: current generations only. A sanity filter, not a promise
 * that a class can be ordered for every version and region (`aws rds describe-orderable-db-instance-options`).
 * Source: ../shared/reference/aws-versions.json `rds.instanceClassPattern`.
 */
export const DB_INSTANCE_CLASS =
    /^db\.(t3|t4g)\.(micro|small|medium|large|xlarge|2xlarge)$|^db\.(m5|m5d|m6g|m6gd|m6i|m6id|m7g|m7i|m8g|r5|r5b|r5d|r6g|r6gd|r6i|r6id|r7g|r7i|r8g|x2g)\.(large|xlarge|\d{1,2}xlarge|metal)$/;

/** Names RDS or PostgreSQL reserve, which the master user may not take. */
const RESERVED_USER = /^(postgres|rdsadmin|rdsrepladmin|rdstopmgr|public|pg_.*|rds_.*)$/i;
/** Databases PostgreSQL creates itself. */
const RESERVED_DATABASE = /^(postgres|template0|template1|rdsadmin)$/i;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

function checkEngineVersion(value: string): string | undefined {
    if ((POSTGRES_VERSIONS as readonly string[]).includes(value)) {
        return undefined;
    }
    const reason = REFUSED_POSTGRES_VERSIONS[value];
    const expected = `expected one of: ${POSTGRES_VERSIONS.join(", ")} (versions.ts)`;
    return reason ? `is not creatable on RDS: it ${reason}; ${expected}` : `is not a known creatable RDS PostgreSQL version; ${expected}`;
}

function checkUsername(value: string): string | undefined {
    if (!IDENTIFIER.test(value)) {
        return "is not a valid user name; expected 1 to 63 letters, digits or underscores, starting with a letter";
    }
    return RESERVED_USER.test(value)
        ? 'is reserved by PostgreSQL or RDS (and "postgres" is the first name an attacker tries); expected an application-specific name such as "platform_admin"'
        : undefined;
}

function checkDatabaseName(value: string): string | undefined {
    if (!IDENTIFIER.test(value)) {
        return "is not a valid database name; expected 1 to 63 letters, digits or underscores, starting with a letter";
    }
    return RESERVED_DATABASE.test(value) ? 'is a database PostgreSQL creates itself; expected an application database name such as "app"' : undefined;
}

/** The database keys. */
export const databaseKeys = {
    "database.enabled": flag({
        description:
            "Create the RDS for PostgreSQL database. false: the stack has no database (allowed in prod too; Redis and the backup buckets stay), the other database.* keys are ignored, database.readReplicas must be 0, database.proxy false, and no application may set database: true.",
        default: true,
    }),
    "database.engineVersion": text<PostgresVersion>({
        description: `RDS for PostgreSQL version, pinned to a minor RDS can create (${POSTGRES_VERSIONS.join(", ")}; the list lives in versions.ts). The parameter-group family follows the major.`,
        default: DEFAULT_POSTGRES_VERSION,
        check: checkEngineVersion,
    }),
    "database.instanceClass": text<string>({
        description: "DB instance class, a current generation (for example db.t4g.medium for dev, db.m7g.large or db.r7g.large for prod).",
        default: "db.m7g.large",
        pattern: DB_INSTANCE_CLASS,
        expected: 'a current-generation class such as "db.t4g.medium", "db.m7g.large" or "db.r7g.xlarge"',
    }),
    "database.allocatedStorageGiB": integer({
        description: "Initial gp3 storage in GiB; storage autoscaling grows it up to database.maxAllocatedStorageGiB.",
        default: 50,
        min: 20,
        max: 65536,
    }),
    "database.maxAllocatedStorageGiB": integer({
        description: "Ceiling of storage autoscaling in GiB; at least database.allocatedStorageGiB.",
        default: 200,
        min: 20,
        max: 65536,
    }),
    "database.name": text<string>({
        description: "Name of the application database created with the instance.",
        default: "app",
        check: checkDatabaseName,
    }),
    "database.username": text<string>({
        description: "Master user name. Its password is generated and rotated by RDS in Secrets Manager; never postgres.",
        default: "platform_admin",
        check: checkUsername,
    }),
    "database.backupRetentionDays": integer({
        description: "Days RDS keeps automated backups (point-in-time recovery). prod needs at least 7.",
        default: 14,
        min: 1,
        max: 35,
    }),
    "database.backupReplicationRetentionDays": integer({
        description:
            "Days the automated backups (snapshots and transaction logs) replicated to backups.replicaRegion are kept there, for a point-in-time restore in that region when the home region is lost (docs/runbooks/disaster-recovery.md). 0: no replication. prod needs at least 7; a value above 0 needs backups.replicaRegion.",
        default: 0,
        min: 0,
        max: 35,
    }),
    "database.backupWindow": text<string>({
        description: "Daily UTC window of the automated backup, hh24:mi-hh24:mi, at least 30 minutes; must not overlap database.maintenanceWindow.",
        default: "02:00-03:00",
        check: windowCheck("daily", 30, 24 * 60 - 1, "02:00-03:00"),
    }),
    "database.maintenanceWindow": text<string>({
        description: "Weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi, at least 30 minutes; prod applies changes in it.",
        default: "sun:03:30-sun:04:30",
        check: windowCheck("weekly", 30, 24 * 60, "sun:03:30-sun:04:30"),
    }),
    "database.multiAz": flag({
        description: "Run a synchronous standby in a second availability zone with automatic failover. prod requires true.",
        default: true,
    }),
    "database.deletionProtection": flag({
        description: "RDS deletion protection: the instance cannot be deleted until it is switched off. prod requires true.",
        default: true,
    }),
    "database.readReplicas": integer({
        description: "Read replicas of the instance (same hardening, same parameter group), each with a replica-lag alarm.",
        default: 0,
        min: 0,
        max: 5,
    }),
    "database.proxy": flag({
        description:
            "Put an RDS Proxy in front of the instance: pools connections so that many pods do not exhaust max_connections. TLS and IAM authentication are required on it.",
        default: false,
    }),
    "database.caCertificate": text({
        description: "Certificate authority of the server certificate that clients verify.",
        default: DEFAULT_RDS_CA,
        oneOf: RDS_CA_IDENTIFIERS,
    }),
};
