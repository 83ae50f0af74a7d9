/** The peer checks of the pack's AWS rules (see ./enforced for what full and partial mean). */
import { DEV_OFF, type RuleCoverage } from "./enforced";

/** The AWS rules with peer checks, in the order of the pack. */
export const AWS_RULES: readonly RuleCoverage[] = [
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
];
