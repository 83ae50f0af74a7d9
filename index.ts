/**
 * The platform program: reads and validates the stack config, then creates the platform's components
 * and exports what operators and other stacks need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { CERT_MANAGER, CertManager } from "./components/addons/certManager";
import { ExternalSecrets } from "./components/addons/externalSecrets";
import { MetricsServer } from "./components/addons/metricsServer";
import { Monitoring } from "./components/addons/monitoring";
import { PlatformAlerts } from "./components/addons/platformAlerts";
import { Velero } from "./components/addons/velero";
import { Application, appNamespace } from "./components/apps/application";
import { DatabaseAdmin } from "./components/apps/databaseAdmin";
import { DatabaseUser } from "./components/apps/databaseUser";
import { MasterCredentials } from "./components/apps/masterCredentials";
import { ALB_ACCESS_LOG_PREFIX } from "./components/data/bucketPolicies";
import { DataTier, type DatabaseConnection } from "./components/data/data";
import { Edge } from "./components/edge/edge";
import { Eks } from "./components/eks/eks";
import { PreviewAccess } from "./components/eks/previewAccess";
import { createAutoScalingServiceRole } from "./components/autoScalingServiceRole";
import { PlatformKeys } from "./components/keys";
import { Network } from "./components/network";
import { Karpenter } from "./components/karpenter/karpenter";
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
    },
    inAccount,
);

// The WAF in front of every internet-facing ALB, and the certificate of the application hosts.
const edge = new Edge(
    "edge",
    { edge: config.edge, waf: config.waf, namePrefix: config.namePrefix, logsKeyArn: keys.keys.logs.arn, logRetentionDays: config.logRetentionDays },
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

// Every namespace the program creates enforces the Pod Security Standards of the cluster's own minor: a
// cluster upgrade changes the rules only when this program does.
const podSecurityVersion = `v${config.eks.version}`;

// kube-prometheus-stack: after the load balancer controller (its webhook admits every Service) and the
// gp3 StorageClass its volumes use.
const monitoring = new Monitoring("monitoring", {
    monitoring: config.monitoring,
    alerting: config.alerting,
    podSecurityVersion,
    isProd: config.isProd,
    atomic: config.isProd,
    provider: eks.kubernetesProvider,
    after: [eks.loadBalancerController.release, eks.defaultStorageClass],
});

// Karpenter: the workload capacity (components/karpenter/karpenter.ts says what waits for what, both ways).
const karpenter = new Karpenter(
    "karpenter",
    {
        clusterName: eks.cluster.name,
        clusterNameText: `${config.namePrefix}-eks`,
        clusterEndpoint: eks.cluster.endpoint,
        namePrefix: config.namePrefix,
        account,
        partition: config.partition,
        oidcProviderArn: eks.oidcProvider.arn,
        issuer: eks.oidcIssuer,
        clusterKeyArn: keys.keys.cluster.arn,
        nodePools: config.karpenter.nodePools,
        zones: config.network.availabilityZones,
        tags: config.tags,
        highlyAvailable: config.isProd,
        podSecurityVersion,
        atomic: config.isProd,
        provider: eks.kubernetesProvider,
        after: [eks.loadBalancerController.release],
        monitoringRelease: monitoring.release,
    },
    inAccount,
);

// The platform's alert rules (certificates, backups, nodes, volumes, crash loops).
new PlatformAlerts("platform-alerts", {
    namespace: monitoring.namespace,
    runbookBaseUrl: config.alerting.runbookBaseUrl,
    provider: eks.kubernetesProvider,
    monitoringRelease: monitoring.release,
});

// The resource metrics API, for HorizontalPodAutoscalers and `kubectl top`.
new MetricsServer("metrics-server", {
    podSecurityVersion,
    isProd: config.isProd,
    atomic: config.isProd,
    provider: eks.kubernetesProvider,
    after: [eks.loadBalancerController.release],
});

// Add-ons whose charts create ServiceMonitors and other custom resources come after the release that
// installs those CRDs (the monitoring release), and like every release after the load balancer controller.
const addonsAfter = [eks.loadBalancerController.release, monitoring.release];

// cert-manager: Let's Encrypt issuers (DNS-01 in the stack's hosted zone) when there is a public domain,
// and always the internal CA for in-cluster TLS.
const certManager = new CertManager(
    "cert-manager",
    {
        namePrefix: config.namePrefix,
        region: config.region,
        partition: config.partition,
        vpcCidr: config.network.cidr,
        oidcProviderArn: eks.oidcProvider.arn,
        issuer: eks.oidcIssuer,
        hostedZone:
            config.edge.hostedZoneId === undefined || config.edge.hostedZoneName === undefined
                ? undefined
                : { id: config.edge.hostedZoneId, name: config.edge.hostedZoneName },
        acmeEmail: config.certManager.acmeEmail,
        podSecurityVersion,
        highlyAvailable: config.isProd,
        atomic: config.isProd,
        provider: eks.kubernetesProvider,
        after: addonsAfter,
    },
    inAccount,
);

// Velero: scheduled backups of the application namespaces and of cert-manager's (the internal CA's key)
// to the backup bucket, volumes as EBS snapshots.
new Velero(
    "velero",
    {
        clusterName: `${config.namePrefix}-eks`,
        namePrefix: config.namePrefix,
        region: config.region,
        partition: config.partition,
        accountId: account.apply((a) => a.accountId),
        bucketName: data.backupBucket.bucket,
        backupsKeyArn: keys.keys.backups.arn,
        volumeKeyArn: keys.keys.cluster.arn,
        oidcProviderArn: eks.oidcProvider.arn,
        issuer: eks.oidcIssuer,
        schedules: config.velero.schedules,
        applicationNamespaces: config.apps.map((app) => appNamespace(app.name)),
        platformNamespaces: [CERT_MANAGER.namespace],
        podSecurityVersion,
        atomic: config.isProd,
        provider: eks.kubernetesProvider,
        after: addonsAfter,
    },
    inAccount,
);

// Applications with a database get their own role and database, made by a Job in database-admin (the only
// namespace with the master credentials) with a password Pulumi owns: the master's rotation never reaches them.
// A stack without a database has no such application (config/rules/apps.ts), so no database-admin either.
const databaseApps = config.apps.filter((app) => app.database);
const database = data.database;

/** database-admin, the operator that syncs the master credentials into it, and those credentials. */
function databaseAdministration(master: DatabaseConnection): { admin: DatabaseAdmin; credentials: MasterCredentials } {
    const admin = new DatabaseAdmin("database-admin", {
        databaseSubnetCidrs: config.network.subnets.database,
        podSecurityVersion,
        // Its Jobs run on workload nodes.
        after: [eks.loadBalancerController.release, ...karpenter.nodePools],
        provider: eks.kubernetesProvider,
    });
    // The External Secrets Operator copies the RDS-managed secret into database-admin, the one namespace it
    // serves (its Role is created there, hence after the namespace), so the program never reads the password.
    // Its chart creates ServiceMonitors.
    const externalSecrets = new ExternalSecrets("external-secrets", {
        scopedNamespace: admin.namespaceName,
        podSecurityVersion,
        highlyAvailable: config.isProd,
        atomic: config.isProd,
        provider: eks.kubernetesProvider,
        after: [...addonsAfter, ...admin.namespaceReady],
    });
    const credentials = new MasterCredentials(
        "database-master",
        {
            namespace: admin.namespace,
            namespaceName: admin.namespaceName,
            secretArn: master.secretArn,
            keyArn: keys.keys.data.arn,
            region: config.region,
            partition: config.partition,
            endpoint: { host: master.host, port: master.port, database: master.name },
            oidcProviderArn: eks.oidcProvider.arn,
            issuer: eks.oidcIssuer,
            namePrefix: config.namePrefix,
            operatorRelease: externalSecrets.release,
            after: admin.namespaceReady,
            provider: eks.kubernetesProvider,
        },
        inAccount,
    );
    return { admin, credentials };
}
const administration = databaseApps.length === 0 || database === undefined ? undefined : databaseAdministration(database);
const databaseUsers = new Map(
    (administration === undefined ? [] : databaseApps).map((app) => [
        app.name,
        new DatabaseUser(`app-${app.name}-database-user`, {
            app: app.name,
            passwordVersion: app.passwordVersion,
            admin: (administration as NonNullable<typeof administration>).admin,
            masterCredentials: (administration as NonNullable<typeof administration>).credentials,
            provider: eks.kubernetesProvider,
        }),
    ]),
);

