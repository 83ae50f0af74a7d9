/**
 * The peer checks no rule enforces, each with the reason: checks that apply to the program but that the
 * pack does not enforce (a decision, or a gap that says so), and checks that read something this program
 * never makes or that cannot fail for it.
 */

/** Peer checks that share one reason. */
export interface Exclusion {
    /** Why (a sentence). */
    readonly reason: string;
    /** The checks. */
    readonly ids: readonly string[];
}

/** Checks that apply to what the program makes, and that no rule enforces. */
export const NOT_ENFORCED: readonly Exclusion[] = [
    {
        reason: "The reference application's ECR repository has no repository policy (pulls go through the nodes' role, pushes through the deploy role's IAM policy), so nothing can make it public; no rule reads repository policies, which a stack adding one would need.",
        ids: ["AVD-AWS-0032"],
    },
    {
        reason: "Images are pinned to a version tag or digest from the allowed registries (platform-k8s-workload-hardening), so a pull policy of Always adds a registry round trip and a registry outage's failures, not a different image.",
        ids: ["CKV_K8S_15"],
    },
    {
        reason: "Node metrics come from Prometheus (node-exporter and the kubelet) every 30 seconds; EC2 detailed monitoring would only add paid one-minute CloudWatch metrics nobody reads.",
        ids: ["CKV_AWS_126"],
    },
    {
        reason: "Every instance family the node groups and Karpenter pools may use (current generation: m5, m6a, m6i, m7i, t3 and later) is EBS-optimized whatever the flag says; the pack does not restrict families.",
        ids: ["CKV_AWS_135"],
    },
    {
        reason: "TLS ends at the application load balancer; traffic from it to the pods stays in the VPC, limited by security groups and NetworkPolicies. End-to-end TLS to every pod is not part of this design.",
        ids: ["CKV_AWS_378"],
    },
    {
        reason: "The bucket policies the program writes only deny (plain HTTP, other accounts' log deliveries) and never name the root user alone; the pack does not look for lock-outs.",
        ids: ["CKV_AWS_93"],
    },
    {
        reason: "Backup and log buckets have no consumer of object events; S3 server access logs record every change.",
        ids: ["CKV2_AWS_62"],
    },
    {
        reason: "The NAT gateways' Elastic IPs are attached through the NAT gateway (allocationId), which the check does not count as attached; there are no other Elastic IPs.",
        ids: ["CKV2_AWS_19"],
    },
    {
        reason: "The public subnets route to the internet gateway by design (load balancers and the NAT gateways live there); the private subnets route through NAT (platform-network-private-placement keeps data stores and nodes there).",
        ids: ["CKV2_AWS_35"],
    },
    {
        reason: "The engine version comes from the stack config (platform:database.engineVersion, 17.9 in both stacks), newer than every version the check lists; the pack does not keep a list of vulnerable versions.",
        ids: ["CKV_AWS_250"],
    },
    {
        reason: "Object-level logging needs a CloudTrail trail with S3 data events, which is account infrastructure this program does not manage; S3 server access logs (platform-s3-bucket-logging) record object operations instead.",
        ids: ["AVD-AWS-0171", "AVD-AWS-0172"],
    },
    {
        reason: "The program names its buckets <prefix>-<role>-<account>-<region>, without dots; the pack does not check names.",
        ids: ["AVD-AWS-0320"],
    },
    {
        reason: "The pack refuses the root group (platform-k8s-pod-spec) but not low non-root group ids: the images' own groups (101 for NGINX) are what they run with.",
        ids: ["KSV-0021"],
    },
    {
        reason: "Containers run as non-root with every capability dropped (platform-k8s-workload-hardening), so they cannot bind a port below 1024 unless they add NET_BIND_SERVICE; the ports themselves are not checked.",
        ids: ["KSV-0117"],
    },
    {
        reason: "The preview ClusterRole may create, update and patch workloads, ConfigMaps and networking objects so that pull-request previews can send dry runs; a ValidatingAdmissionPolicy of the program refuses every request of its group that is not a dry run (components/eks/previewAccess.ts).",
        ids: ["KSV-0048", "KSV-0049", "KSV-0056"],
    },
    {
        reason: "Role rules that combine verbs across rules (pods/attach with pods get, rolebindings get with patch, services/status updates) are not analysed; the program's only ClusterRole grants none of them.",
        ids: ["KSV-0042", "KSV-0054", "KSV-0055", "CKV2_K8S_4"],
    },
    {
        reason: "Trivy flags e-mail addresses and the words key, SHA1 and MD5 anywhere in a ConfigMap, which configuration legitimately holds (the ACME account e-mail, dashboard queries); platform-k8s-configmap-secrets refuses credentials.",
        ids: ["KSV-01010"],
    },
    {
        reason: "The checks look for images of software the platform does not run (the Kubernetes dashboard, Helm 2's Tiller, git-sync); images come from the stack config and the pinned charts, from the allowed registries.",
        ids: ["CKV_K8S_33", "CKV_K8S_34", "CKV_K8S_44", "CKV_K8S_45", "CKV_K8S_159", "KSV-0102"],
    },
];

