/**
 * The typed settings of the data tier (database, cache, backups, alarms), built from the parsed keys.
 */
import type { EvictionPolicy } from "./keys/cache";
import type { ObjectLockMode } from "./keys/backups";
import type { ConfigValues } from "./schema";
import type { PostgresVersion, RdsCaIdentifier, RedisVersion } from "../versions";

/** The RDS for PostgreSQL settings. */
export interface DatabaseConfig {
    /** Whether the stack has a database; false: every other field is unused. */
    readonly enabled: boolean;
    /** Engine version (a creatable minor). */
    readonly engineVersion: PostgresVersion;
    /** DB instance class. */
    readonly instanceClass: string;
    /** Initial gp3 storage, GiB. */
    readonly allocatedStorageGiB: number;
    /** Ceiling of storage autoscaling, GiB. */
    readonly maxAllocatedStorageGiB: number;
    /** Application database created with the instance. */
    readonly name: string;
    /** Master user name. */
    readonly username: string;
    /** Days of automated backups. */
    readonly backupRetentionDays: number;
    /** Days the automated backups replicated to the replica region are kept there; 0: no replication. */
    readonly backupReplicationRetentionDays: number;
    /** Daily UTC backup window. */
    readonly backupWindow: string;
    /** Weekly UTC maintenance window. */
    readonly maintenanceWindow: string;
    /** Synchronous standby in a second AZ. */
    readonly multiAz: boolean;
    /** RDS deletion protection. */
    readonly deletionProtection: boolean;
    /** Number of read replicas. */
    readonly readReplicas: number;
    /** Whether an RDS Proxy pools connections. */
    readonly proxy: boolean;
    /** Server certificate authority. */
    readonly caCertificate: RdsCaIdentifier;
}

/** The ElastiCache for Redis settings. */
export interface CacheConfig {
    /** Redis OSS version. */
    readonly engineVersion: RedisVersion;
    /** Cache node type. */
    readonly nodeType: string;
    /** Nodes (primary plus replicas). */
    readonly nodes: number;
    /** Days of daily snapshots. */
    readonly snapshotRetentionDays: number;
    /** Daily UTC snapshot window. */
    readonly snapshotWindow: string;
    /** Weekly UTC maintenance window. */
    readonly maintenanceWindow: string;
    /** Redis maxmemory-policy. */
    readonly evictionPolicy: EvictionPolicy;
}

/** The backup bucket settings. */
export interface BackupsConfig {
    /** Region of the cross-region replica; undefined: no replication. */
    readonly replicaRegion?: string;
    /** Days before objects move to Standard-IA. */
    readonly infrequentAccessAfterDays: number;
    /** Days noncurrent versions are kept. */
    readonly noncurrentVersionDays: number;
    /** Object-lock default retention; undefined: object lock off. */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
}

/** Where the alarm topic delivers. */
export interface AlarmSubscription {
    /** SNS protocol. */
    readonly protocol: "email" | "https";
    /** Email address or HTTPS URL. */
    readonly endpoint: string;
}

/** The alarm thresholds and subscription. */
export interface AlarmsConfig {
    /** Database CPU, percent. */
    readonly databaseCpuPercent: number;
    /** Database free storage, percent of allocated. */
    readonly databaseFreeStoragePercent: number;
    /** Database connections, percent of max_connections. */
    readonly databaseConnectionsPercent: number;
    /** Replica lag, seconds. */
    readonly replicaLagSeconds: number;
    /** Cache memory, percent of maxmemory. */
    readonly cacheMemoryPercent: number;
    /** Cache engine CPU, percent. */
    readonly cacheCpuPercent: number;
    /** Evictions per 5 minutes. */
    readonly cacheEvictions: number;
    /** Optional subscription of the alarm topic. */
    readonly subscription?: AlarmSubscription;
}

/** The data-tier sections of the platform config. */
export interface DataSections {
    /** RDS for PostgreSQL. */
    readonly database: DatabaseConfig;
    /** ElastiCache for Redis. */
    readonly cache: CacheConfig;
    /** S3 backup bucket. */
    readonly backups: BackupsConfig;
    /** CloudWatch alarms. */
    readonly alarms: AlarmsConfig;
}

function objectLock(mode: ObjectLockMode, days: number): BackupsConfig["objectLock"] {
    return mode === "none" ? undefined : { mode, days };
}

/** Builds the data-tier sections from validated keys. */
export function dataSections(values: ConfigValues): DataSections {
    const subscription = values["alarms.subscription"];
    return {
        database: {
            enabled: values["database.enabled"],
            engineVersion: values["database.engineVersion"],
            instanceClass: values["database.instanceClass"],
            allocatedStorageGiB: values["database.allocatedStorageGiB"],
            maxAllocatedStorageGiB: values["database.maxAllocatedStorageGiB"],
            name: values["database.name"],
            username: values["database.username"],
            backupRetentionDays: values["database.backupRetentionDays"],
            backupReplicationRetentionDays: values["database.backupReplicationRetentionDays"],
            backupWindow: values["database.backupWindow"],
            maintenanceWindow: values["database.maintenanceWindow"],
            multiAz: values["database.multiAz"],
            deletionProtection: values["database.deletionProtection"],
            readReplicas: values["database.readReplicas"],
            proxy: values["database.proxy"],
            caCertificate: values["database.caCertificate"],
        },
        cache: {
            engineVersion: values["cache.engineVersion"],
            nodeType: values["cache.nodeType"],
            nodes: values["cache.nodes"],
            snapshotRetentionDays: values["cache.snapshotRetentionDays"],
            snapshotWindow: values["cache.snapshotWindow"],
            maintenanceWindow: values["cache.maintenanceWindow"],
            evictionPolicy: values["cache.evictionPolicy"],
        },
        backups: {
            replicaRegion: values["backups.replicaRegion"] === "" ? undefined : values["backups.replicaRegion"],
            infrequentAccessAfterDays: values["backups.infrequentAccessAfterDays"],
            noncurrentVersionDays: values["backups.noncurrentVersionDays"],
            objectLock: objectLock(values["backups.objectLockMode"], values["backups.objectLockDays"]),
        },
        alarms: {
            databaseCpuPercent: values["alarms.databaseCpuPercent"],
            databaseFreeStoragePercent: values["alarms.databaseFreeStoragePercent"],
            databaseConnectionsPercent: values["alarms.databaseConnectionsPercent"],
            replicaLagSeconds: values["alarms.replicaLagSeconds"],
            cacheMemoryPercent: values["alarms.cacheMemoryPercent"],
            cacheCpuPercent: values["alarms.cacheCpuPercent"],
            cacheEvictions: values["alarms.cacheEvictions"],
            subscription: subscription === "" ? undefined : { protocol: subscription.startsWith("https://") ? "https" : "email", endpoint: subscription },
        },
    };
}
