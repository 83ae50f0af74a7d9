/**
 * Every version pin of the platform, in one place: the Kubernetes versions the program accepts, the EKS
 * add-on build for each add-on and Kubernetes minor, and the Helm charts. Each pin names its source in
 * ../shared/reference (aws-versions.json, charts-and-addons.md). Before bumping, re-check live with
 * `aws eks describe-cluster-versions` and `aws eks describe-addon-versions --kubernetes-version <minor>
 * --addon-name <name>`, and pin only builds listed there.
 *
 * Renovate (renovate.json) proposes updates of the pins written in these shapes, and a test
 * (test/delivery/renovate.spec.ts) fails when a pin is written in a shape no manager reads:
 * - Helm chart: a `ChartPin` object literal with `chart`, `version`, `repository` (an https:// chart
 *   repository) in this order, one per line (helm datasource). An OCI chart (`oci://` repository) ends its
 *   repository line with `// renovate: oci <registry>/<path>/<chart>` (docker datasource, which is how
 *   Renovate reads OCI charts).
 * - Container image: `{ repository: "<registry>/<path>", tag: "<tag>" }`, `repository` then `tag`, one
 *   per line, or a full `"<registry>/<path>:<tag>"` string (docker datasource).
 * - EKS add-on build: the line above the pin is
 *   `// renovate: eksAddonsFilter={"kubernetesVersion":"<minor>","addonName":"<name>"}` (aws-eks-addon).
 * Kubernetes, PostgreSQL and Redis versions are not updated by Renovate: each entry rests on a support
 * calendar or a creatable-version list checked by hand, and changing one upgrades engines in place.
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
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.35","addonName":"vpc-cni"}
        "vpc-cni": "v1.22.4-eksbuild.3", // aws-versions.json addons["latestPerDocs_2026-08-20"]["vpc-cni"]["1.31-1.36"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.35","addonName":"kube-proxy"}
        "kube-proxy": "v1.35.3-eksbuild.13", // aws-versions.json addons["latestPerDocs_2026-08-20"]["kube-proxy"]["1.35"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.35","addonName":"eks-pod-identity-agent"}
        "eks-pod-identity-agent": "v1.4.0-eksbuild.1", // aws-versions.json addons["eks-pod-identity-agent"]["1.35"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.35","addonName":"coredns"}
        coredns: "v1.14.3-eksbuild.3", // aws-versions.json addons["latestPerDocs_2026-08-20"].coredns["1.35"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.35","addonName":"aws-ebs-csi-driver"}
        "aws-ebs-csi-driver": "v1.60.1-eksbuild.1", // aws-versions.json addons["aws-ebs-csi-driver"]["1.35"]
    },
    "1.36": {
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"vpc-cni"}
        "vpc-cni": "v1.22.4-eksbuild.3", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"]["vpc-cni"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"kube-proxy"}
        "kube-proxy": "v1.36.0-eksbuild.21", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"]["kube-proxy"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"eks-pod-identity-agent"}
        "eks-pod-identity-agent": "v1.4.0-eksbuild.3", // aws-versions.json addons["eks-pod-identity-agent"]["1.36"]
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"coredns"}
        coredns: "v1.14.3-eksbuild.16", // aws-versions.json addons["resolvedOnLive1_36Cluster_2026-09-16"].coredns
        // renovate: eksAddonsFilter={"kubernetesVersion":"1.36","addonName":"aws-ebs-csi-driver"}
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
    /** kube-prometheus-stack 88.5.3 (prometheus-operator v0.93.1, Grafana chart 12.11.1): charts-and-addons.md, ../shared/charts/INDEX.md. */
    kubePrometheusStack: {
        chart: "kube-prometheus-stack",
        version: "88.5.3", // charts-and-addons.md "kube-prometheus-stack | 88.5.3 (operator v0.93.1)"
        repository: "https://prometheus-community.github.io/helm-charts", // charts-and-addons.md
    },
    /** metrics-server 3.13.1 (metrics-server 0.8.1): charts-and-addons.md, ../shared/charts/INDEX.md. */
    metricsServer: {
        chart: "metrics-server",
        version: "3.13.1", // charts-and-addons.md "metrics-server | 3.13.1 (0.8.1)"
        repository: "https://kubernetes-sigs.github.io/metrics-server", // charts-and-addons.md (trailing slash dropped: the policy pack's allowlist form)
    },
    /** cert-manager v1.21.1: charts-and-addons.md, ../shared/charts/INDEX.md (values and schema at tag v1.21.1). */
    certManager: {
        chart: "cert-manager",
        version: "v1.21.1", // charts-and-addons.md "cert-manager | v1.21.1"
        repository: "https://charts.jetstack.io", // charts-and-addons.md
    },
    /** Velero chart 12.1.0 (Velero 1.18.1): charts-and-addons.md, ../shared/charts/INDEX.md (tag velero-12.1.0). */
    velero: {
        chart: "velero",
        version: "12.1.0", // charts-and-addons.md "velero | 12.1.0 (Velero 1.18.1)"
        repository: "https://vmware-tanzu.github.io/helm-charts", // charts-and-addons.md
    },
    /** External Secrets Operator chart 2.9.0 (app v2.9.0): charts-and-addons.md, ../shared/charts/INDEX.md (tag helm-chart-2.9.0). */
    externalSecrets: {
        chart: "external-secrets",
        version: "2.9.0", // charts-and-addons.md "external-secrets | 2.9.0 (v2.9.0)"
        repository: "https://charts.external-secrets.io", // charts-and-addons.md
    },
    /** external-dns chart 1.21.1 (app v0.21.0): charts-and-addons.md, ../shared/charts/INDEX.md (tag external-dns-helm-chart-1.21.1). */
    externalDns: {
        chart: "external-dns",
        version: "1.21.1", // charts-and-addons.md "external-dns | 1.21.1 (0.21.0)"
        repository: "https://kubernetes-sigs.github.io/external-dns", // charts-and-addons.md (trailing slash dropped: the policy pack's allowlist form)
    },
    /**
     * Karpenter 1.14.1 (controller 1.14.1): charts-and-addons.md, ../shared/charts/INDEX.md (tag v1.14.1,
     * bde00654cd31). OCI only; the chart is `<repository>/<chart>`. Always the same version as karpenterCrd
     * (a Renovate group moves both), and the CRD chart is upgraded first (docs/runbooks/capacity.md).
     */
    karpenter: {
        chart: "karpenter",
        version: "1.14.1", // charts-and-addons.md "karpenter (+ karpenter-crd) | 1.14.1"
        repository: "oci://public.ecr.aws/karpenter", // renovate: oci public.ecr.aws/karpenter/karpenter
    },
    /**
     * karpenter-crd 1.14.1: the CRDs as templates, so Helm upgrades them (the karpenter chart's crds/ are
     * installed once and never upgraded). ../shared/charts/INDEX.md (same tag; values: only additionalAnnotations).
     */
    karpenterCrd: {
        chart: "karpenter-crd",
        version: "1.14.1", // charts-and-addons.md "karpenter (+ karpenter-crd) | 1.14.1"
        repository: "oci://public.ecr.aws/karpenter", // renovate: oci public.ecr.aws/karpenter/karpenter-crd
    },
    /** Fluent Bit chart 0.58.1 (Fluent Bit 5.1.1): charts-and-addons.md "fluent-bit and aws-for-fluent-bit", ../shared/charts/INDEX.md (tag fluent-bit-0.58.1, 22a564dc8560). */
    fluentBit: {
        chart: "fluent-bit",
        version: "0.58.1", // ../shared/charts/INDEX.md "fluent-bit 0.58.1 (Fluent Bit 5.1.1)"
        repository: "https://fluent.github.io/helm-charts", // charts-and-addons.md (trailing slash dropped: the policy pack's allowlist form)
    },
    /**
     * opentelemetry-collector chart 0.170.0 (collector 0.158.0): charts-and-addons.md "opentelemetry-collector",
     * ../shared/charts/INDEX.md (tag opentelemetry-collector-0.170.0, f5178cb97987; strict values.schema.json).
     */
    openTelemetryCollector: {
        chart: "opentelemetry-collector",
        version: "0.170.0", // ../shared/charts/INDEX.md "opentelemetry-collector 0.170.0 (collector 0.158.0)"
        repository: "https://open-telemetry.github.io/opentelemetry-helm-charts", // charts-and-addons.md
    },
} as const satisfies Record<string, ChartPin>;

