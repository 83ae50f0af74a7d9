/**
 * Velero: cluster backups to the stack's S3 backup bucket (under a prefix named after the cluster) and
 * EBS snapshots of persistent volumes in the stack's region. Its namespace (Pod Security `restricted`),
 * a service-account role limited to that bucket prefix, the backups key and Velero-tagged snapshots, the
 * Helm release with the AWS plugin, scheduled backups from config, metrics with a ServiceMonitor and an
 * alert on failing backups.
 *
 * Volumes are backed up as EBS snapshots; the node agent (file-system backups) stays off: it needs
 * hostPath mounts of the kubelet's pod directories and runs as root, which the restricted namespace
 * (rightly) refuses, and every volume of the platform is an EBS volume that snapshots cover.
 *
 * The ServiceMonitor and the PrometheusRule are the program's (chartMonitors.ts), the chart's own at
 * velero-12.1.0 (templates/servicemonitor.yaml, prometheusrule.yaml): the release needs no monitoring CRD.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupSchedule } from "../../config/keys/addons";
import type { VeleroRestoreConfig } from "../../config/restore";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { CHARTS, VELERO_AWS_PLUGIN_IMAGE } from "../../versions";
import { WorkloadRole } from "../eks/workloadIdentity";
import { httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { VELERO_ALERT_RULES, veleroServiceMonitorSpec } from "./veleroMonitoring";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { PRIORITY_CLASSES } from "../priorities";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { viaService } from "../partitions";

/** Where Velero runs; its role trusts exactly the server's service account. */
export const VELERO = {
    namespace: "velero",
    serviceAccount: "velero-server",
    releaseName: "velero",
} as const;

/** The name of the backup storage location and the volume snapshot location. */
export const VELERO_LOCATION = "default";

/** The read-only backup storage location of a recovery stack: a lost stack's replicated backups. */
export const VELERO_RECOVERY_LOCATION = "recovery";

/** The tag Velero puts on every EBS snapshot it takes (and the plugin copies to volumes it restores). */
export const VELERO_BACKUP_TAG = "velero.io/backup";

/** The tag the EBS CSI driver puts on every volume it creates: the volumes Velero may snapshot. */
export const EBS_CSI_VOLUME_TAG = "ebs.csi.aws.com/cluster";

const RESOURCES = {
    server: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    plugin: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
    job: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
} as const;

/** The AWS resources Velero works on. */
export interface VeleroTargets {
    /** Name of the backup bucket. */
    readonly bucketName: string;
    /** Prefix of Velero's objects in the bucket (the cluster name). */
    readonly prefix: string;
    /** ARN of the KMS key the bucket is encrypted with. */
    readonly backupsKeyArn: string;
    /** ARN of the KMS key of the cluster's EBS volumes (restored volumes are encrypted with it). */
    readonly volumeKeyArn: string;
    /** Region of the cluster, its volumes and snapshots. */
    readonly region: string;
    /** Account of the stack. */
    readonly accountId: string;
    /** AWS partition. */
    readonly partition: string;
    /** A lost stack's replicated backups, read only (a recovery stack). */
    readonly recovery?: Pick<VeleroRestoreConfig, "bucket" | "prefix" | "keyArn">;
}

