/**
 * The type tokens the rules match, in one place. @pulumi/aws v7 keeps deprecated twins of several
 * resources (`BucketV2`, the S3 `…V2` settings resources, `aws:alb/…` next to `aws:lb/…`): every rule
 * matches all variants, so a program that uses the older spelling is not silently unchecked. Kubernetes
 * objects are matched by API group and kind, whatever the version (see ./kubernetes).
 */

/** S3 buckets: the canonical v7 Bucket and its deprecated alias. */
export const S3_BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;

/** S3 settings resources (each with its deprecated `…V2` twin, where one exists). */
export const S3 = {
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    objectLock: [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
} as const;

/** Load balancers (`aws.lb` and its `aws.alb` alias). */
export const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"] as const;
/** Load balancer listeners (`aws.lb` and `aws.alb`). */
export const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"] as const;

/** WAFv2. */
export const WAF = {
    webAcl: "aws:wafv2/webAcl:WebAcl",
    rule: "aws:wafv2/webAclRule:WebAclRule",
    ruleGroupAssociation: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
    association: "aws:wafv2/webAclAssociation:WebAclAssociation",
    logging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
} as const;

/** EKS and its nodes. */
export const EKS = {
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    addon: "aws:eks/addon:Addon",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
} as const;

/** IAM. */
export const IAM = {
    role: "aws:iam/role:Role",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    user: "aws:iam/user:User",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    accessKey: "aws:iam/accessKey:AccessKey",
} as const;

/** RDS. */
export const RDS = {
    instance: "aws:rds/instance:Instance",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    proxy: "aws:rds/proxy:Proxy",
} as const;

/** ElastiCache. */
export const ELASTICACHE = {
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
} as const;

/** KMS, CloudWatch Logs, Secrets Manager. */
export const KMS_KEY = "aws:kms/key:Key";
/** KMS aliases. */
export const KMS_ALIAS = "aws:kms/alias:Alias";
/** CloudWatch log groups. */
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** Secrets Manager secrets. */
export const SECRET = "aws:secretsmanager/secret:Secret";
/** Secrets Manager rotation schedules. */
export const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/** VPC and security groups (all four rule shapes). */
export const NET = {
    vpc: "aws:ec2/vpc:Vpc",
    defaultVpc: "aws:ec2/defaultVpc:DefaultVpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

/** SNS topics and their policies. */
export const SNS = { topic: "aws:sns/topic:Topic", topicPolicy: "aws:sns/topicPolicy:TopicPolicy" } as const;

/** SQS queues and their policies. */
export const SQS = { queue: "aws:sqs/queue:Queue", queuePolicy: "aws:sqs/queuePolicy:QueuePolicy" } as const;

/** ECR repositories. */
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";

/** CloudWatch metric alarms. */
export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** ACM certificates. */
export const ACM_CERTIFICATE = "aws:acm/certificate:Certificate";

/** The replication of RDS automated backups to another region. */
export const RDS_BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/** The Helm release type (its rendered objects are invisible to policies). */
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Kubernetes kinds by API group (`core` for the legacy group), as `group:Kind`. */
export const K8S = {
    workloads: [
        "apps:Deployment",
        "apps:StatefulSet",
        "apps:DaemonSet",
        "apps:ReplicaSet",
        "batch:Job",
        "batch:CronJob",
        "core:Pod",
        "extensions:Deployment",
        "extensions:DaemonSet",
        "extensions:ReplicaSet",
    ],
    namespace: "core:Namespace",
    service: "core:Service",
    serviceAccount: "core:ServiceAccount",
    resourceQuota: "core:ResourceQuota",
    limitRange: "core:LimitRange",
    ingress: ["networking.k8s.io:Ingress", "extensions:Ingress"],
    networkPolicy: ["networking.k8s.io:NetworkPolicy", "extensions:NetworkPolicy"],
    podDisruptionBudget: "policy:PodDisruptionBudget",
    role: "rbac.authorization.k8s.io:Role",
    clusterRole: "rbac.authorization.k8s.io:ClusterRole",
    roleBinding: "rbac.authorization.k8s.io:RoleBinding",
    clusterRoleBinding: "rbac.authorization.k8s.io:ClusterRoleBinding",
    priorityClass: "scheduling.k8s.io:PriorityClass",
    configMap: "core:ConfigMap",
    secretStore: "external-secrets.io:SecretStore",
    clusterSecretStore: "external-secrets.io:ClusterSecretStore",
    nodePool: "karpenter.sh:NodePool",
    ec2NodeClass: "karpenter.k8s.aws:EC2NodeClass",
} as const;

/** Kubernetes type tokens the rules handle (one version each; every version matches), for tests. */
export const K8S_EXAMPLE_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:Namespace",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:core/v1:ResourceQuota",
    "kubernetes:core/v1:LimitRange",
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:scheduling.k8s.io/v1:PriorityClass",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:external-secrets.io/v1:SecretStore",
    "kubernetes:external-secrets.io/v1:ClusterSecretStore",
    "kubernetes:karpenter.sh/v1:NodePool",
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    HELM_RELEASE,
] as const;

/** Every AWS type token some rule reads, for tests (the fuzz test draws from these). */
export const AWS_TYPES: readonly string[] = [
    ...S3_BUCKET,
    ...Object.values(S3).flat(),
    ...LOAD_BALANCER,
    ...LISTENER,
    ...Object.values(WAF),
    ...Object.values(EKS),
    ...Object.values(IAM),
    ...Object.values(RDS),
    ...Object.values(ELASTICACHE),
    KMS_KEY,
    KMS_ALIAS,
    LOG_GROUP,
    SECRET,
    SECRET_ROTATION,
    ...Object.values(SNS),
    ...Object.values(SQS),
    ECR_REPOSITORY,
    METRIC_ALARM,
    ACM_CERTIFICATE,
    RDS_BACKUP_REPLICATION,
    ...Object.values(NET),
    "aws:ec2/flowLog:FlowLog",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "kubernetes:storage.k8s.io/v1:StorageClass",
];