/**
 * The EKS-optimized AL2023 AMI release Karpenter's nodes run: the EC2NodeClass selects
 * `alias: al2023@<this>`, never `@latest`, so new AMIs reach the nodes only through a change here (and then
 * drift replaces the nodes, within the NodePools' disruption budgets). v20260714 is the newest release with
 * notes in awslabs/amazon-eks-ami CHANGELOG.md at tag v20260724 (81fec2e8), and it has AL2023 x86_64 and
 * arm64 standard builds for Kubernetes 1.33-1.35 and 1.36 (its "AMI Details" table). Before bumping, check
 * that the release has builds for the cluster's minor: `aws ssm get-parameter --name
 * /aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-<minor>-<release>/image_id`.
 */
export const KARPENTER_AMI_RELEASE = "v20260714"; // awslabs/amazon-eks-ami CHANGELOG.md "AMI Release v20260714"

/**
 * The Velero AWS plugin (object store on S3, volume snapshotter on EBS), run as an init container of
 * the Velero server. Plugin 1.14.x is the line for Velero 1.18.x (charts-and-addons.md "plugin v1.14.x
 * goes with Velero 1.18.x"; the chart's own example, v1.13, is for 1.17). v1.14.0 is the release whose
 * changelog (changelogs/CHANGELOG-1.14.0.md) is on vmware-tanzu/velero-plugin-for-aws@release-1.14
 * (673d828cb86d), the commit ../shared/charts/INDEX.md takes the IAM policy from. Later 1.14 patches are
 * mentioned by third parties only; check the repository's releases before bumping.
 */
