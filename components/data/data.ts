/**
 * The data tier: PostgreSQL (with optional replicas and proxy; none at all when
 * `platform:database.enabled` is false), Redis, the S3 backup bucket with its access logs and
 * cross-region replica, and the alarms on all of it. Nothing in it is reachable from
 * outside the VPC; inside, only the client security groups reach the database and the cache.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DataSections } from "../../config/data";
import type { AccountContext } from "../policyDocument";
import type { RestoreConfig } from "../../config/restore";
import { DataAlarms } from "./alarms";
import { DatabaseBackupReplication } from "./databaseBackupReplication";
import { BackupStorage } from "./backupStorage";
import type { NetworkFlow } from "../flows";
import { DatabaseProxy, databaseProxyFlows } from "./databaseProxy";
import { POSTGRES_PORT, Postgres, postgresFlows } from "./postgres";
import { REDIS_PORT, Redis, memberClusterIds, redisFlows } from "./redis";

/** The flows of the data tier's services, as the stack's data config creates them. */
export function dataTierFlows(database: DataSections["database"]): NetworkFlow[] {
    return [...(database.enabled ? postgresFlows() : []), ...(database.enabled && database.proxy ? databaseProxyFlows() : []), ...redisFlows()];
}

/** The database instance's identifier: `<namePrefix>-postgres` (alarms and dashboards name it too). */
export function databaseIdentifier(namePrefix: string): string {
    return `${namePrefix}-postgres`;
}

/** The cache's replication group id: `<namePrefix>-redis` (its nodes are memberClusterIds of it). */
export function cacheReplicationGroupId(namePrefix: string): string {
    return `${namePrefix}-redis`;
}

/** Arguments of {@link DataTier}: the stack's data-tier config plus what other components provide. */
export interface DataTierArgs extends DataSections {
    /** Prefix of identifiers and names: `<project>-<stack>`. */
    namePrefix: string;
    /** Account, region and partition of the stack. */
    account: pulumi.Input<AccountContext>;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Database subnets, one per AZ (no route out of the VPC). */
    databaseSubnetIds: pulumi.Input<string>[];
    /** Security groups whose members may connect to the database and the cache (the EKS nodes and pods). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** The stack's `data` key: RDS, ElastiCache, Performance Insights, the master secret, the alarm topic. */
    dataKeyArn: pulumi.Input<string>;
    /** The stack's `backups` key: the S3 backup bucket. */
    backupsKeyArn: pulumi.Input<string>;
    /** The stack's `logs` key: the database, proxy and cache log groups. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of every log group and of the S3 access logs, days. */
    logRetentionDays: number;
    /** Days before a deleted KMS key (the replica region's) is destroyed. */
    kmsDeletionWindowDays: number;
    /** The AWS provider of `backups.replicaRegion` (same account and default tags); required when that is set. */
    replicaProvider?: aws.Provider;
    /** prod behaviour: final snapshots, changes in the maintenance window, automated backups kept on delete. */
    isProd: boolean;
    /** Pulumi `protect` on the instances, the replication group, the buckets and the replica key. */
    protect: boolean;
    /** Restore the database from a lost stack's replicated backups (disaster recovery); undefined: a new database. */
    restore?: RestoreConfig;
}

/** What applications need to connect to the database. */
export interface DatabaseConnection {
    /** Hostname of the primary (or of the proxy, when there is one, in `proxyHost`). */
    readonly host: pulumi.Output<string>;
    /** Port. */
    readonly port: number;
    /** Application database. */
    readonly name: string;
    /** Master user. */
    readonly username: string;
    /** ARN of the Secrets Manager secret RDS rotates the master credentials in. */
    readonly secretArn: pulumi.Output<string>;
    /** Hostnames of the read replicas. */
    readonly replicaHosts: pulumi.Output<string>[];
    /** Hostname of the RDS Proxy (TLS and IAM authentication required), when there is one. */
    readonly proxyHost?: pulumi.Output<string>;
}

/** What applications need to connect to the cache. */
export interface CacheConnection {
    /** Primary endpoint (reads and writes). */
    readonly host: pulumi.Output<string>;
    /** Reader endpoint (spreads reads over the replicas). */
    readonly readerHost: pulumi.Output<string>;
    /** Port (TLS required). */
    readonly port: number;
    /** AUTH token (a secret). */
    readonly authToken: pulumi.Output<string>;
}

/** The data tier. */
export class DataTier extends pulumi.ComponentResource {
    /** Database connection settings; undefined when the stack has no database (`database.enabled` false). */
    public readonly database?: DatabaseConnection;
    /** Cache connection settings. */
    public readonly cache: CacheConnection;
    /** The backup bucket (Velero, database exports). */
    public readonly backupBucket: aws.s3.Bucket;
    /** The region's access-log bucket (ALB access logs go under `alb/`). */
    public readonly accessLogBucket: aws.s3.Bucket;
    /** The cross-region replica of the backup bucket, in stacks with a replica region. */
    public readonly replicaBucket?: aws.s3.Bucket;
    /** The replica region's KMS key of that bucket. */
    public readonly replicaBucketKey?: aws.kms.Key;
    /** The SNS topic every data alarm notifies. */
    public readonly alarmTopic: aws.sns.Topic;
    /** The database's automated backups in the replica region, in stacks that replicate them. */
    public readonly databaseBackupReplica?: { readonly replicatedBackupsArn: pulumi.Output<string>; readonly keyArn: pulumi.Output<string> };

    constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DataTier", name, {}, opts);
        const child = { parent: this };
        const network = { vpcId: args.vpcId, subnetIds: args.databaseSubnetIds, clientSecurityGroupIds: args.clientSecurityGroupIds };
        const logging = { logsKeyArn: args.logsKeyArn, logRetentionDays: args.logRetentionDays };

        // Without a database: no instance, replicas, proxy, security group, parameter group or database alarms.
        const postgres = args.database.enabled
            ? new Postgres(
                  `${name}-postgres`,
                  {
                      ...args.database,
                      ...network,
                      ...logging,
                      identifier: databaseIdentifier(args.namePrefix),
                      dataKeyArn: args.dataKeyArn,
                      account: args.account,
                      isProd: args.isProd,
                      protect: args.protect,
                      restore: args.restore?.database,
                  },
                  child,
              )
            : undefined;
        const proxy =
            postgres !== undefined && args.database.proxy
                ? new DatabaseProxy(
                      `${name}-postgres-proxy`,
                      {
                          ...network,
                          ...logging,
                          proxyName: `${args.namePrefix}-postgres`,
                          instance: postgres.instance,
                          instanceSecurityGroup: postgres.securityGroup,
                          masterSecretArn: postgres.masterSecretArn,
                          dataKeyArn: args.dataKeyArn,
                          account: args.account,
                      },
                      child,
                  )
                : undefined;

        const replicationGroupId = cacheReplicationGroupId(args.namePrefix);
        const redis = new Redis(
            `${name}-redis`,
            { ...args.cache, ...network, ...logging, replicationGroupId, dataKeyArn: args.dataKeyArn, isProd: args.isProd, protect: args.protect },
            child,
        );

        const backups = new BackupStorage(
            `${name}-backups`,
            {
                ...args.backups,
                namePrefix: args.namePrefix,
                account: args.account,
                backupsKeyArn: args.backupsKeyArn,
                logRetentionDays: args.logRetentionDays,
                kmsDeletionWindowDays: args.kmsDeletionWindowDays,
                replicaProvider: args.replicaProvider,
                protect: args.protect,
            },
            child,
        );

        const alarms = new DataAlarms(
            `${name}-alarms`,
            {
                ...args.alarms,
                namePrefix: args.namePrefix,
                account: args.account,
                dataKeyArn: args.dataKeyArn,
                targets: {
                    ...(postgres === undefined
                        ? {}
                        : {
                              databaseIdentifier: databaseIdentifier(args.namePrefix),
                              databaseInstanceClass: args.database.instanceClass,
                              databaseAllocatedStorageGiB: args.database.allocatedStorageGiB,
                              replicaIdentifiers: postgres.replicas.map((_, i) => `${args.namePrefix}-postgres-replica-${i + 1}`),
                          }),
                    cacheClusterIds: memberClusterIds(replicationGroupId, args.cache.nodes),
                },
                watched: [...(postgres === undefined ? [] : [postgres.instance, ...postgres.replicas]), redis.replicationGroup],
            },
            child,
        );

        const replication =
            postgres !== undefined && args.database.backupReplicationRetentionDays > 0 && args.replicaProvider !== undefined
                ? new DatabaseBackupReplication(
                      `${name}-postgres-backup-replication`,
                      {
                          namePrefix: args.namePrefix,
                          account: args.account,
                          // Set whenever there is a replica provider (index.ts makes it from backups.replicaRegion).
                          replicaRegion: args.backups.replicaRegion as string,
                          replicaProvider: args.replicaProvider,
                          instance: postgres.instance,
                          retentionDays: args.database.backupReplicationRetentionDays,
                          alarmTopicArn: alarms.topic.arn,
                          kmsDeletionWindowDays: args.kmsDeletionWindowDays,
                          protect: args.protect,
                      },
                      child,
                  )
                : undefined;
        this.databaseBackupReplica = replication === undefined ? undefined : { replicatedBackupsArn: replication.replication.id, keyArn: replication.key.arn };

        this.database =
            postgres === undefined
                ? undefined
                : {
                      host: postgres.instance.address,
                      port: POSTGRES_PORT,
                      name: args.database.name,
                      username: args.database.username,
                      secretArn: postgres.masterSecretArn,
                      replicaHosts: postgres.replicas.map((r) => r.address),
                      proxyHost: proxy?.proxy.endpoint,
                  };
        this.cache = {
            host: redis.replicationGroup.primaryEndpointAddress,
            readerHost: redis.replicationGroup.readerEndpointAddress,
            port: REDIS_PORT,
            authToken: redis.authToken,
        };
        this.backupBucket = backups.bucket;
        this.accessLogBucket = backups.accessLogBucket;
        this.replicaBucket = backups.replica?.bucket;
        this.replicaBucketKey = backups.replica?.key;
        this.alarmTopic = alarms.topic;
        this.registerOutputs({
            databaseHost: this.database?.host,
            cacheHost: this.cache.host,
            backupBucketName: this.backupBucket.bucket,
            alarmTopicArn: this.alarmTopic.arn,
        });
    }
}
