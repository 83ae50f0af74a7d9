/**
 * Every version pin of the platform, in one place: the Kubernetes versions the program accepts, the EKS
 * add-on build for each add-on and Kubernetes minor, and the Helm charts. Each pin names its source in
 * ../shared/reference (aws-versions.json, charts-and-addons.md). Before bumping, re-check live with
 * `aws eks describe-cluster-versions` and `aws eks describe-addon-versions --kubernetes-version <minor>
 * --addon-name <name>`, and pin only builds listed there.
 */

/**
 * The Kubernetes versions a new or upgraded cluster may run: EKS standard support only, so no stack pays
 * for extended support. Source: aws-versions.json `eks.calendar` (dates) and `eks.supportedVersions`.
 * 1.34 is deliberately absent: it leaves standard support on 2026-12-02, ten days after this list was
 * made, and a cluster on the STANDARD upgrade policy would then be upgraded by EKS outside of Pulumi.
 */
export const KUBERNETES_VERSIONS = {
    "1.35": { endOfStandardSupport: "2027-03-27" }, // aws-versions.json eks.calendar["1.35"]
    "1.36": { endOfStandardSupport: "2027-08-02" }, // aws-versions.json eks.calendar["1.36"]
} as const;

/** A Kubernetes version the program accepts. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/** The accepted versions, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS).sort() as KubernetesVersion[];

/** The version a stack gets when it does not pin one: the newest in standard support. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.36";

/**
 * Versions EKS still runs but the program refuses, with the reason shown in the config error. Source:
 * aws-versions.json `eks.calendar` and `eks.extendedVersions`.
 */
export const REFUSED_KUBERNETES_VERSIONS: Readonly<Record<string, string>> = {
    "1.34": "leaves EKS standard support on 2026-12-02",
    "1.33": "left EKS standard support on 2026-07-29 (extended support only, at extra cost)",
    "1.32": "left EKS standard support on 2026-03-23 (extended support only, at extra cost)",
    "1.31": "leaves EKS extended support on 2026-11-26",
};

/** The EKS add-ons the platform installs. */
export const CORE_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"] as const;
/** One of {@link CORE_ADDONS}. */
export type CoreAddonName = (typeof CORE_ADDONS)[number];

/**
 * The add-on build for each Kubernetes minor. Rules (aws-versions.json `addons.rules`): kube-proxy must
 * match the cluster minor; the others span several minors. Builds never go down from one minor to the
 * next, because EKS refuses to downgrade an add-on when the cluster is upgraded.
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<KubernetesVersion, Readonly<Record<CoreAddonName, string>>>> = {
    "1.35": {
        "vpc-cni": "v1.22.4-eksbuild.3", // aws-versions.json addons["latestPerDocs_2026-08-20"]["vpc-cni"]["1.31-1.36"]
        "kube-proxy": "v1.35.3-eksbuild.13", // aws-versions.json addons["latestPerDocs_2026-08-20"]["kube-proxy"]["1.35"]
        "eks-pod-identity-agent": "v1.4.0-eksbuild.1", // aws-versions.json addons["eks-pod-identity-agent"]["1.35"]
        coredns: "v1.14.3-eksbuild.3", // aws-versions.json addons["latestPerDocs_2026-08-20"].coredns["1.35"]
        "aws-ebs-csi-driver": "v1.60.1-eksbuild.1", // aws-versions.json addons["aws-ebs-csi-driver"]["1.35"]
    },
    "1.36": {
        "vpc-cni": "v1.22.4-eksbuild.3", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"]["vpc-cni"]
        "kube-proxy": "v1.36.0-eksbuild.21", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"]["kube-proxy"]
        "eks-pod-identity-agent": "v1.4.0-eksbuild.3", // aws-versions.json addons["eks-pod-identity-agent"]["1.36"]
        coredns: "v1.14.3-eksbuild.16", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"].coredns
        "aws-ebs-csi-driver": "v1.63.1-eksbuild.1", // aws-versions.json addons["aws-ebs-csi-driver"]["1.36"]
    },
};

/** A pinned Helm chart. */
export interface ChartPin {
    /** Chart name in the repository. */
    readonly chart: string;
    /** Exact chart version. */
    readonly version: string;
    /** HTTPS chart repository. */
    readonly repository: string;
}

/** The Helm charts the platform installs. */
export const CHARTS = {
    /** AWS Load Balancer Controller 3.5.0 (app v3.5.0): charts-and-addons.md, ../shared/charts/INDEX.md. */
    awsLoadBalancerController: {
        chart: "aws-load-balancer-controller",
        version: "3.5.0", // charts-and-addons.md "aws-load-balancer-controller | 3.5.0"
        repository: "https://aws.github.io/eks-charts", // charts-and-addons.md
    },
} as const satisfies Record<string, ChartPin>;