export const VELERO_AWS_PLUGIN_IMAGE = {
    repository: "docker.io/velero/velero-plugin-for-aws",
    tag: "v1.14.0",
} as const;

/**
 * Fluent Bit, the log shipper of components/addons/fluentBit.ts: the image the fluent-bit chart 0.58.1
 * runs by default (`image.repository` of its values.yaml; the tag defaults to the chart's appVersion,
 * 5.1.1, in Chart.yaml at fluent/helm-charts@fluent-bit-0.58.1, 22a564dc8560). Pinned here so a chart bump
 * never moves the image unreviewed.
 */
export const FLUENT_BIT_IMAGE = {
    repository: "cr.fluentbit.io/fluent/fluent-bit",
    tag: "5.1.1", // fluent/helm-charts@fluent-bit-0.58.1 charts/fluent-bit/Chart.yaml appVersion
} as const;

/**
 * The OpenTelemetry collector of components/addons/tracing.ts: the contrib distribution, the one with the
 * awsxray exporter, the loadbalancing exporter and the tail_sampling processor (charts-and-addons.md
 * "opentelemetry-collector"; open-telemetry/opentelemetry-collector-releases@v0.158.0
 * distributions/otelcol-contrib/manifest.yaml, ../shared/charts/INDEX.md). 0.158.0 is the chart 0.170.0's
 * appVersion (Chart.yaml at opentelemetry-collector-0.170.0). Its binary is /otelcol-contrib.
 */
export const OTEL_COLLECTOR_IMAGE = {
    repository: "docker.io/otel/opentelemetry-collector-contrib",
    tag: "0.158.0", // open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0 charts/opentelemetry-collector/Chart.yaml appVersion
    command: "otelcol-contrib",
} as const;

/**
 * Grafana's X-Ray data source ("AWS Application Signals", plugin id grafana-x-ray-datasource), installed
 * from grafana.com when Grafana starts (the grafana chart's `plugins`, as `id@version`). 2.17.1 is the
 * newest tag of grafana/x-ray-datasource (5e15e7e0, CHANGELOG.md "v2.17.1", 2026-08-20); it needs Grafana
 * 10.4 or later (src/plugin.json grafanaDependency ">=10.4.0-0").
 */
