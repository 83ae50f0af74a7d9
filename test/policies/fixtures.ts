/**
 * One compliant baseline per resource type, typed with the v7 (and Kubernetes v4) input types so a
 * misspelt property fails the type check. Each rule's spec mutates one property at a time.
 */
import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";

/** An ARN of a customer-managed key of the stack. */
export const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** The account root. */
export const ROOT = "arn:aws:iam::123456789012:root";
/** An OIDC provider of an EKS cluster. */
export const OIDC_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
/** Its issuer, as trust-policy condition keys use it. */
export const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC123";

/** A rotating symmetric key with an explicit key policy. */
export const kmsKey = {
    enableKeyRotation: true,
    keyUsage: "ENCRYPT_DECRYPT",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    isEnabled: true,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }] }),
} satisfies aws.kms.KeyArgs;

/** A private-only, encrypted, fully logged cluster. */
export const eksCluster = {
    name: "platform-prod-eks",
    version: "1.36",
    roleArn: "arn:aws:iam::123456789012:role/eks",
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPrivateAccess: true, endpointPublicAccess: false },
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    deletionProtection: true,
} satisfies aws.eks.ClusterArgs;

/** A node group without SSH access. */
export const nodeGroup = {
    clusterName: "platform-prod-eks",
    nodeRoleArn: "arn:aws:iam::123456789012:role/node",
    subnetIds: ["subnet-1", "subnet-2"],
    scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 3 },
} satisfies aws.eks.NodeGroupArgs;

/** IMDSv2 with hop limit 1, an encrypted root volume, no public address. */
export const launchTemplate = {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: KEY_ARN } }],
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-1"] }],
} satisfies aws.ec2.LaunchTemplateArgs;

/** A private, encrypted, Multi-AZ PostgreSQL instance whose password RDS manages. */
export const rdsInstance = {
    instanceClass: "db.m6g.large",
    engine: "postgres",
    engineVersion: "17.7",
    dbName: "app",
    username: "platform",
    manageMasterUserPassword: true,
    publiclyAccessible: false,
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    backupRetentionPeriod: 14,
    multiAz: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "final",
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    autoMinorVersionUpgrade: true,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    iamDatabaseAuthenticationEnabled: true,
    monitoringInterval: 60,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY_ARN,
    copyTagsToSnapshot: true,
    dbSubnetGroupName: "platform-database",
    vpcSecurityGroupIds: ["sg-db"],
} satisfies aws.rds.InstanceArgs;

/** A PostgreSQL parameter group that forces TLS and logs statements. */
export const rdsParameterGroup = {
    family: "postgres17",
    parameters: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: "ddl" },
        { name: "log_min_duration_statement", value: "1000" },
    ],
} satisfies aws.rds.ParameterGroupArgs;

/** An encrypted, authenticated, highly available Redis replication group. */
export const replicationGroup = {
    description: "cache",
    engine: "redis",
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: "a-long-generated-token-of-32-chars",
    kmsKeyId: KEY_ARN,
    subnetGroupName: "platform-cache",
    snapshotRetentionLimit: 7,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numCacheClusters: 2,
    autoMinorVersionUpgrade: true,
    securityGroupIds: ["sg-cache"],
    logDeliveryConfigurations: [
        { destination: "slow", destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        { destination: "engine", destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
    ],
} satisfies aws.elasticache.ReplicationGroupArgs;

/** A secret under a customer-managed key with a recovery window. */
export const secret = { kmsKeyId: KEY_ARN, recoveryWindowInDays: 7 } satisfies aws.secretsmanager.SecretArgs;

/** A rotation of a secret every 30 days by a rotation function. */
export const secretRotation = {
    secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf",
    rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate",
    rotationRules: { automaticallyAfterDays: 30 },
} satisfies aws.secretsmanager.SecretRotationArgs;

/** An internal ALB with logs, header validation and deletion protection. */
export const loadBalancer = {
    internal: true,
    loadBalancerType: "application",
    subnets: ["subnet-1", "subnet-2"],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    desyncMitigationMode: "defensive",
    accessLogs: { bucket: "platform-access-logs", enabled: true, prefix: "alb" },
} satisfies aws.lb.LoadBalancerArgs;

/** An HTTPS listener with a TLS 1.2+ policy. */
export const httpsListener = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
    defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1" }],
} satisfies aws.lb.ListenerArgs;

/** A port-80 listener that only redirects to HTTPS. */
export const redirectListener = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1",
    port: 80,
    protocol: "HTTP",
    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
} satisfies aws.lb.ListenerArgs;

/** A web ACL running the required managed rule groups with metrics. */
export const webAcl = {
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "acl", sampledRequestsEnabled: true },
    rules: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"].map((name, priority) => ({
        name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    })),
} satisfies aws.wafv2.WebAclArgs;

/** A container that meets the restricted Pod Security Standard and the platform's rules. */
export const container = {
    name: "app",
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2",
    ports: [{ containerPort: 8080 }],
    securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
} satisfies k8s.types.input.core.v1.Container;

/** The pod template of a compliant workload labelled `app: web`. */
export const podTemplate = {
    metadata: { labels: { app: "web" } },
    spec: {
        serviceAccountName: "web",
        automountServiceAccountToken: false,
        priorityClassName: "applications",
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [container],
        volumes: [{ name: "tmp", emptyDir: {} }],
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "web" } } },
        ],
    },
} satisfies k8s.types.input.core.v1.PodTemplateSpec;

