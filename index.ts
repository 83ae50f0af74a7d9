/**
 * The platform program: reads and validates the stack config, then creates the platform's components
 * and exports what operators and other stacks need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { DataTier } from "./components/data/data";
import { Eks } from "./components/eks/eks";
import { PlatformKeys } from "./components/keys";
import { Network } from "./components/network";
import type { AccountContext } from "./components/policyDocument";

// Validation happens here, before the first resource: invalid config stops the run with every problem.
const config = loadConfig();

// Every AWS resource uses this provider, so every one carries the stack's tags.
const awsProvider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: { tags: config.tags },
});
const inAccount = { providers: { aws: awsProvider } };

const account: pulumi.Output<AccountContext> = aws
    .getCallerIdentityOutput({}, { provider: awsProvider })
    .apply((identity) => ({ accountId: identity.accountId, region: config.region, partition: config.partition }));

const keys = new PlatformKeys(
    "keys",
    { account, namePrefix: config.namePrefix, deletionWindowDays: config.kmsDeletionWindowDays, protect: config.protect },
    inAccount,
);

const network = new Network(
    "network",
    {
        ...config.network,
        region: config.region,
        namePrefix: config.namePrefix,
        logRetentionDays: config.logRetentionDays,
        logsKeyArn: keys.keys.logs.arn,
        account,
    },
    inAccount,
);

const eks = new Eks(
    "eks",
    {
        ...config.eks,
        clusterName: `${config.namePrefix}-eks`,
        region: config.region,
        partition: config.partition,
        vpcId: network.vpc.id,
        privateSubnetIds: network.privateSubnets.map((s) => s.id),
        clusterKeyArn: keys.keys.cluster.arn,
        logsKeyArn: keys.keys.logs.arn,
        logRetentionDays: config.logRetentionDays,
        tags: config.tags,
        isProd: config.isProd,
        // Nodes pull images and reach AWS APIs through the NAT gateways: they join only once the routes exist.
        networkReady: [network],
    },
    inAccount,
);

// The backup bucket's cross-region replica lives in a second region: its own provider, the same tags.
const replicaProvider =
    config.backups.replicaRegion === undefined
        ? undefined
        : new aws.Provider("aws-backup-replica", { region: config.backups.replicaRegion as aws.Region, defaultTags: { tags: config.tags } });

const data = new DataTier(
    "data",
    {
        database: config.database,
        cache: config.cache,
        backups: config.backups,
        alarms: config.alarms,
        namePrefix: config.namePrefix,
        account,
        vpcId: network.vpc.id,
        databaseSubnetIds: network.databaseSubnets.map((s) => s.id),
        // Pods get the node security group (VPC CNI): the only way into the database and the cache.
        clientSecurityGroupIds: [eks.nodeSecurityGroup.id],
        dataKeyArn: keys.keys.data.arn,
        backupsKeyArn: keys.keys.backups.arn,
        logsKeyArn: keys.keys.logs.arn,
        logRetentionDays: config.logRetentionDays,
        kmsDeletionWindowDays: config.kmsDeletionWindowDays,
        replicaProvider,
        isProd: config.isProd,
        protect: config.protect,
    },
    inAccount,
);

/** The VPC id. */
export const vpcId = network.vpc.id;
/** Public subnet ids, one per AZ. */
export const publicSubnetIds = network.publicSubnets.map((s) => s.id);
/** Private subnet ids, one per AZ. */
export const privateSubnetIds = network.privateSubnets.map((s) => s.id);
/** Database subnet ids, one per AZ. */
export const databaseSubnetIds = network.databaseSubnets.map((s) => s.id);
/** ARN of each customer-managed key, by purpose. */
export const kmsKeyArns = Object.fromEntries(Object.entries(keys.keys).map(([purpose, key]) => [purpose, key.arn]));
/** The flow log group. */
export const flowLogGroupName = network.flowLogGroup.name;
/** Name of the EKS cluster. */
export const clusterName = eks.cluster.name;
/** API server endpoint of the cluster. */
export const clusterEndpoint = eks.cluster.endpoint;
/** Kubeconfig of the cluster; authenticates with `aws eks get-token` and holds no credentials. */
export const kubeconfig = eks.kubeconfig;
/** ARN of the cluster's IAM OIDC provider (for service-account roles). */
export const oidcProviderArn = eks.oidcProvider.arn;
/** Security group of every node and pod: the data tier (RDS, ElastiCache) admits traffic from this group. */
export const nodeSecurityGroupId = eks.nodeSecurityGroup.id;
/** PostgreSQL primary hostname (TLS required; verify against the RDS CA bundle). */
export const databaseHost = data.database.host;
/** PostgreSQL port. */
export const databasePort = data.database.port;
/** The application database. */
export const databaseName = data.database.name;
/** The master user. */
export const databaseUser = data.database.username;
/** The master password as of this deployment (secret); Secrets Manager rotates it, so prefer reading databaseSecretArn at runtime. */
export const databasePassword = data.database.password;
/** ARN of the RDS-managed Secrets Manager secret with the current master credentials. */
export const databaseSecretArn = data.database.secretArn;
/** Hostnames of the read replicas. */
export const databaseReplicaHosts = data.database.replicaHosts;
/** Hostname of the RDS Proxy (TLS and IAM authentication required); null unless platform:database.proxy is on. */
export const databaseProxyHost = data.database.proxyHost ?? null;
/** Redis primary endpoint (TLS required). */
export const cacheHost = data.cache.host;
/** Redis reader endpoint. */
export const cacheReaderHost = data.cache.readerHost;
/** Redis port. */
export const cachePort = data.cache.port;
/** Redis AUTH token (secret). */
export const cacheAuthToken = data.cache.authToken;
/** The S3 backup bucket (Velero backups, database exports). */
export const backupBucketName = data.backupBucket.bucket;
/** The cross-region replica of the backup bucket; null unless platform:backups.replicaRegion is set. */
export const backupReplicaBucketName = data.replicaBucket?.bucket ?? null;
/** The access-log bucket: ALB access logs go under the prefix `alb`. */
export const accessLogBucketName = data.accessLogBucket.bucket;
/** SNS topic of the data tier's alarms. */
export const alarmTopicArn = data.alarmTopic.arn;
/** Region and environment of the stack. */
export const stackInfo = { region: config.region, environment: config.environment, availabilityZones: config.network.availabilityZones };