export const GRAFANA_XRAY_PLUGIN = {
    id: "grafana-x-ray-datasource",
    version: "2.17.1", // renovate: github-tags grafana/x-ray-datasource
} as const;

/**
 * The psql client of the database-user Jobs (components/apps/databaseUser.ts): the Docker Official Image
 * `postgres` from its ECR Public mirror (same manifests and digests as Docker Hub), PostgreSQL 17 so psql
 * is never older than the server (DEFAULT_POSTGRES_VERSION 17.x; `\getenv` needs psql 15+). The digest of
 * the multi-arch index of `17.6-alpine3.22` is quoted identically by many public repositories (search:
 * "postgres:17.6-alpine3.22@sha256:ef257d85…", e.g. compose files and testcontainers pins); confirm with
 * `crane digest public.ecr.aws/docker/library/postgres:17.6-alpine3.22` before a bump, and replace the
 * digest together with the tag (Renovate reads the tag only).
 */
export const POSTGRES_CLIENT_IMAGE = {
    repository: "public.ecr.aws/docker/library/postgres",
    tag: "17.6-alpine3.22",
    digest: "sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94",
} as const;

/**
 * The bases of the reference application's image (reference-app/Dockerfile; a test holds its FROM lines to
 * these pins): Node.js 20, the major of the machines and of package.json's engines, to build; distroless
 * Node.js 20 (no shell, no package manager) as the nonroot runtime. Each digest is that of the multi-arch
 * index of the tag, quoted identically by several public repositories (search
 * "node:20-bookworm-slim@sha256:2cf067cf…" and "nodejs20-debian12:nonroot@sha256:2cd82015…": Dockerfiles,
 * build-rig pins and image-policy tests); confirm with `crane digest <repository>:<tag>` before a bump and
 * replace the digest here and in the Dockerfile together (Renovate's dockerfile manager updates the
 * Dockerfile's digests; the versions.ts manager reads the tags only).
 */
export const REFERENCE_APP_BASE_IMAGES = {
    build: {
        repository: "docker.io/library/node",
        tag: "20-bookworm-slim",
        digest: "sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0",
    },
    runtime: {
        repository: "gcr.io/distroless/nodejs20-debian12",
        tag: "nonroot",
        digest: "sha256:2cd820156cf039c8b54ae2d2a97e424b6729070714de8707a6b79f20d56f6a9a",
    },
} as const;

/**
 * The RDS global CA bundle in the reference application's image (reference-app/certs/rds-global-bundle.pem,
 * what Postgres is verified against with verify-full): AWS publishes it at
 * https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem. The committed copy is byte for byte the
 * one two unrelated public repositories committed in 2025 (102 certificates: the RSA2048, RSA4096 and ECC384
 * G1 roots of every region then, the expired rds-ca-2019 CAs already gone). Refresh by downloading it again,
 * then update this checksum; a test checks the file against it and every certificate in it.
 */
export const RDS_CA_BUNDLE = {
    file: "reference-app/certs/rds-global-bundle.pem",
    sha256: "05c6b4a9bf4daa95c888711481e19cc8e2e11aed4de8db759f51f4a6fce64917",
} as const;

// ---------------------------------------------------------------------------------------------------
// Data tier: RDS for PostgreSQL and ElastiCache. Before bumping, re-check live with
// `aws rds describe-db-engine-versions --engine postgres` and `aws elasticache describe-cache-engine-versions`.
// ---------------------------------------------------------------------------------------------------

/**
 * The RDS for PostgreSQL versions a new instance may be created on: exactly the minors aws-versions.json
 * lists as confirmed creatable (`rds.postgresVersions`, from aws-cdk's PostgresEngineVersion list).
 * "Probable" and "uncertain" minors (`rds.postgresVersionsProbable`, `rds.postgresVersionsUncertainStillCreatable`)
 * are left out until confirmed live.
 */
