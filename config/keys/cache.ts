/**
 * Config keys of the ElastiCache for Redis replication group: engine version, node type and count,
 * snapshots, maintenance and the eviction policy.
 */
import { integer, text } from "../fields";
import { windowCheck } from "../windows";
import { DEFAULT_REDIS_VERSION, REDIS_VERSIONS, type RedisVersion } from "../../versions";

/**
 * Cache node types the program accepts: current generations only (t2 is refused by ElastiCache for new
 * nodes; t3/t4g exist only up to medium). Source: ../shared/reference/aws-versions.json `elasticache.nodeTypePattern`.
 */
export const CACHE_NODE_TYPE = /^cache\.(t3|t4g)\.(micro|small|medium)$|^cache\.(m5|m6g|m7g|r5|r6g|r6gd|r7g|c7gn)\.(large|xlarge|\d{1,2}xlarge)$/;

/** The maxmemory-policy values Redis 7 accepts. */
export const EVICTION_POLICIES = [
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
] as const;
/** One of {@link EVICTION_POLICIES}. */
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

const redisVersions = Object.keys(REDIS_VERSIONS) as RedisVersion[];

/** The cache keys. */
export const cacheKeys = {
    "cache.engineVersion": text<RedisVersion>({
        description: `Redis OSS version of the replication group (${redisVersions.join(", ")}; the list lives in versions.ts).`,
        default: DEFAULT_REDIS_VERSION,
        oneOf: redisVersions,
    }),
    "cache.nodeType": text<string>({
        description: "Cache node type, a current generation (for example cache.t4g.small for dev, cache.m7g.large or cache.r7g.large for prod).",
        default: "cache.m7g.large",
        pattern: CACHE_NODE_TYPE,
        expected: 'a current-generation node type such as "cache.t4g.small", "cache.m7g.large" or "cache.r7g.xlarge"',
    }),
    "cache.nodes": integer({
        description:
            "Nodes in the replication group: one primary plus replicas. Two or more switch on automatic failover and Multi-AZ; prod requires at least 2.",
        default: 2,
        min: 1,
        max: 6,
    }),
    "cache.snapshotRetentionDays": integer({
        description: "Days ElastiCache keeps the daily snapshots (0: no snapshots). prod needs at least 1.",
        default: 7,
        min: 0,
        max: 35,
    }),
    "cache.snapshotWindow": text<string>({
        description: "Daily UTC window of the snapshot, hh24:mi-hh24:mi, at least 60 minutes; must not overlap cache.maintenanceWindow.",
        default: "03:00-04:00",
        check: windowCheck("daily", 60, 24 * 60 - 1, "03:00-04:00"),
    }),
    "cache.maintenanceWindow": text<string>({
        description: "Weekly UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi, at least 60 minutes.",
        default: "sun:05:00-sun:06:00",
        check: windowCheck("weekly", 60, 24 * 60, "sun:05:00-sun:06:00"),
    }),
    "cache.evictionPolicy": text({
        description: "Redis maxmemory-policy: which keys are evicted when memory is full (noeviction: writes fail instead).",
        default: "volatile-lru",
        oneOf: EVICTION_POLICIES,
    }),
};