/** Read-only access to a lost stack's replicated backups: list and get under its prefix, decrypt through S3. */
function recoveryStatements(t: VeleroTargets): PolicyDocument["Statement"] {
    if (t.recovery === undefined) {
        return [];
    }
    const bucketArn = `arn:${t.partition}:s3:::${t.recovery.bucket}`;
    return [
        { Sid: "ReadTheLostClustersBackups", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/${t.recovery.prefix}/*` },
        { Sid: "ListTheRecoveryBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        {
            Sid: "DecryptTheRecoveryBucketThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: t.recovery.keyArn,
            Condition: { StringEquals: { "kms:ViaService": viaService("s3", t.region) } },
        },
    ];
}

/**
 * Velero's policy: the upstream policy of velero-plugin-for-aws 1.14 (../shared/charts/velero/
 * velero-iam-policy.json) narrowed to this stack. Objects only under the cluster's prefix of the
 * backup bucket; the backups key only through S3; snapshots only of volumes the EBS CSI driver made,
 * only tagged as Velero's, and only Velero's snapshots deleted or restored; the volume key only through
 * EC2, for restored volumes.
 */
export function veleroPolicy(t: VeleroTargets): PolicyDocument {
    const bucketArn = `arn:${t.partition}:s3:::${t.bucketName}`;
    const snapshots = `arn:${t.partition}:ec2:${t.region}::snapshot/*`;
    const volumes = `arn:${t.partition}:ec2:${t.region}:${t.accountId}:volume/*`;
    const taggedByVelero = { Null: { [`aws:RequestTag/${VELERO_BACKUP_TAG}`]: "false" } };
    const veleroSnapshot = { Null: { [`aws:ResourceTag/${VELERO_BACKUP_TAG}`]: "false" } };
    return policyDocument(
        {
            Sid: "ReadAndWriteTheClustersBackups",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${bucketArn}/${t.prefix}/*`,
        },
        { Sid: "ListTheBackupBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        {
            Sid: "UseTheBackupsKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: t.backupsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": viaService("s3", t.region) } },
        },
        // Describe calls take no resource-level permissions.
        { Sid: "DescribeVolumesAndSnapshots", Effect: "Allow", Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots"], Resource: "*" },
        {
            Sid: "SnapshotVolumesOfTheCsiDriver",
            Effect: "Allow",
            Action: "ec2:CreateSnapshot",
            Resource: volumes,
            Condition: { StringEquals: { [`aws:ResourceTag/${EBS_CSI_VOLUME_TAG}`]: "true" } },
        },
        { Sid: "CreateVeleroTaggedSnapshots", Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: snapshots, Condition: taggedByVelero },
        { Sid: "RestoreVolumesFromVeleroSnapshots", Effect: "Allow", Action: "ec2:CreateVolume", Resource: snapshots, Condition: veleroSnapshot },
        { Sid: "CreateVeleroTaggedVolumes", Effect: "Allow", Action: "ec2:CreateVolume", Resource: volumes, Condition: taggedByVelero },
        {
            Sid: "TagOnlyWhileCreating",
            Effect: "Allow",
            Action: "ec2:CreateTags",
            Resource: [snapshots, volumes],
            Condition: { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } },
        },
        { Sid: "DeleteVeleroSnapshots", Effect: "Allow", Action: "ec2:DeleteSnapshot", Resource: snapshots, Condition: veleroSnapshot },
        {
            Sid: "GrantEc2UseOfTheVolumeKeyForRestores",
            Effect: "Allow",
            Action: "kms:CreateGrant",
            Resource: t.volumeKeyArn,
            Condition: { Bool: { "kms:GrantIsForAWSResource": true }, StringEquals: { "kms:ViaService": viaService("ec2", t.region) } },
        },
        {
            Sid: "UseTheVolumeKeyThroughEc2",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
            Resource: t.volumeKeyArn,
            Condition: { StringEquals: { "kms:ViaService": viaService("ec2", t.region) } },
        },
        ...recoveryStatements(t),
    );
}

/** What Velero's values are made of. */
export interface VeleroValuesInput {
    /** Backup bucket name. */
    readonly bucketName: string;
    /** Prefix in the bucket (the cluster name). */
    readonly prefix: string;
    /** Region of the bucket and the snapshots. */
    readonly region: string;
    /** ARN of Velero's role. */
    readonly roleArn: string;
    /** The schedules. */
    readonly schedules: readonly BackupSchedule[];
    /** Namespaces every schedule backs up (platform and applications). */
    readonly namespaces: readonly string[];
    /** A lost stack's replicated backups, offered as the read-only location `recovery`. */
    readonly recovery?: Pick<VeleroRestoreConfig, "bucket" | "prefix">;
}

const CONTAINER_SECURITY_CONTEXT = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** A schedule's backup TTL as a Go duration. */
export function ttlOf(days: number): string {
    return `${days * 24}h0m0s`;
}

/** The chart's `schedules` map: each schedule backs up the given namespaces plus its own. */
export function veleroSchedules(schedules: readonly BackupSchedule[], namespaces: readonly string[]): Record<string, unknown> {
    return Object.fromEntries(
        schedules.map((s) => [
            s.name,
            {
                disabled: false,
                schedule: s.schedule,
                useOwnerReferencesInBackup: false,
                template: {
                    ttl: ttlOf(s.ttlDays),
                    storageLocation: VELERO_LOCATION,
                    volumeSnapshotLocations: [VELERO_LOCATION],
                    snapshotVolumes: true,
                    includedNamespaces: [...new Set([...namespaces, ...s.namespaces])].sort(),
                },
            },
        ]),
    );
}

/** The chart values (every key exists in the chart's values.yaml and they validate against its schema; tests check both). */
export function veleroValues(input: VeleroValuesInput): Record<string, unknown> {
    return {
        initContainers: [
            {
                name: "velero-plugin-for-aws",
                image: `${VELERO_AWS_PLUGIN_IMAGE.repository}:${VELERO_AWS_PLUGIN_IMAGE.tag}`,
                imagePullPolicy: "IfNotPresent",
                volumeMounts: [{ mountPath: "/target", name: "plugins" }],
                securityContext: CONTAINER_SECURITY_CONTEXT,
                resources: RESOURCES.plugin,
            },
        ],
        // The Velero image names a user by name, so the UID is set for runAsNonRoot to be checkable.
        podSecurityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
        resources: RESOURCES.server,
        priorityClassName: PRIORITY_CLASSES.observability.name,
        // The CRD upgrade job takes the server's containerSecurityContext and these. No `kubectl` block: at
        // velero-12.1.0 only the CRD clean-up job (cleanUpCRDs, off) reads its securityContext and resources.
        upgradeJobResources: RESOURCES.job,
        nodeSelector: { [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        serviceAccount: { server: { create: true, name: VELERO.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": input.roleArn } } },
        // IRSA: no static credentials anywhere.
        credentials: { useSecret: false },
        backupsEnabled: true,
        snapshotsEnabled: true,
        deployNodeAgent: false,
        // Read only with deployNodeAgent: a DaemonSet on every node, in the node agents' class if it is ever enabled.
        nodeAgent: { priorityClassName: PRIORITY_CLASSES.nodeAgents.name },
        configuration: {
            backupStorageLocation: [
                { name: VELERO_LOCATION, provider: "aws", bucket: input.bucketName, prefix: input.prefix, default: true, config: { region: input.region } },
                // ReadOnly: Velero never writes to, prunes or deletes from the lost stack's backups; synced every minute.
                ...(input.recovery === undefined
                    ? []
                    : [
                          {
                              name: VELERO_RECOVERY_LOCATION,
                              provider: "aws",
                              bucket: input.recovery.bucket,
                              prefix: input.recovery.prefix,
                              default: false,
                              accessMode: "ReadOnly",
                              backupSyncPeriod: "1m0s",
                              config: { region: input.region },
                          },
                      ]),
            ],
            volumeSnapshotLocation: [{ name: VELERO_LOCATION, provider: "aws", config: { region: input.region } }],
            defaultVolumesToFsBackup: false,
        },
        metrics: {
            enabled: true,
            // The metrics Service (port http-monitoring); the monitor and the rule are veleroMonitors'.
            serviceMonitor: { enabled: false },
            prometheusRule: { enabled: false },
        },
        schedules: veleroSchedules(input.schedules, input.namespaces),
    };
}

/** Arguments of {@link Velero}. */
export interface VeleroArgs extends AddonInstallArgs {
    /** Name of the cluster: the prefix of Velero's objects in the bucket. */
    clusterName: string;
    /** Prefix of Name tags. */
    namePrefix: string;
    /** Region of the stack. */
    region: string;
    /** AWS partition. */
    partition: string;
    /** Account id of the stack. */
    accountId: pulumi.Input<string>;
    /** The backup bucket's name. */
    bucketName: pulumi.Input<string>;
    /** The `backups` KMS key (the bucket's). */
    backupsKeyArn: pulumi.Input<string>;
    /** The KMS key of the cluster's EBS volumes. */
    volumeKeyArn: pulumi.Input<string>;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Backup schedules. */
    schedules: readonly BackupSchedule[];
    /** Application namespaces every schedule backs up. */
    applicationNamespaces: readonly string[];
    /** Platform namespaces every schedule backs up (those holding state, such as the internal CA). */
    platformNamespaces: readonly string[];
    /** A lost stack's replicated backups, offered read only (a recovery stack; components/addons/veleroRecovery.ts restores from them). */
    recovery?: VeleroRestoreConfig;
    /** The release that installs the monitoring CRDs: the ServiceMonitor and PrometheusRule wait for it. */
    monitoringRelease: pulumi.Resource;
}

/** Velero. */
export class Velero extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: VeleroArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:Velero", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: VELERO.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // One server (Velero runs one replica by design), the CRD upgrade job and room for a rollout.
                budget: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "4Gi", pods: 6 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const policy = pulumi
            .all([args.bucketName, args.backupsKeyArn, args.volumeKeyArn, args.accountId])
            .apply(([bucketName, backupsKeyArn, volumeKeyArn, accountId]) =>
                veleroPolicy({
                    bucketName,
                    prefix: args.clusterName,
                    backupsKeyArn,
                    volumeKeyArn,
                    region: args.region,
                    accountId,
                    partition: args.partition,
                    recovery: args.recovery,
                }),
            );
        const role = new WorkloadRole(
            `${name}-identity`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: VELERO.namespace,
                serviceAccount: VELERO.serviceAccount,
                purpose: "Velero backups and EBS snapshots",
                namePrefix: args.namePrefix,
                policy,
            },
            { parent: this },
        );
        const namespaces = [...new Set([...args.platformNamespaces, ...args.applicationNamespaces])];
        const values = pulumi.all([args.bucketName, role.role.arn]).apply(([bucketName, roleArn]) =>
            veleroValues({
                bucketName,
                prefix: args.clusterName,
                region: args.region,
                roleArn,
                schedules: args.schedules,
                namespaces,
                recovery: args.recovery,
            }),
        );
        this.release = helmRelease(
            `${name}-release`,
            { chart: CHARTS.velero, releaseName: VELERO.releaseName, namespace, values, atomic: args.atomic },
            // The role keeps its policy until the release is gone, so Velero can finish what it started.
            { parent: this, provider: args.provider, dependsOn: [role, ...args.after] },
        );
        const monitor = { namespace: VELERO.namespace, release: this.release, monitoringRelease: args.monitoringRelease, provider: args.provider };
        chartMonitor(`${name}-service-monitor`, { ...monitor, kind: "ServiceMonitor", name: VELERO.releaseName, spec: veleroServiceMonitorSpec() }, this);
        chartMonitor(
            `${name}-alerts`,
            { ...monitor, kind: "PrometheusRule", name: VELERO.releaseName, spec: { groups: [{ name: "velero", rules: VELERO_ALERT_RULES }] } },
            this,
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/** Velero's flows: the Kubernetes API, and S3 (through the gateway endpoint), EC2 snapshots and STS over HTTPS. */
export function veleroFlows(): NetworkFlow[] {
    const pods = podsOf(VELERO.namespace, { "app.kubernetes.io/name": "velero" });
    return [
        tcp("velero-to-api", "Velero", pods, { group: "cluster" }, 443, "reads the objects it backs up, restores them"),
        httpsToInternet(
            "velero-to-s3-and-ec2",
            "Velero",
            pods,
            "backups to S3 (through the gateway endpoint), EBS snapshots through the EC2 API, STS for its role",
        ),
    ];
}
