/**
 * The platform program: reads and validates the stack config, then creates the platform's components
 * and exports what operators and other stacks need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { DataTier } from "./components/data/data";
import { Edge } from "./components/edge/edge";
import { Eks } from "./components/eks/eks";
import { PreviewAccess } from "./components/eks/previewAccess";
import { createAutoScalingServiceRole } from "./components/autoScalingServiceRole";
import { PlatformKeys } from "./components/keys";
import { Network } from "./components/network";
import type { AccountContext } from "./components/policyDocument";
import { installAddons } from "./platform/addons";
import { installApplications } from "./platform/applications";
import { ImageRepository, referenceAppRepositoryName } from "./components/apps/imageRepository";
import type { Foundation } from "./platform/foundation";

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

// The cluster key's policy names the Auto Scaling service-linked role, which must exist before the key:
// created here on an account that lacks it, else the account's own (platform:eks.autoscalingServiceLinkedRole).
const autoScalingServiceRole =
    config.eks.autoscalingServiceLinkedRole === "create" ? createAutoScalingServiceRole("autoscaling-service-role", { provider: awsProvider }) : undefined;

const keys = new PlatformKeys(
    "keys",
    {
        account,
        namePrefix: config.namePrefix,
        deletionWindowDays: config.kmsDeletionWindowDays,
        protect: config.protect,
        clusterKeyAfter: autoScalingServiceRole === undefined ? [] : [autoScalingServiceRole],
    },
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
        clusterName: `${config.namePrefix}-eks`,
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
        endpointSecurityGroupId: network.endpointSecurityGroup?.id,
        workloadEgress: config.apps.flatMap((app) => app.egress.map((e) => ({ app: app.name, ...e }))),
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
        restore: config.restore,
    },
    inAccount,
);

// The WAF in front of every internet-facing ALB, and the certificate of the application hosts.
const edge = new Edge(
    "edge",
    {
        edge: config.edge,
        waf: config.waf,
        namePrefix: config.namePrefix,
        logsKeyArn: keys.keys.logs.arn,
        logRetentionDays: config.logRetentionDays,
        validationRecordsShared: config.restore !== undefined,
    },
    inAccount,
);

// Pull-request previews: the roles of platform:preview.roleArns read this stack's state and send the cluster
// dry runs only (components/eks/previewAccess.ts lists each permission and why).
if (config.preview.roleArns.length > 0) {
    new PreviewAccess(
        "preview-access",
        {
            clusterName: eks.cluster.name,
            namePrefix: config.namePrefix,
            partition: config.partition,
            project: config.project,
            stack: config.stack,
            roleArns: config.preview.roleArns,
            // Both are set whenever there are preview roles (config/rules/preview.ts refuses the config otherwise).
            stateBucket: config.preview.stateBucket as string,
            secretsKeyArn: config.preview.secretsKeyArn as string,
            provider: eks.kubernetesProvider,
        },
        inAccount,
    );
}

// The reference application's image repository (reference-app/): the deploy workflow pushes its image there
// and the stack config pins it by digest. It needs only the cluster key, so the first deploy of a stack
// creates it in a pass that leaves the reference application out (docs/runbooks/first-deploy.md, section 6).
const referenceAppImages = new ImageRepository(
    "reference-app-images",
    { repositoryName: referenceAppRepositoryName(config.namePrefix), kmsKeyArn: keys.keys.cluster.arn, protect: config.protect },
    inAccount,
);

// Every namespace the program creates enforces the Pod Security Standards of the cluster's own minor: a
// cluster upgrade changes the rules only when this program does.
const foundation: Foundation = { config, account, inAccount, keys, eks, data, edge, podSecurityVersion: `v${config.eks.version}` };
const addons = installAddons(foundation);
const applications = installApplications(foundation, addons);
const { monitoring, certManager } = addons;
const database = data.database;

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
/** PostgreSQL primary hostname (TLS required; verify against the RDS CA bundle); null unless platform:database.enabled is on. */
export const databaseHost = database?.host ?? null;
/** PostgreSQL port; null unless platform:database.enabled is on. */
export const databasePort = database?.port ?? null;
/** The application database; null unless platform:database.enabled is on. */
export const databaseName = database?.name ?? null;
/** The master user; null unless platform:database.enabled is on. */
export const databaseUser = database?.username ?? null;
/** ARN of the RDS-managed Secrets Manager secret with the current master credentials (the program never reads it: read it at runtime); null unless platform:database.enabled is on. */
export const databaseSecretArn = database?.secretArn ?? null;
/** Hostnames of the read replicas; null unless platform:database.enabled is on. */
export const databaseReplicaHosts = database?.replicaHosts ?? null;
/** Hostname of the RDS Proxy (TLS and IAM authentication required); null unless platform:database.enabled and platform:database.proxy are on. */
export const databaseProxyHost = database?.proxyHost ?? null;
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
/** ARN of the replica bucket's KMS key in the replica region (restore.veleroKeyArn of a recovery stack); null without a replica. */
export const backupReplicaKeyArn = data.replicaBucketKey?.arn ?? null;
/** ARN of the database's replicated automated backups in platform:backups.replicaRegion (restore.databaseAutomatedBackupsArn of a recovery stack); null without replication. */
export const databaseBackupReplicaArn = data.databaseBackupReplica?.replicatedBackupsArn ?? null;
/** ARN of the replica region's KMS key of those backups (restore.databaseKeyArn of a recovery stack); null without replication. */
export const databaseBackupReplicaKeyArn = data.databaseBackupReplica?.keyArn ?? null;
/** The access-log bucket: ALB access logs go under the prefix `alb`. */
export const accessLogBucketName = data.accessLogBucket.bucket;
/** SNS topic of the data tier's alarms. */
export const alarmTopicArn = data.alarmTopic.arn;
/** ARN of the WAF web ACL: internet-facing ALB Ingresses carry it in alb.ingress.kubernetes.io/wafv2-acl-arn. */
export const webAclArn = edge.webAclArn;
/** ARN of the validated ACM certificate for platform:edge.domain and *.<domain>; null unless platform:edge.domain is set. */
export const certificateArn = edge.certificateArn ?? null;
/** The ClusterIssuers certificates can name (letsencrypt-* only with platform:edge.domain set). */
export const clusterIssuers = certManager.issuers.issuerNames;
/** Namespace of Prometheus, Alertmanager and Grafana. */
export const monitoringNamespace = monitoring.namespace;
/** Grafana's generated admin password (secret; user `admin`, also in the Secret grafana-admin of the monitoring namespace). */
export const grafanaAdminPassword = monitoring.grafanaAdminPassword;
/** Namespace of each application, by name. */
export const applicationNamespaces = Object.fromEntries(applications.map((a, i) => [config.apps[i].name, a.namespace]));
/** Public URL of each application with a host, by name. */
export const applicationUrls = Object.fromEntries(applications.flatMap((a, i) => (a.url === undefined ? [] : [[config.apps[i].name, a.url]])));
/** The reference application's ECR repository: push its images here, pin them as `<url>@sha256:<digest>`. */
export const referenceAppRepositoryUrl = referenceAppImages.repositoryUrl;
/** The image of the application that runs from that repository (the `check` image of npm run verify), or null. */
export const referenceAppImage = referenceAppImages.repositoryUrl.apply((url) => config.apps.find((a) => a.image.startsWith(`${url}@sha256:`))?.image ?? null);
/** Region and environment of the stack. */
export const stackInfo = { region: config.region, environment: config.environment, availabilityZones: config.network.availabilityZones };