/** The PriorityClass the pod template names. */
export const priorityClass = {
    metadata: { name: "applications" },
    value: 100000,
    preemptionPolicy: "PreemptLowerPriority",
    globalDefault: true,
} satisfies k8s.scheduling.v1.PriorityClassArgs;

/** A compliant Deployment of three replicas in namespace `shop`. */
export const deployment = {
    metadata: { name: "web", namespace: "shop" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: podTemplate },
} satisfies k8s.apps.v1.DeploymentArgs;

/** A namespace enforcing the restricted standard. */
export const namespace = {
    metadata: {
        name: "shop",
        labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
        },
    },
} satisfies k8s.core.v1.NamespaceArgs;

/** A ClusterIP Service `web` in `shop` in front of the pods labelled `app: web`. */
export const service = {
    metadata: { name: "web", namespace: "shop" },
    spec: { type: "ClusterIP", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
} satisfies k8s.core.v1.ServiceArgs;

/** An ALB Ingress `web` in `shop` routing shop.example.com/ to the Service `web`. */
export const ingress = {
    metadata: { name: "web", namespace: "shop", annotations: { "alb.ingress.kubernetes.io/group.name": "shop" } },
    spec: {
        ingressClassName: "alb",
        rules: [
            { host: "shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } },
        ],
    },
} satisfies k8s.networking.v1.IngressArgs;

/** An external-dns release as the platform installs it: upsert-only, an owner id of its own, the TXT registry. */
export const externalDnsRelease = {
    name: "external-dns",
    chart: "external-dns",
    version: "1.21.1",
    repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns" },
    namespace: "external-dns",
    values: {
        policy: "upsert-only",
        registry: "txt",
        txtOwnerId: "platform-prod-eks",
        txtPrefix: "extdns-%{record_type}.",
        extraArgs: { "zone-id-filter": "Z0123456789EXAMPLE0AB", "aws-zone-type": "public" },
    },
} satisfies k8s.helm.v3.ReleaseArgs;

/** An SNS topic encrypted with a key of the stack. */
export const snsTopic = { name: "alarms", kmsMasterKeyId: KEY_ARN } satisfies aws.sns.TopicArgs;

/** A topic policy: the account administers the topic, this account's CloudWatch alarms publish. */
export const snsTopicPolicy = {
    arn: "arn:aws:sns:eu-west-1:123456789012:alarms",
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { AWS: ROOT }, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:123456789012:alarms" },
            {
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: "arn:aws:sns:eu-west-1:123456789012:alarms",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ],
    }),
} satisfies aws.sns.TopicPolicyArgs;

/** An SQS queue with SQS-managed encryption. */
export const sqsQueue = { name: "interruptions", sqsManagedSseEnabled: true, messageRetentionSeconds: 300 } satisfies aws.sqs.QueueArgs;

/** An ECR repository: immutable tags, scan on push, a key of the stack. */
export const ecrRepository = {
    name: "platform/app",
    imageTagMutability: "IMMUTABLE",
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
} satisfies aws.ecr.RepositoryArgs;

/** A CloudWatch alarm that notifies the alarm topic. */
export const metricAlarm = {
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 3,
    metricName: "CPUUtilization",
    namespace: "AWS/RDS",
    period: 300,
    statistic: "Average",
    threshold: 80,
    alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alarms"],
} satisfies aws.cloudwatch.MetricAlarmArgs;

/** An ACM certificate for the domain and its wildcard, DNS-validated, in the CT logs (the default). */
export const acmCertificate = {
    domainName: "example.com",
    subjectAlternativeNames: ["*.example.com"],
    validationMethod: "DNS",
} satisfies aws.acm.CertificateArgs;

/** A ConfigMap of plain settings. */
export const configMap = { metadata: { name: "settings", namespace: "shop" }, data: { LOG_LEVEL: "info", "app.yaml": "listen: 8080\n" } };

/** A ClusterSecretStore limited to one namespace. */
export const clusterSecretStore = {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name: "aws" },
    spec: {
        provider: { aws: { service: "SecretsManager", region: "eu-west-1" } },
        conditions: [{ namespaces: ["shop"] }],
    },
};

/** A Karpenter NodePool as the platform makes it (components/karpenter/nodeClasses.ts). */
export const nodePool = {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "general" },
    spec: {
        template: {
            spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "general" },
                requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] }],
                expireAfter: "720h",
            },
        },
        limits: { cpu: "64", memory: "256Gi" },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m", budgets: [{ nodes: "10%" }] },
    },
};

/** A Karpenter EC2NodeClass as the platform makes it: IMDSv2 with hop limit 1, a root volume on the stack's key. */
export const ec2NodeClass = {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: "general" },
    spec: {
        role: "platform-prod-karpenter-node",
        amiSelectorTerms: [{ alias: "al2023@v20260714" }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "platform-prod-eks" } }],
        securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "platform-prod-eks" } }],
        associatePublicIPAddress: false,
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [
            {
                deviceName: "/dev/xvda",
                rootVolume: true,
                ebs: {
                    volumeSize: "50Gi",
                    volumeType: "gp3",
                    encrypted: true,
                    kmsKeyID: "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                    deleteOnTermination: true,
                },
            },
        ],
    },
};
