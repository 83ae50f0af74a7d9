/**
 * Pure builders of what Karpenter is given: the EC2NodeClass of each pool (AMI by a pinned alias, IMDSv2
 * with hop limit 1, an encrypted gp3 root volume with the cluster key, subnets and security groups by the
 * discovery tag, the stack's tags), the NodePool from its config, and the controller's chart values.
 * Validated against @kubernetes-models/karpenter and the chart's values.yaml in the tests.
 */
import type { NodePoolConfig } from "../../config";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { KARPENTER_AMI_RELEASE } from "../../versions";

/** Where the controller runs; its role trusts exactly this service account. */
export const KARPENTER = {
    namespace: "karpenter",
    serviceAccount: "karpenter",
    releaseName: "karpenter",
    crdReleaseName: "karpenter-crd",
} as const;

/** The tag Karpenter finds the nodes' subnets and security group by; its value is the cluster name. */
export const KARPENTER_DISCOVERY_TAG = "karpenter.sh/discovery";

/** The label of the pool a node belongs to (Karpenter's own label). */
export const NODE_POOL_LABEL = "karpenter.sh/nodepool";

/** Root device of the AL2023 EKS AMIs. */
const ROOT_DEVICE = "/dev/xvda";

/** The AMI alias of every node class: the AL2023 EKS AMI release of versions.ts, never `@latest`. */
export const AMI_ALIAS = `al2023@${KARPENTER_AMI_RELEASE}`;

/** What an EC2NodeClass is made of besides its pool. */
export interface NodeClassContext {
    /** Name of the cluster (the discovery tag's value). */
    readonly clusterName: string;
    /** Name of the node role (Karpenter makes an instance profile for it). */
    readonly nodeRoleName: string;
    /** ARN of the KMS key of the root volumes. */
    readonly volumeKeyArn: string;
    /** Tags of the instances, volumes, network interfaces and launch templates Karpenter creates. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The spec of a pool's EC2NodeClass. */
export function ec2NodeClassSpec(pool: NodePoolConfig, ctx: NodeClassContext): Record<string, unknown> {
    const discovery = [{ tags: { [KARPENTER_DISCOVERY_TAG]: ctx.clusterName } }];
    return {
        role: ctx.nodeRoleName,
        amiSelectorTerms: [{ alias: AMI_ALIAS }],
        subnetSelectorTerms: discovery,
        securityGroupSelectorTerms: discovery,
        associatePublicIPAddress: false,
        // Hop limit 1: pods (one hop further than the node) cannot reach the instance metadata and the node
        // role's credentials, as on the managed node groups' launch template.
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: [
            {
                deviceName: ROOT_DEVICE,
                rootVolume: true,
                ebs: { volumeSize: `${pool.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, kmsKeyID: ctx.volumeKeyArn, deleteOnTermination: true },
            },
        ],
        tags: { ...ctx.tags, Name: `${ctx.clusterName}-${pool.name}` },
    };
}

/** The spec of a NodePool: its requirements, the stack's zones, its limits and its disruption rules. */
export function nodePoolSpec(pool: NodePoolConfig, zones: readonly string[]): Record<string, unknown> {
    const requirement = (key: string, values: readonly string[]) => ({ key, operator: "In", values: [...values] });
    return {
        template: {
            // Applications run on workload nodes: the label the managed workload groups carry too.
            metadata: { labels: { [NODE_PURPOSE_LABEL]: "workload" } },
            spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.name },
                requirements: [
                    requirement("karpenter.k8s.aws/instance-category", pool.instanceCategories),
                    ...(pool.instanceFamilies.length > 0 ? [requirement("karpenter.k8s.aws/instance-family", pool.instanceFamilies)] : []),
                    requirement("kubernetes.io/arch", pool.architectures),
                    requirement("kubernetes.io/os", ["linux"]),
                    requirement("karpenter.sh/capacity-type", pool.capacityTypes),
                    requirement("topology.kubernetes.io/zone", zones),
                ],
                expireAfter: pool.expireAfter,
            },
        },
        limits: { cpu: String(pool.cpuLimit), memory: `${pool.memoryLimitGiB}Gi` },
        disruption: {
            consolidationPolicy: pool.consolidationPolicy,
            consolidateAfter: pool.consolidateAfter,
            budgets: [
                { nodes: pool.disruptionBudget },
                ...(pool.noDisruptionWindow === undefined
                    ? []
                    : [{ nodes: "0", schedule: pool.noDisruptionWindow.schedule, duration: pool.noDisruptionWindow.duration }]),
            ],
        },
    };
}

/** What the controller's values are made of. */
export interface KarpenterValuesInput {
    /** Name of the cluster. */
    readonly clusterName: string;
    /** API server endpoint (set, so startup does not depend on DescribeCluster). */
    readonly clusterEndpoint: string;
    /** Name of the interruption queue. */
    readonly interruptionQueue: string;
    /** ARN of the controller's role. */
    readonly roleArn: string;
    /** prod: two replicas on different nodes and zones. */
    readonly highlyAvailable: boolean;
}

/** The controller's chart values (every key exists in the chart's values.yaml; a test checks it). */
export function karpenterValues(input: KarpenterValuesInput): Record<string, unknown> {
    return {
        replicas: input.highlyAvailable ? 2 : 1,
        podDisruptionBudget: { name: KARPENTER.releaseName, maxUnavailable: 1 },
        serviceAccount: { create: true, name: KARPENTER.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": input.roleArn } },
        // The chart's default, and the contract of the priority lane: the controller that makes capacity is
        // the last thing to be preempted.
        priorityClassName: "system-cluster-critical",
        podSecurityContext: { fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        // The chart already sets runAsNonRoot, uid/gid 65532, no privilege escalation, read-only root and no
        // capabilities on the container; the container's seccomp profile is the one thing left to set.
        controller: {
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        },
        // On the managed system nodes, never on a node it launched (which it could consolidate away under itself).
        nodeSelector: { "kubernetes.io/os": "linux", [NODE_PURPOSE_LABEL]: "system" },
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        {
                            matchExpressions: [
                                { key: NODE_POOL_LABEL, operator: "DoesNotExist" },
                                { key: NODE_PURPOSE_LABEL, operator: "In", values: ["system"] },
                            ],
                        },
                    ],
                },
            },
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }] },
        },
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: input.highlyAvailable ? "DoNotSchedule" : "ScheduleAnyway" },
        ],
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        // The program creates the ServiceMonitor itself, after the monitoring release: the chart renders its
        // own only when the CRD already exists, and waiting for it would hold Karpenter back needlessly.
        serviceMonitor: { enabled: false },
        logLevel: "info",
        settings: {
            clusterName: input.clusterName,
            clusterEndpoint: input.clusterEndpoint,
            interruptionQueue: input.interruptionQueue,
        },
    };
}
