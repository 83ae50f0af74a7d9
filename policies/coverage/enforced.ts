/**
 * Which checkov and trivy checks each rule of the pack enforces, and how far. A rule enforces a check
 * fully when, on the resources of this program that the check reads, it reports every case the check
 * fails (it may be stricter); partly when it lets some of them through, which the note names. Extents are
 * judged with prod's thresholds; a note says where dev's are lower. Each rule's `sources` list exactly
 * its fully enforced peer ids and its `partial` list the others (test/policies/coverage.spec.ts).
 */

/** One rule's peer checks. */
export interface RuleCoverage {
    /** The rule's policy name. */
    readonly rule: string;
    /** Peer checks the rule enforces fully. */
    readonly full: readonly string[];
    /** Peer checks it enforces in part, with what it lets through. */
    readonly partial?: Readonly<Record<string, string>>;
    /** Remarks on fully enforced checks (thresholds that differ by stack, twin resource types). */
    readonly notes?: Readonly<Record<string, string>>;
}

/**
 * Checks that no rule enforces fully alone but the rules that enforce parts of them do together, with
 * how the parts fit: their status is full.
 */
export const TOGETHER: Readonly<Record<string, string>> = {
    CKV_AWS_63: "\"*\" on every resource is platform-iam-policy-privileges's, on named resources platform-iam-policy-sensitive-actions's",
    CKV2_AWS_40: 'iam:* and "*" on named resources are platform-iam-policy-sensitive-actions\'s, "*" on every resource platform-iam-policy-privileges\'s',
    "KSV-0118": "the pod's security context is platform-k8s-pod-spec's, the containers' platform-k8s-workload-baseline's",
};

const DEV_OFF = "prod only: dev's policy config turns this part off";