/** Checks that read something this program never makes, that cannot fail for it, or that their tool retired. */
export const NOT_APPLICABLE: readonly Exclusion[] = [
    {
        reason: "EKS runs and configures the control plane (API server, controller manager, scheduler, etcd) and the AMIs configure the kubelet; the program runs none of these as pods.",
        ids: [
            ...range("CKV_K8S_", 68, 75),
            "CKV_K8S_77",
            ...range("CKV_K8S_", 79, 86),
            ...range("CKV_K8S_", 88, 97),
            "CKV_K8S_99",
            "CKV_K8S_100",
            "CKV_K8S_102",
            ...range("CKV_K8S_", 104, 108),
            ...range("CKV_K8S_", 110, 119),
            ...range("CKV_K8S_", 138, 141),
            ...range("CKV_K8S_", 143, 149),
            "CKV_K8S_151",
            ...range("KCV-", 1, 22, 4),
            ...range("KCV-", 24, 30, 4),
            ...range("KCV-", 33, 47, 4),
        ],
    },
    {
        reason: "The checks read ingress-nginx annotations; the cluster's only ingress controller is the AWS Load Balancer Controller, which ignores them.",
        ids: ["CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154", "KCV-0093"],
    },
    {
        reason: "Account-level IAM settings (password policy, the root user, IAM users' MFA and access keys, server certificates): the program creates no IAM user (platform-iam-policy-privileges refuses them) and does not manage the account.",
        ids: [
            "AVD-AWS-0056",
            ...range("AVD-AWS-", 58, 63, 4),
            "AVD-AWS-0123",
            ...range("AVD-AWS-", 140, 142, 4),
            ...range("AVD-AWS-", 144, 146, 4),
            ...range("AVD-AWS-", 165, 168, 4),
        ],
    },
    {
        reason: "CIS monitoring of the account's CloudTrail trail with metric filters and alarms: account infrastructure this program does not manage (its own alarms watch the platform).",
        ids: [...range("AVD-AWS-", 147, 160, 4), "AVD-AWS-0174"],
    },
    {
        reason: "The program creates no launch configuration (node groups and Karpenter use launch templates).",
        ids: ["AVD-AWS-0008", "AVD-AWS-0009", "AVD-AWS-0122"],
    },
    {
        reason: "The program creates no network ACLs (the VPC's default one is not managed), no VPC peering and no classic ElastiCache security groups.",
        ids: ["AVD-AWS-0102", "AVD-AWS-0105", "CKV2_AWS_1", "CKV2_AWS_44", "AVD-AWS-0049"],
    },
    {
        reason: "The database is RDS for PostgreSQL, not Aurora: there are no RDS clusters.",
        ids: ["AVD-AWS-0079", "AVD-AWS-0343", "CKV_AWS_388"],
    },
    {
        reason: "The check reads aws_elasticache_cluster; the program makes a replication group, where the pack's ElastiCache rules enforce the same settings (CKV_AWS_323's subnet group: platform-elasticache-group-baseline; CKV_AWS_322's minor upgrades: platform-elasticache-group-maintenance; CKV_AWS_134's snapshots: platform-elasticache-group-hardening).",
        ids: ["CKV_AWS_134", "CKV_AWS_322", "CKV_AWS_323"],
    },
    {
        reason: "The check reads a resource that shares a type with the program's but belongs to a service the program does not use (EMR clusters, SageMaker notebooks, CloudFront, API Gateway, AppSync, GitHub Actions OIDC roles).",
        ids: ["CKV2_AWS_7", "CKV2_AWS_68", "CKV2_AWS_47", "CKV2_AWS_77", "CKV2_AWS_78", "CKV_AWS_393"],
    },
    {
        reason: "The check reads bucket ACLs (with a website configuration); the program creates no bucket ACL and disables ACLs on every bucket (platform-s3-bucket-ownership), and platform-s3-bucket-secure-transport requires TLS of every bucket.",
        ids: ["CKV_AWS_379"],
    },
    {
        reason: "The load balancers are application load balancers, which always balance across zones; the check is for network and gateway load balancers.",
        ids: ["CKV_AWS_152"],
    },
    {
        reason: "The AWS Load Balancer Controller always gives the target groups it makes a health check (on the traffic port unless the Ingress annotates another); EKS node groups and Karpenter always give their instances the node role.",
        ids: ["CKV_AWS_261", "CKV2_AWS_41"],
    },
    {
        reason: "No Auto Scaling group is registered with a load balancer: the controller registers pod IPs as targets.",
        ids: ["CKV2_AWS_15"],
    },
    {
        reason: "create_before_destroy is a Terraform lifecycle setting; Pulumi replaces a certificate by creating the new one first unless deleteBeforeReplace is set, which the program never sets.",
        ids: ["CKV_AWS_233"],
    },
    {
        reason: "The program writes only the certificate's DNS validation records (CNAMEs); external-dns writes the A and AAAA records from the Ingresses, to the load balancer they name.",
        ids: ["CKV2_AWS_23"],
    },
    {
        reason: "NetworkPolicy.spec.podSelector is a required field: the API server refuses a NetworkPolicy without one, so the check cannot fail.",
        ids: ["KSV-0038"],
    },
    {
        reason: "The clusters authenticate with access entries only (authenticationMode API, platform-eks-cluster-access-mode), so the aws-auth ConfigMap grants nothing.",
        ids: ["KSV-0115"],
    },
    {
        reason: "Trivy reports it on GKE clusters only.",
        ids: ["KSV-01011"],
    },
    {
        reason: "The check reads Gatekeeper constraints; the cluster runs no Gatekeeper.",
        ids: ["KSV-0124"],
    },
    {
        reason: "Retired by its tool (deprecated in the snapshot: S3 encrypts every object by default, the registry checks gave way to KSV-0125, the policy-wildcard and support-role checks to others).",
        ids: ["AVD-AWS-0057", "AVD-AWS-0088", "AVD-AWS-0169", "KSV-0032", "KSV-0033", "KSV-0034", "KSV-0035"],
    },
];

/** Ids `<prefix><n>` for n from `from` to `to`, numbers zero-padded to `width` when given. */
function range(prefix: string, from: number, to: number, width = 0): string[] {
    return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(width, "0")}`);
}
