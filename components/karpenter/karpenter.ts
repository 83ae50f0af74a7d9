/**
 * Karpenter: node autoscaling for the workload capacity. Its namespace, the controller's service-account
 * role (the upstream policies, scoped to this cluster by tags), the node role with its EKS access entry, the
 * interruption queue and its EventBridge rules, the CRD chart and the controller chart (on the managed system
 * nodes, which it does not manage), and one EC2NodeClass and NodePool per configured pool.
 *
 * Create: the CRDs, the queue and the roles in parallel, then the controller, then the node classes and
 * pools; only what needs workload capacity (the applications) waits for the pools.
 * Destroy (the same chain backwards): the NodePools and EC2NodeClasses depend on the controller release,
 * so Pulumi deletes them first; their finalizers make the still-running controller drain and terminate
 * every node it launched (and delete its instance profiles and launch templates) before the release, the
 * roles, the queue and then the cluster and the VPC go. Nothing it launched outlives the cluster.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodePoolConfig, SpotServiceLinkedRole } from "../../config";
import { CHARTS } from "../../versions";
import { MONITORING } from "../addons/monitoring";
import { httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import type { AccountContext } from "../policyDocument";
import { nodeTrustPolicy } from "../eks/nodeGroups";
import { workloadTrustPolicy } from "../eks/workloadIdentity";
import { KARPENTER_POLICY_NAMES, karpenterControllerPolicies } from "./controllerPolicies";
import { InterruptionQueue } from "./interruption";
import { KARPENTER, ec2NodeClassSpec, karpenterValues, nodePoolSpec } from "./nodeClasses";

/**
 * What the node role gets, as upstream's KarpenterNodeRole: joining the cluster, pulling images, Session
 * Manager. Not AmazonEKS_CNI_Policy: the VPC CNI has its own service-account role here.
 */
export const KARPENTER_NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"] as const;

/** The AWS service whose service-linked role (AWSServiceRoleForEC2Spot) EC2 needs for spot instances. */
export const SPOT_SERVICE = "spot.amazonaws.com";

/** Arguments of {@link Karpenter}. */
export interface KarpenterArgs extends AddonInstallArgs {
    /** Name of the cluster (the cluster's output, so everything waits for it). */
    clusterName: pulumi.Input<string>;
    /** The same name as plain text: the tag conditions of the policies and the discovery tag. */
    clusterNameText: string;
    /** The API server endpoint. */
    clusterEndpoint: pulumi.Input<string>;
    /** Prefix of the queue's and the rules' names (the stack's). */
    namePrefix: string;
    /** Account, region and partition. */
    account: pulumi.Input<AccountContext>;
    /** ARN partition. */
    partition: string;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** The cluster key: root volumes and the interruption queue. */
    clusterKeyArn: pulumi.Input<string>;
    /** The pools. */
    nodePools: readonly NodePoolConfig[];
    /** Whether the program makes the account's EC2 Spot service-linked role (`create`), which spot pools need. */
    spotServiceLinkedRole: SpotServiceLinkedRole;
    /** The stack's zones: every pool launches in all of them. */
    zones: readonly string[];
    /** Tags of what Karpenter creates in EC2. */
    tags: Readonly<Record<string, string>>;
    /** prod: two replicas. */
    highlyAvailable: boolean;
    /** The release that installs the ServiceMonitor CRD; only the ServiceMonitor waits for it. */
    monitoringRelease: pulumi.Resource;
}

/** Karpenter and its node pools. */
export class Karpenter extends pulumi.ComponentResource {
    /** The controller release. */
    public readonly release: k8s.helm.v3.Release;
    /** The NodePools: what needs workload capacity depends on them. */
    public readonly nodePools: k8s.apiextensions.CustomResource[];

    constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:karpenter:Karpenter", name, {}, opts);
        const child = { parent: this };
        const inCluster = { parent: this, provider: args.provider };

        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: KARPENTER.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Two replicas of 250m/512Mi (limit 1Gi), with room for a rolling update.
                budget: { requestsCpu: "1", requestsMemory: "2Gi", limitsMemory: "4Gi", pods: 4 },
                priorityClasses: args.priorityClasses,
                provider: args.provider,
            },
            child,
        );

        const nodeRole = new aws.iam.Role(
            `${name}-node-role`,
            {
                description: `Nodes Karpenter launches for ${args.clusterNameText}`,
                assumeRolePolicy: JSON.stringify(nodeTrustPolicy(args.partition)),
                tags: { Name: `${args.clusterNameText}-karpenter-node` },
            },
            child,
        );
        const nodeRolePolicies = KARPENTER_NODE_ROLE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-role-${policy}`,
                    { role: nodeRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
                    child,
                ),
        );
        // Karpenter's nodes are not in a managed node group, so EKS makes no access entry for their role.
        const nodeAccess = new aws.eks.AccessEntry(
            `${name}-node-access`,
            { clusterName: args.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX" },
            child,
        );

        const interruption = new InterruptionQueue(
            `${name}-interruption`,
            { namePrefix: args.namePrefix, keyArn: args.clusterKeyArn, account: args.account },
            child,
        );

        const controllerRole = new aws.iam.Role(
            `${name}-controller-role`,
            {
                description: `Karpenter controller of ${args.clusterNameText} (service account ${KARPENTER.namespace}/${KARPENTER.serviceAccount})`,
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.issuer])
                    .apply(([oidcProviderArn, issuer]) =>
                        JSON.stringify(
                            workloadTrustPolicy({ oidcProviderArn, issuer, namespace: KARPENTER.namespace, serviceAccount: KARPENTER.serviceAccount }),
                        ),
                    ),
                tags: { Name: `${args.clusterNameText}-karpenter` },
            },
            child,
        );
        const documents = pulumi
            .all([args.account, nodeRole.arn, interruption.queue.arn, args.clusterKeyArn])
            .apply(([ctx, nodeRoleArn, queueArn, keyArn]) =>
                karpenterControllerPolicies({ ...ctx, clusterName: args.clusterNameText, nodeRoleArn, queueArn, keyArn }),
            );
        // Managed policies, as upstream: together they exceed the 10,240 characters of a role's inline policies.
        const controllerPolicies = KARPENTER_POLICY_NAMES.map((policyName) => {
            const policy = new aws.iam.Policy(
                `${name}-${policyName}`,
                {
                    name: `${policyName}-${args.clusterNameText}`,
                    description: `Karpenter controller of ${args.clusterNameText}`,
                    policy: documents.apply((d) => JSON.stringify(d[policyName])),
                },
                child,
            );
            return new aws.iam.RolePolicyAttachment(`${name}-${policyName}`, { role: controllerRole.name, policyArn: policy.arn }, child);
        });

        // The CRDs as templates of their own chart, so that Helm upgrades them; the controller chart skips its
        // crds/ copy (Helm would install that once and never upgrade it).
        const crds = helmRelease(
            `${name}-crds`,
            { chart: CHARTS.karpenterCrd, releaseName: KARPENTER.crdReleaseName, namespace, values: {}, atomic: args.atomic },
            // CustomResourceDefinitions only: no Service or pod for a webhook to admit, so they install while the
            // load balancer controller and the rest of the nodes' add-ons come up.
            inCluster,
        );
        const values = pulumi
            .all([args.clusterName, args.clusterEndpoint, interruption.queue.name, controllerRole.arn])
            .apply(([clusterName, clusterEndpoint, interruptionQueue, roleArn]) =>
                karpenterValues({ clusterName, clusterEndpoint, interruptionQueue, roleArn, highlyAvailable: args.highlyAvailable }),
            );
        this.release = helmRelease(
            `${name}-release`,
            { chart: CHARTS.karpenter, releaseName: KARPENTER.releaseName, namespace, values, atomic: args.atomic, skipCrds: true },
            // The role keeps its policies and the queue stays until the controller is gone: on destroy it still
            // terminates its nodes while the node pools are deleted.
            { ...inCluster, dependsOn: [crds, controllerRole, ...controllerPolicies, interruption, ...args.after] },
        );

        // EC2 refuses spot launches in an account without the Spot service-linked role; the pools wait for it.
        // Kept on destroy: it is the account's one role of that name, which other stacks' spot capacity uses.
        const spotRole =
            args.spotServiceLinkedRole === "create"
                ? [
                      new aws.iam.ServiceLinkedRole(
                          `${name}-spot-service-role`,
                          {
                              awsServiceName: SPOT_SERVICE,
                              description:
                                  "Default service-linked role of EC2 Spot; created by the platform program for Karpenter's spot pools, kept on destroy",
                          },
                          { ...child, retainOnDelete: true },
                      ),
                  ]
                : [];

        const nodeClassContext = pulumi
            .all([nodeRole.name, args.clusterKeyArn])
            .apply(([nodeRoleName, volumeKeyArn]) => ({ clusterName: args.clusterNameText, nodeRoleName, volumeKeyArn, tags: args.tags }));
        this.nodePools = args.nodePools.map((pool) => {
            // Each depends on the controller release (its finalizers need the controller on delete) and on the
            // node role with its policies and access entry (nodes must join, and drain before the role goes).
            const nodeClass = new k8s.apiextensions.CustomResource(
                `${name}-${pool.name}-node-class`,
                {
                    apiVersion: "karpenter.k8s.aws/v1",
                    kind: "EC2NodeClass",
                    metadata: { name: pool.name },
                    spec: nodeClassContext.apply((ctx) => ec2NodeClassSpec(pool, ctx)),
                },
                { ...inCluster, dependsOn: [this.release, crds, nodeAccess, ...nodeRolePolicies] },
            );
            return new k8s.apiextensions.CustomResource(
                `${name}-${pool.name}-node-pool`,
                { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: pool.name }, spec: nodePoolSpec(pool, args.zones) },
                { ...inCluster, dependsOn: [this.release, crds, nodeClass, ...spotRole] },
            );
        });

        new k8s.apiextensions.CustomResource(
            `${name}-service-monitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: { name: KARPENTER.releaseName, namespace: namespace.namespace.metadata.name },
                spec: {
                    selector: { matchLabels: { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": KARPENTER.releaseName } },
                    namespaceSelector: { matchNames: [KARPENTER.namespace] },
                    endpoints: [{ port: "http-metrics", path: "/metrics" }],
                },
            },
            { ...inCluster, dependsOn: [args.monitoringRelease, this.release] },
        );

        this.registerOutputs({ releaseStatus: this.release.status, interruptionQueue: interruption.queue.name, nodeRoleArn: nodeRole.arn });
    }
}