export const POSTGRES_VERSIONS = [
    "14.20", // aws-versions.json rds.postgresVersions
    "14.21", // aws-versions.json rds.postgresVersions
    "14.22", // aws-versions.json rds.postgresVersions
    "15.15", // aws-versions.json rds.postgresVersions
    "15.16", // aws-versions.json rds.postgresVersions
    "15.17", // aws-versions.json rds.postgresVersions
    "16.11", // aws-versions.json rds.postgresVersions
    "16.12", // aws-versions.json rds.postgresVersions
    "16.13", // aws-versions.json rds.postgresVersions
    "17.7", // aws-versions.json rds.postgresVersions
    "17.8", // aws-versions.json rds.postgresVersions
    "17.9", // aws-versions.json rds.postgresVersions
    "18.1", // aws-versions.json rds.postgresVersions
    "18.2", // aws-versions.json rds.postgresVersions
    "18.3", // aws-versions.json rds.postgresVersions
] as const;

/** A PostgreSQL version the program accepts. */
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/** The version a stack gets when it does not pin one: the newest confirmed minor of PostgreSQL 17. */
export const DEFAULT_POSTGRES_VERSION: PostgresVersion = "17.9"; // aws-versions.json rds.postgresVersions

/** The parameter-group family of each major version. Source: aws-versions.json `rds.families`. */
export const POSTGRES_FAMILIES: Readonly<Record<string, string>> = {
    "14": "postgres14",
    "15": "postgres15",
    "16": "postgres16",
    "17": "postgres17",
    "18": "postgres18",
};

/**
 * Versions RDS no longer creates instances on, with the reason shown in the config error. Source:
 * aws-versions.json `rds.postgresVersionsNotCreatable` and `rds.rules` (AWS Health notice of 2026-05).
 */
export const REFUSED_POSTGRES_VERSIONS: Readonly<Record<string, string>> = {
    ...Object.fromEntries(
        ["14.14", "14.15", "14.16", "14.17", "15.9", "15.10", "15.11", "15.12", "16.5", "16.6", "16.7", "16.8", "17.1", "17.2", "17.3", "17.4"].map((v) => [
            v,
            "cannot be created since 2026-05-01 (instances on it were force-upgraded after 2026-05-31)",
        ]),
    ),
    ...Object.fromEntries(["16.1", "16.2", "16.3", "16.4"].map((v) => [v, "is deprecated and cannot be created"])),
};

/**
 * The RDS certificate authorities a client can verify the server against (rds-ca-2019 expired in August
 * 2024). Source: aws-versions.json `rds.caIdentifiers`.
 */
export const RDS_CA_IDENTIFIERS = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"] as const;
/** One of {@link RDS_CA_IDENTIFIERS}. */
export type RdsCaIdentifier = (typeof RDS_CA_IDENTIFIERS)[number];
/** The CA a stack gets by default: RDS's own default, trusted by every client that has the RDS bundle. */
export const DEFAULT_RDS_CA: RdsCaIdentifier = "rds-ca-rsa2048-g1"; // aws-versions.json rds.caIdentifiers[0]

/**
 * The Redis OSS versions a replication group may run, with their parameter-group family. Only the 7.x
 * line: 4.x and 5.x are in paid Extended Support since 2026-01-31, and 7.1 is the newest Redis OSS on
 * ElastiCache. Source: aws-versions.json `elasticache.redis`, `elasticache.families.redis7`,
 * `elasticache.redisNotes`.
 */
export const REDIS_VERSIONS = {
    "7.1": { family: "redis7" }, // aws-versions.json elasticache.families.redis7
    "7.0": { family: "redis7" }, // aws-versions.json elasticache.families.redis7
} as const;

/** A Redis version the program accepts. */
export type RedisVersion = keyof typeof REDIS_VERSIONS;

/** The Redis version a stack gets when it does not pin one. */
export const DEFAULT_REDIS_VERSION: RedisVersion = "7.1"; // aws-versions.json elasticache.redis[0]

/**
 * The k6 release the on-demand load test installs (.github/workflows/load-test.yml, `k6-version` of
 * grafana/setup-k6-action). Source: github.com/grafana/k6 tag v1.8.1 (commit 73b044f, 2026-08-12).
 */
export const K6_VERSION = "1.8.1";
