/**
 * What the peers' checks would read of this program: for each resource type the program creates, the
 * Terraform resource types (checkov), trivy services (`trivy:aws/<service>`) and Kubernetes kinds
 * (`k8s:<Kind>`) that describe the same thing. A check applies to the program when it reads one of them.
 *
 * Some AWS resources are made from Kubernetes objects by a controller, not by the program: the AWS Load
 * Balancer Controller builds the ALB, its listeners and target groups and the WAF association from an
 * Ingress, Karpenter launches instances from an EC2NodeClass, the EBS CSI driver makes volumes from a
 * StorageClass. The checks of those AWS resources apply through the object the program writes.
 */

/** A resource type's peer subjects (Terraform types, trivy services, Kubernetes kinds), and why, when not obvious. */
export interface ProgramType {
    /** What the peers' checks read for it; empty when no peer has a check for it. */
    readonly peers: readonly string[];
    /** Why the mapping is what it is (controllers, indirect resources). */
    readonly note?: string;
}

const aws = (terraform: string, service?: string): ProgramType => ({ peers: service === undefined ? [terraform] : [terraform, `trivy:aws/${service}`] });
const kind = (...kinds: string[]): ProgramType => ({ peers: kinds.map((k) => `k8s:${k}`) });

/** Every resource type of the plans (dev, prod, prod with its optional data resources), by Pulumi type token. */
export const PROGRAM_TYPES: Readonly<Record<string, ProgramType>> = {
    "aws:acm/certificate:Certificate": aws("aws_acm_certificate"),
    "aws:acm/certificateValidation:CertificateValidation": aws("aws_acm_certificate_validation"),
    "aws:cloudwatch/eventRule:EventRule": aws("aws_cloudwatch_event_rule"),
    "aws:cloudwatch/eventTarget:EventTarget": aws("aws_cloudwatch_event_target"),
    "aws:cloudwatch/logGroup:LogGroup": aws("aws_cloudwatch_log_group", "cloudwatch"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": aws("aws_cloudwatch_metric_alarm", "cloudwatch"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": aws("aws_default_security_group", "ec2"),
    "aws:ec2/eip:Eip": aws("aws_eip", "ec2"),
    "aws:ec2/flowLog:FlowLog": aws("aws_flow_log", "ec2"),
    "aws:ec2/internetGateway:InternetGateway": aws("aws_internet_gateway", "ec2"),
    "aws:ec2/launchTemplate:LaunchTemplate": aws("aws_launch_template", "ec2"),
    "aws:ec2/natGateway:NatGateway": aws("aws_nat_gateway", "ec2"),
    "aws:ec2/route:Route": aws("aws_route", "ec2"),
    "aws:ec2/routeTable:RouteTable": aws("aws_route_table", "ec2"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": aws("aws_route_table_association", "ec2"),
    "aws:ec2/securityGroup:SecurityGroup": aws("aws_security_group", "ec2"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { peers: [], note: "no peer has a check of ECR lifecycle policies" },
    "aws:ecr/repository:Repository": aws("aws_ecr_repository", "ecr"),
    "aws:ec2/subnet:Subnet": aws("aws_subnet", "ec2"),
    "aws:ec2/vpc:Vpc": aws("aws_vpc", "ec2"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": aws("aws_vpc_endpoint", "ec2"),
    "aws:eks/accessEntry:AccessEntry": aws("aws_eks_access_entry", "eks"),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": aws("aws_eks_access_policy_association", "eks"),
    "aws:eks/addon:Addon": aws("aws_eks_addon", "eks"),
    "aws:eks/cluster:Cluster": aws("aws_eks_cluster", "eks"),
    "aws:eks/nodeGroup:NodeGroup": aws("aws_eks_node_group", "eks"),
    "aws:elasticache/parameterGroup:ParameterGroup": aws("aws_elasticache_parameter_group", "elasticache"),
    "aws:elasticache/replicationGroup:ReplicationGroup": aws("aws_elasticache_replication_group", "elasticache"),
    "aws:elasticache/subnetGroup:SubnetGroup": aws("aws_elasticache_subnet_group", "elasticache"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": aws("aws_iam_openid_connect_provider", "iam"),
    "aws:iam/policy:Policy": aws("aws_iam_policy", "iam"),
    "aws:iam/role:Role": aws("aws_iam_role", "iam"),
    "aws:iam/rolePolicy:RolePolicy": aws("aws_iam_role_policy", "iam"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": aws("aws_iam_role_policy_attachment", "iam"),
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": aws("aws_iam_service_linked_role", "iam"),
    "aws:kms/alias:Alias": aws("aws_kms_alias", "kms"),
    "aws:kms/key:Key": aws("aws_kms_key", "kms"),
    "aws:rds/instance:Instance": aws("aws_db_instance", "rds"),
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": aws("aws_db_instance_automated_backups_replication", "rds"),
    "aws:rds/parameterGroup:ParameterGroup": aws("aws_db_parameter_group", "rds"),
    "aws:rds/proxy:Proxy": aws("aws_db_proxy", "rds"),
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": aws("aws_db_proxy_default_target_group", "rds"),
    "aws:rds/proxyTarget:ProxyTarget": aws("aws_db_proxy_target", "rds"),
    "aws:rds/subnetGroup:SubnetGroup": aws("aws_db_subnet_group", "rds"),
    "aws:route53/record:Record": aws("aws_route53_record"),
    "aws:s3/bucket:Bucket": aws("aws_s3_bucket", "s3"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": aws("aws_s3_bucket_lifecycle_configuration", "s3"),
    "aws:s3/bucketLogging:BucketLogging": aws("aws_s3_bucket_logging", "s3"),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": aws("aws_s3_bucket_object_lock_configuration", "s3"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": aws("aws_s3_bucket_ownership_controls", "s3"),
    "aws:s3/bucketPolicy:BucketPolicy": aws("aws_s3_bucket_policy", "s3"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": aws("aws_s3_bucket_public_access_block", "s3"),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": aws("aws_s3_bucket_replication_configuration", "s3"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": aws("aws_s3_bucket_server_side_encryption_configuration", "s3"),
    "aws:s3/bucketVersioning:BucketVersioning": aws("aws_s3_bucket_versioning", "s3"),
    "aws:sns/topic:Topic": aws("aws_sns_topic", "sns"),
    "aws:sns/topicPolicy:TopicPolicy": aws("aws_sns_topic_policy", "sns"),
    "aws:sns/topicSubscription:TopicSubscription": aws("aws_sns_topic_subscription", "sns"),
    "aws:sqs/queue:Queue": aws("aws_sqs_queue", "sqs"),
    "aws:sqs/queuePolicy:QueuePolicy": aws("aws_sqs_queue_policy", "sqs"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": aws("aws_vpc_security_group_egress_rule", "ec2"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": aws("aws_vpc_security_group_ingress_rule", "ec2"),
    "aws:wafv2/webAcl:WebAcl": aws("aws_wafv2_web_acl"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": aws("aws_wafv2_web_acl_logging_configuration"),
    "random:index/randomPassword:RandomPassword": aws("random_password"),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": kind("ValidatingAdmissionPolicy"),
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": kind("ValidatingAdmissionPolicyBinding"),
    "kubernetes:apps/v1:Deployment": kind("Deployment"),
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": kind("HorizontalPodAutoscaler"),
    "kubernetes:batch/v1:Job": kind("Job"),
    "kubernetes:cert-manager.io/v1:Certificate": kind("Certificate"),
    "kubernetes:cert-manager.io/v1:ClusterIssuer": kind("ClusterIssuer"),
    "kubernetes:core/v1:ConfigMap": kind("ConfigMap"),
    "kubernetes:core/v1:LimitRange": kind("LimitRange"),
    "kubernetes:core/v1:Namespace": kind("Namespace"),
    "kubernetes:core/v1:ResourceQuota": kind("ResourceQuota"),
    "kubernetes:core/v1:Secret": kind("Secret"),
    "kubernetes:core/v1:Service": kind("Service"),
    "kubernetes:core/v1:ServiceAccount": kind("ServiceAccount"),
    "kubernetes:external-secrets.io/v1:ExternalSecret": kind("ExternalSecret"),
    "kubernetes:external-secrets.io/v1:SecretStore": kind("SecretStore"),
    "kubernetes:helm.sh/v3:Release": {
        peers: [],
        note: "A Release registers only its chart, version and values; the objects it renders reach no policy (platform-k8s-helm-values checks what the values promise).",
    },
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": {
        peers: ["k8s:EC2NodeClass", "aws_instance", "aws_launch_template", "trivy:aws/ec2"],
        note: "Karpenter launches the workload nodes from it, through launch templates of its own.",
    },
    "kubernetes:karpenter.sh/v1:NodePool": kind("NodePool"),
    "kubernetes:monitoring.coreos.com/v1:PrometheusRule": kind("PrometheusRule"),
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": kind("ServiceMonitor"),
    "kubernetes:networking.k8s.io/v1:Ingress": {
        peers: [
            "k8s:Ingress",
            "aws_lb",
            "aws_alb",
            "aws_lb_listener",
            "aws_alb_listener",
            "aws_lb_target_group",
            "aws_alb_target_group",
            "aws_wafv2_web_acl_association",
            "trivy:aws/elb",
        ],
        note: "The AWS Load Balancer Controller builds the application load balancer, its listeners and target groups and the WAF association from the Ingress annotations.",
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": kind("NetworkPolicy"),
    "kubernetes:policy/v1:PodDisruptionBudget": kind("PodDisruptionBudget"),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": kind("ClusterRole"),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": kind("ClusterRoleBinding"),
    "kubernetes:scheduling.k8s.io/v1:PriorityClass": kind("PriorityClass"),
    "kubernetes:storage.k8s.io/v1:StorageClass": {
        peers: ["k8s:StorageClass", "aws_ebs_volume", "trivy:aws/ec2"],
        note: "The EBS CSI driver makes the persistent volumes from it.",
    },
};

/** Pulumi types that hold no resource of their own: the stack, providers and the program's components. */
export function isStructural(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:") || type.startsWith("platform:");
}

/** Every peer subject of the program, with `k8s:*` (a Kubernetes check that selects no kind reads every object). */
export function programSubjects(): Set<string> {
    const subjects = new Set(Object.values(PROGRAM_TYPES).flatMap((t) => t.peers));
    if ([...subjects].some((s) => s.startsWith("k8s:"))) {
        subjects.add("k8s:*");
    }
    return subjects;
}