/** The controller's metrics port: the chart's `controller.metrics.port` default (the values leave it unset). */
export const KARPENTER_METRICS_PORT = 8080;

/**
 * The controller's flows. Karpenter 1.x has no webhooks (its CRDs validate with CEL), so the control plane
 * calls nothing of it. It calls the Kubernetes API and, over HTTPS, EC2, SQS, Pricing, SSM, IAM, EKS and STS;
 * Prometheus scrapes its metrics.
 */
export function karpenterFlows(): NetworkFlow[] {
    const c = "Karpenter";
    const controller = podsOf(KARPENTER.namespace, { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": KARPENTER.releaseName });
    return [
        tcp("karpenter-to-api", c, controller, { group: "cluster" }, 443, "watches pods, nodes and its resources; binds pods to the nodes it launches"),
        httpsToInternet(
            "karpenter-to-aws-apis",
            c,
            controller,
            "EC2 (fleets, launch templates, instances), SQS (interruption queue), Pricing, SSM (AMI alias parameters), IAM (instance profiles), EKS, STS for its role",
        ),
        tcp(
            "prometheus-to-karpenter-metrics",
            c,
            podsOf(MONITORING.namespace, { "app.kubernetes.io/name": "prometheus" }),
            controller,
            KARPENTER_METRICS_PORT,
            "the ServiceMonitor's scrapes",
        ),
    ];
}