/** Every rule with peer checks, in the order of the pack. */
export const ENFORCED: readonly RuleCoverage[] = [
    { rule: "platform-kms-key-rotation", full: ["CKV_AWS_7", "CKV_AWS_33", "CKV_AWS_227", "CKV2_AWS_64", "AVD-AWS-0065"] },
    {
        rule: "platform-kms-key-customer-managed",
        full: ["CKV_AWS_3", "CKV_AWS_189", "CKV_AWS_245", "CKV2_AWS_2", "AVD-AWS-0026", "AVD-AWS-0027"],
        notes: {
            CKV_AWS_3: "the persistent volumes, through the EBS StorageClasses they are made from",
            CKV_AWS_189: "the persistent volumes, through the EBS StorageClasses they are made from",
            CKV2_AWS_2: "the persistent volumes, through the EBS StorageClasses they are made from",
            "AVD-AWS-0026": "the persistent volumes, through the EBS StorageClasses they are made from",
            "AVD-AWS-0027": "the persistent volumes, through the EBS StorageClasses they are made from",
        },
    },
    {
        rule: "platform-logs-group-retention",
        full: ["CKV_AWS_66", "CKV_AWS_338"],
        notes: { CKV_AWS_338: "prod requires 365 days; dev's threshold is 1 day" },
    },
    { rule: "platform-logs-group-encryption", full: ["CKV_AWS_158", "AVD-AWS-0017"] },
    { rule: "platform-secrets-secret-encryption", full: ["CKV_AWS_149", "AVD-AWS-0098"] },
    { rule: "platform-secrets-secret-rotation", full: ["CKV2_AWS_57", "CKV_AWS_304"] },
    {
        rule: "platform-sns-topic-hardening",
        full: ["CKV_AWS_26", "CKV_AWS_169", "AVD-AWS-0095", "AVD-AWS-0136"],
        partial: { CKV_AWS_385: "refuses other accounts' principals; checkov also refuses the stack's own account's principals without a condition" },
    },
    {
        rule: "platform-sqs-queue-hardening",
        full: ["CKV_AWS_27", "CKV_AWS_72", "CKV_AWS_168", "CKV_AWS_387", "AVD-AWS-0096", "AVD-AWS-0097", "AVD-AWS-0135"],
        partial: { CKV2_AWS_73: "accepts SQS-managed encryption (SSE-SQS), which EventBridge can write to without a key grant; checkov wants a KMS key" },
    },
    { rule: "platform-ecr-repository-hardening", full: ["CKV_AWS_51", "CKV_AWS_136", "CKV_AWS_163", "AVD-AWS-0030", "AVD-AWS-0031", "AVD-AWS-0033"] },
    { rule: "platform-cloudwatch-alarm-actions", full: ["CKV_AWS_319"] },
    { rule: "platform-acm-certificate-transparency", full: ["CKV_AWS_234"] },
    {
        rule: "platform-acm-wildcard-certificate",
        full: [],
        partial: { CKV2_AWS_71: "reports every wildcard except the stack's own edge domain (allowedWildcardDomains), which the design covers with one" },
    },
    { rule: "platform-network-subnet-public-ip", full: ["CKV_AWS_130", "AVD-AWS-0164"] },
    { rule: "platform-network-vpc-flow-logs", full: ["CKV2_AWS_11", "CKV2_AWS_12", "AVD-AWS-0173", "AVD-AWS-0178"] },
    { rule: "platform-network-default-vpc", full: ["CKV_AWS_148", "AVD-AWS-0101"] },
    { rule: "platform-network-sg-public-ingress", full: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107"] },
    {
        rule: "platform-network-sg-rule-hygiene",
        full: ["CKV_AWS_23", "CKV_AWS_382", "AVD-AWS-0099", "AVD-AWS-0124"],
        partial: { "AVD-AWS-0104": "reports egress of every protocol to the internet; trivy reports any egress rule to 0.0.0.0/0" },
    },
    { rule: "platform-network-sg-attached", full: ["CKV2_AWS_5"] },
    {
        rule: "platform-network-world-egress",
        full: [],
        partial: { "AVD-AWS-0104": "allows internet egress on allowedWorldEgressPorts (443: AWS APIs, registries, ACME); trivy refuses any" },
    },
    {
        rule: "platform-ec2-user-data-secrets",
        full: ["CKV_AWS_46", "AVD-AWS-0029", "AVD-AWS-0129"],
        notes: {
            CKV_AWS_46: "the instances, through the launch template of the node group and Karpenter's EC2NodeClasses",
            "AVD-AWS-0029": "the instances, through the launch template of the node group and Karpenter's EC2NodeClasses",
        },
    },

    {
        rule: "platform-s3-bucket-public-access",
        full: [
            "CKV_AWS_53",
            "CKV_AWS_54",
            "CKV_AWS_55",
            "CKV_AWS_56",
            "CKV_AWS_70",
            "CKV2_AWS_6",
            "AVD-AWS-0086",
            "AVD-AWS-0087",
            "AVD-AWS-0091",
            "AVD-AWS-0093",
            "AVD-AWS-0094",
        ],
    },
    { rule: "platform-s3-bucket-ownership", full: ["CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "CKV2_AWS_65", "AVD-AWS-0092"] },
    {
        rule: "platform-s3-bucket-encryption",
        full: ["CKV_AWS_19"],
        partial: {
            CKV_AWS_145: "access-log buckets use SSE-S3, because log delivery cannot write to SSE-KMS buckets",
            "AVD-AWS-0132": "access-log buckets use SSE-S3, because log delivery cannot write to SSE-KMS buckets",
        },
    },
    { rule: "platform-s3-bucket-versioning", full: ["CKV_AWS_21", "AVD-AWS-0090"] },
    {
        rule: "platform-s3-bucket-logging",
        full: [],
        partial: {
            CKV_AWS_18: "the access-log bucket itself does not log (it would log its own log deliveries)",
            "AVD-AWS-0089": "the access-log bucket itself does not log (it would log its own log deliveries)",
        },
    },
    { rule: "platform-s3-bucket-lifecycle", full: ["CKV_AWS_300", "CKV2_AWS_61"] },
    {
        rule: "platform-s3-bucket-backup-protection",
        full: [],
        partial: {
            CKV_AWS_143: "backup buckets (tagged purpose=backups) only",
            CKV_AWS_144: "backup buckets (tagged purpose=backups) only",
            "AVD-AWS-0170": "backup buckets only, and an object-lock default retention counts instead of MFA delete (which only the root user can turn on)",
        },
    },
    {
        rule: "platform-eks-cluster-baseline",
        full: ["CKV_AWS_38", "CKV_AWS_58", "CKV_AWS_88", "CKV_AWS_100", "AVD-AWS-0039", "AVD-AWS-0041"],
        partial: {
            CKV_AWS_37: "requires the audit log only (platform-eks-cluster-hardening requires every type)",
            "AVD-AWS-0038": "requires the audit log only (platform-eks-cluster-hardening requires every type)",
        },
    },
    {
        rule: "platform-eks-cluster-hardening",
        full: ["CKV_AWS_37", "CKV_AWS_39", "CKV_AWS_79", "CKV_AWS_339", "CKV_AWS_341", "AVD-AWS-0028", "AVD-AWS-0038", "AVD-AWS-0040", "AVD-AWS-0130"],
        notes: {
            "AVD-AWS-0028": "the managed node group's instances, through the launch template they are launched from",
            CKV_AWS_39: "dev may keep a public endpoint restricted to listed CIDRs (advisory there)",
        },
    },
    {
        rule: "platform-iam-role-trust",
        full: ["CKV_AWS_60", "CKV_AWS_61"],
        notes: { CKV_AWS_61: "an account listed in trustedAccounts (none in either stack) may be trusted, with a condition" },
    },
    {
        rule: "platform-iam-policy-privileges",
        full: ["CKV_AWS_40", "CKV_AWS_62", "CKV_AWS_274", "CKV2_AWS_56", "AVD-AWS-0143"],
        partial: {
            CKV_AWS_63: 'refuses "Action": "*" on "Resource": "*" (platform-iam-policy-sensitive-actions refuses it on named resources)',
            CKV2_AWS_40: 'refuses "*" on every resource (platform-iam-policy-sensitive-actions refuses iam:*)',
            CKV_AWS_286: "the privilege-escalation subset that is iam:PassRole on every role",
            CKV_AWS_287: 'only "*" on every resource',
            CKV_AWS_288: 'kms:Decrypt on every key (and "*" on every resource)',
            CKV_AWS_289: 'only "*" on every resource',
            CKV_AWS_290: 'only "*" on every resource',
            "AVD-AWS-0342": "refuses iam:PassRole on every role; trivy refuses any iam:PassRole",
        },
    },
    {
        rule: "platform-iam-policy-sensitive-actions",
        full: ["AVD-AWS-0345"],
        partial: {
            CKV_AWS_286: "the named privilege-escalation actions on every resource without a condition, not every action of checkov's (cloudsplaining's) list",
            CKV_AWS_287: "the named credentials-exposure actions on every resource without a condition",
            CKV_AWS_288: "the named data-exfiltration actions on every resource without a condition",
            CKV_AWS_289: "the named permissions-management actions on every resource without a condition",
            CKV_AWS_355: 'the sensitive actions on "*"; checkov refuses every restrictable action on "*"',
            CKV_AWS_63: '"Action": "*" on named resources (platform-iam-policy-privileges refuses it on every resource)',
            CKV2_AWS_40: 'refuses iam:*, and "*" on named resources (platform-iam-policy-privileges refuses "*" on every resource)',
            "AVD-AWS-0342": "iam:PassRole only for roles named one by one; trivy refuses any iam:PassRole",
            "AVD-AWS-0346": "s3:Get* on every resource without a condition; trivy also refuses it with one",
        },
    },
    {
        rule: "platform-rds-instance-baseline",
        full: ["CKV_AWS_16", "CKV_AWS_17", "CKV2_AWS_69", "AVD-AWS-0080", "AVD-AWS-0180"],
    },
    {
        rule: "platform-rds-instance-hardening",
        full: ["CKV_AWS_129", "CKV_AWS_133", "CKV_AWS_157", "CKV_AWS_211", "CKV_AWS_226", "CKV_AWS_293", "AVD-AWS-0077", "AVD-AWS-0177"],
        notes: {
            CKV_AWS_157: DEV_OFF,
            CKV_AWS_293: DEV_OFF,
            "AVD-AWS-0177": DEV_OFF,
            "AVD-AWS-0077": "prod requires 7 days of backups; dev's threshold is 1 day",
        },
    },
    {
        rule: "platform-rds-instance-best-practices",
        full: ["CKV_AWS_118", "CKV_AWS_161", "CKV_AWS_353", "CKV_AWS_354", "CKV2_AWS_30", "CKV2_AWS_60", "AVD-AWS-0078", "AVD-AWS-0133", "AVD-AWS-0176"],
    },
    { rule: "platform-elasticache-group-baseline", full: ["CKV_AWS_29", "CKV_AWS_30", "AVD-AWS-0045", "AVD-AWS-0051"] },
    {
        rule: "platform-elasticache-group-hardening",
        full: ["CKV_AWS_31", "CKV_AWS_191", "CKV2_AWS_50", "AVD-AWS-0050"],
        notes: { CKV2_AWS_50: DEV_OFF },
    },
    {
        rule: "platform-alb-load-balancer-baseline",
        full: ["CKV_AWS_2", "CKV_AWS_103", "CKV2_AWS_20", "CKV2_AWS_74", "AVD-AWS-0047", "AVD-AWS-0053", "AVD-AWS-0054"],
        notes: { CKV_AWS_2: "load balancers the program creates itself (none today; ALBs come from Ingresses)" },
    },
    {
        rule: "platform-alb-load-balancer-hardening",
        full: ["CKV_AWS_91", "CKV_AWS_131", "CKV_AWS_150", "CKV_AWS_328", "AVD-AWS-0052"],
        notes: { CKV_AWS_150: DEV_OFF },
    },
    { rule: "platform-alb-load-balancer-waf", full: ["CKV2_AWS_28", "CKV2_AWS_31"] },
    { rule: "platform-waf-web-acl-rules", full: ["CKV_AWS_175", "CKV_AWS_192", "CKV_AWS_342", "CKV2_AWS_76"] },
    {
        rule: "platform-k8s-workload-baseline",
        full: [
            "CKV_K8S_16",
            "CKV_K8S_17",
            "CKV_K8S_18",
            "CKV_K8S_19",
            "CKV_K8S_20",
            "CKV_K8S_26",
            "CKV_K8S_27",
            "CKV_K8S_30",
            "KSV-0001",
            "KSV-0006",
            "KSV-0008",
            "KSV-0009",
            "KSV-0010",
            "KSV-0017",
            "KSV-0023",
            "KSV-0024",
            "KSV-0025",
            "KSV-0026",
            "KSV-0027",
            "KSV-0028",
            "KSV-0103",
            "KSV-0110",
            "KSV-0121",
        ],
        partial: {
            CKV_K8S_21: "workloads only; checkov also reads Services, ConfigMaps, Secrets, ServiceAccounts, Roles and Ingresses",
            "KSV-0037": "workloads only; trivy reads every object in kube-system",
            "KSV-0118": "the containers' security context (platform-k8s-pod-spec requires the pod's)",
            "KSV-0002": "a localhost/ AppArmor profile is accepted as well as runtime/default; trivy accepts runtime/default only",
        },
    },
    {
        rule: "platform-k8s-workload-hardening",
        full: [
            "CKV_K8S_8",
            "CKV_K8S_9",
            "CKV_K8S_10",
            "CKV_K8S_12",
            "CKV_K8S_13",
            "CKV_K8S_14",
            "CKV_K8S_22",
            "CKV_K8S_23",
            "CKV_K8S_28",
            "CKV_K8S_31",
            "CKV_K8S_37",
            "CKV_K8S_39",
            "KSV-0003",
            "KSV-0004",
            "KSV-0005",
            "KSV-0012",
            "KSV-0013",
            "KSV-0014",
            "KSV-0015",
            "KSV-0016",
            "KSV-0018",
            "KSV-0030",
            "KSV-0104",
            "KSV-0105",
            "KSV-0106",
            "KSV-0119",
            "KSV-0120",
        ],
        partial: {
            CKV_K8S_25: "NET_BIND_SERVICE may be added (the restricted standard allows it); checkov refuses any added capability",
            "KSV-0022": "NET_BIND_SERVICE may be added (the restricted standard allows it); trivy refuses any added capability",
            "KSV-0125":
                "ECR and ECR Public (public.ecr.aws, where the applications' images come from); trivy's default list has private ECR, Azure and GCR registries only",
            CKV_K8S_41: "keeps workloads off their namespace's default service account instead of requiring that account to disable token mounting",
        },
    },
    {
        rule: "platform-k8s-pod-spec",
        full: ["CKV_K8S_29", "KSV-0007", "KSV-0116"],
        partial: {
            CKV_K8S_38:
                "a pod may mount its token when it sets automountServiceAccountToken: true explicitly (it calls the Kubernetes API); checkov wants false everywhere",
            "KSV-0036":
                "a pod may mount its token when it sets automountServiceAccountToken: true explicitly (it calls the Kubernetes API); trivy refuses true",
            "KSV-0118": "the pod's security context (platform-k8s-workload-baseline requires the containers')",
        },
    },
    {
        rule: "platform-k8s-current-api-versions",
        full: [],
        partial: { "KSV-0107": "refuses removed API versions; trivy also reports deprecated ones that are still served" },
    },
    {
        rule: "platform-k8s-configmap-secrets",
        full: [],
        partial: {
            "KSV-0109": "credential-named entries and credential-looking values; trivy's patterns (pass=, token:, ...) also match words in prose and URLs",
        },
    },
    {
        rule: "platform-k8s-workload-recommended",
        full: ["CKV_K8S_11", "CKV_K8S_35", "CKV_K8S_40", "CKV_K8S_43", "KSV-0011"],
        partial: { "KSV-0020": "a UID of 10000 or more, at pod or container level; trivy wants more than 10000 on every container" },
    },
    {
        rule: "platform-k8s-service-exposure",
        full: [
            "CKV_AWS_2",
            "CKV_AWS_91",
            "CKV_AWS_103",
            "CKV_AWS_131",
            "CKV_AWS_150",
            "CKV_AWS_328",
            "CKV2_AWS_20",
            "CKV2_AWS_74",
            "AVD-AWS-0047",
            "AVD-AWS-0052",
            "AVD-AWS-0053",
            "AVD-AWS-0054",
            "KSV-0108",
        ],
        notes: {
            CKV_AWS_150: DEV_OFF,
            "AVD-AWS-0053": "the Ingresses listed in internetFacingIngresses (the stack's application hosts) may be internet-facing",
        },
    },
    { rule: "platform-k8s-namespace-quotas", full: ["KSV-0039", "KSV-0040"] },
    { rule: "platform-k8s-workload-network-policy", full: ["CKV2_K8S_6"] },
    {
        rule: "platform-k8s-rbac-least-privilege",
        full: [
            "CKV_K8S_49",
            "CKV_K8S_157",
            "CKV_K8S_158",
            "CKV2_K8S_3",
            "CKV2_K8S_5",
            "KSV-0043",
            "KSV-0044",
            "KSV-0045",
            "KSV-0046",
            "KSV-0050",
            "KSV-0051",
            "KSV-0052",
            "KSV-0053",
            "KSV-0112",
            "CKV_K8S_42",
            "CKV_K8S_155",
            "CKV_K8S_156",
            "CKV2_K8S_2",
            "KSV-0047",
            "KSV-0114",
            "KSV-0122",
            "KSV-0123",
        ],
        partial: {
            CKV2_K8S_1: "bind and escalate are refused, but not create on rolebindings",
            "KSV-0041": "refuses reading Secrets cluster-wide; trivy also refuses writing them",
            "KSV-0111": "cluster-admin only to system: subjects; trivy also refuses bindings to admin and edit",
        },
    },
    {
        rule: "platform-k8s-helm-release-source",
        full: [],
        partial: {
            CKV_K8S_21: "the namespace of Helm releases (platform-k8s-workload-baseline checks workloads')",
            "KSV-0037": "Helm releases go to kube-system only for the charts listed in kubeSystemCharts",
        },
    },
    {
        rule: "platform-karpenter-node-class-hardening",
        full: ["CKV_AWS_8", "CKV_AWS_79", "CKV_AWS_88", "AVD-AWS-0028", "AVD-AWS-0131"],
        notes: { CKV_AWS_8: "Karpenter's instances, through their EC2NodeClass" },
    },
];
