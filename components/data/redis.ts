/**
 * ElastiCache for Redis: a replication group in the database subnets, reachable on 6379 from the client
 * security groups only, encrypted at rest with the data key and in transit (required), with an AUTH
 * token, snapshots, slow and engine logs in CloudWatch, and failover across zones when it has replicas.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CacheConfig } from "../../config";
import { REDIS_VERSIONS } from "../../versions";
import { tcp, type NetworkFlow } from "../flows";
import { ServiceSecurityGroup } from "./serviceSecurityGroup";

/** Redis's port. */
export const REDIS_PORT = 6379;

/** The cache's clients: pods (through the node group the data tier admits) on 6379. */
export function redisFlows(): NetworkFlow[] {
    return [
        tcp(
            "pods-to-redis",
            "Redis",
            { group: "node" },
            { group: "cache" },
            REDIS_PORT,
            "the data tier admits the node group: applications, pods given the stack's cache outputs",
        ),
    ];
}

/** The Redis logs delivered to CloudWatch. */
export const REDIS_LOG_TYPES = ["slow-log", "engine-log"] as const;

/**
 * Special characters of the AUTH token: printable, and none of the `@`, `"` and `/` that ElastiCache
 * refuses. Some (`#`, `<`, `>`) are not valid unencoded in a URL: clients take the token as its own
 * setting, not inside a `rediss://` URL.
 */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/** The AUTH token's length (ElastiCache accepts 16 to 128). */
export const AUTH_TOKEN_LENGTH = 32;

/** True when `token` meets ElastiCache's AUTH rules: 16 to 128 printable ASCII characters, none of `@`, `"`, `/`. */
export function isValidAuthToken(token: string): boolean {
    return token.length >= 16 && token.length <= 128 && /^[\x21-\x7e]+$/.test(token) && !/[@"/]/.test(token);
}

/** The ElastiCache member cluster ids of a replication group (`<id>-001`, `<id>-002`, ...), for per-node alarms. */
export function memberClusterIds(replicationGroupId: string, nodes: number): string[] {
    return Array.from({ length: nodes }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/** Arguments of {@link Redis}. */
export interface RedisArgs extends CacheConfig {
    /** Replication group id (at most 40 characters); also the name of its subnet group and log groups. */
    replicationGroupId: string;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Database subnets, one per AZ. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to connect on 6379 (the EKS nodes and pods). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** The `data` KMS key (encryption at rest). */
    dataKeyArn: pulumi.Input<string>;
    /** The `logs` KMS key of the log groups. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the slow and engine logs, days. */
    logRetentionDays: number;
    /** prod behaviour: a final snapshot on delete, changes wait for the maintenance window. */
    isProd: boolean;
    /** Pulumi `protect` on the replication group. */
    protect: boolean;
}

/** The replication group and what it needs. */
export class Redis extends pulumi.ComponentResource {
    /** The replication group. */
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /** The AUTH token clients present (a secret). */
    public readonly authToken: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Redis", name, {}, opts);
        const child = { parent: this };
        const id = args.replicationGroupId;

        const securityGroup = new ServiceSecurityGroup(
            `${name}-security-group`,
            { vpcId: args.vpcId, groupName: id, service: `Redis ${id}`, port: REDIS_PORT, clientSecurityGroupIds: args.clientSecurityGroupIds },
            child,
        ).securityGroup;
        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { name: id, description: `Database subnets of ${id}`, subnetIds: args.subnetIds, tags: { Name: id } },
            child,
        );
        // Auto-named: a new family creates the new group before the old one is deleted.
        const family = REDIS_VERSIONS[args.engineVersion].family;
        const parameterGroup = new aws.elasticache.ParameterGroup(
            `${name}-parameters`,
            {
                family,
                description: `${id}: eviction policy ${args.evictionPolicy}`,
                parameters: [{ name: "maxmemory-policy", value: args.evictionPolicy }],
                tags: { Name: `${id}-${family}` },
            },
            child,
        );
        const logGroups = REDIS_LOG_TYPES.map(
            (logType) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${logType}`,
                    { name: `/aws/elasticache/${id}/${logType}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
                    child,
                ),
        );

        const token = new random.RandomPassword(
            `${name}-auth-token`,
            { length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minSpecial: 2, minUpper: 2, minLower: 2, minNumeric: 2 },
            child,
        );
        this.authToken = pulumi.secret(token.result);

        const failover = args.nodes >= 2;
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-replication-group`,
            {
                replicationGroupId: id,
                description: `Redis of ${id}`,
                engine: "redis",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                numCacheClusters: args.nodes,
                port: REDIS_PORT,
                parameterGroupName: parameterGroup.name,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [securityGroup.id],
                networkType: "ipv4",
                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: this.authToken,
                // A new token is added next to the old one, so clients can switch without downtime.
                authTokenUpdateStrategy: "ROTATE",
                automaticFailoverEnabled: failover,
                multiAzEnabled: failover,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                finalSnapshotIdentifier: args.isProd ? `${id}-final` : undefined,
                autoMinorVersionUpgrade: true,
                applyImmediately: !args.isProd,
                logDeliveryConfigurations: REDIS_LOG_TYPES.map((logType, i) => ({
                    destinationType: "cloudwatch-logs",
                    destination: logGroups[i].name,
                    logFormat: "json",
                    logType,
                })),
                tags: { Name: id },
            },
            { parent: this, protect: args.protect },
        );
        this.registerOutputs({ primaryEndpoint: this.replicationGroup.primaryEndpointAddress, readerEndpoint: this.replicationGroup.readerEndpointAddress });
    }
}