// The applications of the stack config: one namespace each, wired to the data tier, the edge and monitoring.
const applications = config.apps.map((app, index) => {
    const user = databaseUsers.get(app.name);
    return new Application(`app-${app.name}`, {
        app,
        index,
        namePrefix: config.namePrefix,
        podSecurityVersion,
        // The application's own role and database on the instance; never the master credentials.
        database:
            user === undefined || database === undefined
                ? undefined
                : { host: database.host, port: database.port, name: user.database, username: user.username, password: user.password },
        databaseUser: user?.job,
        cache: data.cache,
        publicSubnetCidrs: config.network.subnets.public,
        databaseSubnetCidrs: config.network.subnets.database,
        edge: edge.certificateArn === undefined ? undefined : { webAclArn: edge.webAclArn, certificateArn: edge.certificateArn },
        accessLogs: { bucket: data.accessLogBucket.bucket, prefix: ALB_ACCESS_LOG_PREFIX },
        isProd: config.isProd,
        oidcProviderArn: eks.oidcProvider.arn,
        issuer: eks.oidcIssuer,
        monitoringRelease: monitoring.release,
        // Application pods run on the workload capacity Karpenter launches.
        after: [eks.loadBalancerController.release, ...karpenter.nodePools],
        provider: eks.kubernetesProvider,
    });
});

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
/** Region and environment of the stack. */
export const stackInfo = { region: config.region, environment: config.environment, availabilityZones: config.network.availabilityZones };
