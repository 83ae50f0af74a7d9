/**
 * The EKS platform: security groups, control plane, core add-ons, node groups, the cluster's Kubernetes
 * provider, the default StorageClass and the AWS Load Balancer Controller, in the order they need:
 *
 *   control plane -> vpc-cni, kube-proxy, pod identity agent -> node groups -> CoreDNS, EBS CSI
 *   -> load balancer controller -> (later: everything that creates Services)
 *
 * The PriorityClasses need only the API (access grants -> provider -> classes), so they are ready long
 * before the nodes; every namespace's `ready` includes them.
 *
 * Destroy runs the same chain backwards.
 */
import type * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksConfig } from "../../config";
import { CoreAddons, NODE_BOOTSTRAP_ADDONS, NODE_DEPENDENT_ADDONS } from "./addons";
import { EksCluster } from "./cluster";
import { createKubernetesProvider, kubeconfigJson } from "./kubernetesProvider";
import { LoadBalancerController } from "./loadBalancerController";
import { NodeGroups } from "./nodeGroups";
import { PriorityClasses } from "./priorityClasses";
import { EksSecurityGroups, type WorkloadEgress } from "./securityGroups";
import { defaultStorageClassArgs } from "./storageClass";

/** Arguments of {@link Eks}: the stack's EKS config plus what other components provide. */
export interface EksArgs extends EksConfig {
    /** Name of the cluster. */
    clusterName: string;
    /** Region of the stack. */
    region: string;
    /** ARN partition of the region. */
    partition: string;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ: control plane interfaces and nodes. */
    privateSubnetIds: pulumi.Input<string>[];
    /** KMS key of Kubernetes secrets and of every EBS volume (nodes and pods). */
    clusterKeyArn: pulumi.Input<string>;
    /** KMS key of the control plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the control plane logs, in days. */
    logRetentionDays: number;
    /** The stack's tags, for what AWS services and controllers create outside Pulumi (instances, load balancers). */
    tags: Readonly<Record<string, string>>;
    /** prod: failed Helm upgrades roll back. */
    isProd: boolean;
    /** What nodes need to join the cluster: the routes out of the VPC (pass the network). */
    networkReady: pulumi.Input<pulumi.Resource>[];
    /** The interface endpoints' security group, when the VPC has interface endpoints: it admits the nodes. */
    endpointSecurityGroupId?: pulumi.Input<string>;
    /** Destinations applications declare besides the data tier: the node group's egress to them. */
    workloadEgress: readonly WorkloadEgress[];
}

function present<T>(values: (T | undefined)[]): T[] {
    return values.filter((v): v is T => v !== undefined);
}

/** The EKS cluster and everything the platform runs in it before any application. */
export class Eks extends pulumi.ComponentResource {
    /** The cluster. */
    public readonly cluster: aws.eks.Cluster;
    /** The cluster's IAM OIDC provider (for workload roles of later components). */
    public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    /** The cluster's OIDC issuer URL. */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** On every node and pod: the security group the data tier admits traffic from. */
    public readonly nodeSecurityGroup: aws.ec2.SecurityGroup;
    /** The one Kubernetes provider: every Kubernetes resource is created through it. */
    public readonly kubernetesProvider: k8s.Provider;
    /** Kubeconfig of the cluster (`aws eks get-token`; holds no credentials). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** The default gp3 StorageClass; anything with persistent volumes depends on it. */
    public readonly defaultStorageClass: k8s.storage.v1.StorageClass;
    /** The load balancer controller: the applications' Ingresses and pods depend on it. */
    public readonly loadBalancerController: LoadBalancerController;
    /**
     * What a release needs before it installs: nodes for its pods (the node groups, which wait for the VPC CNI).
     * Every add-on release waits for these and no more: CoreDNS and the EBS CSI driver come up on the same
     * nodes while the releases pull their images, and the releases wait for their pods to be ready.
     */
    public readonly systemNodesReady: pulumi.Resource[];
    /** The platform's PriorityClasses: every {@link PlatformNamespace} takes them (its `ready` includes them). */
    public readonly priorityClasses: PriorityClasses;

    constructor(name: string, args: EksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:Eks", name, {}, opts);
        const child = { parent: this };

        const securityGroups = new EksSecurityGroups(
            `${name}-security-groups`,
            {
                vpcId: args.vpcId,
                clusterName: args.clusterName,
                privateAccessCidrs: args.privateAccessCidrs,
                endpointSecurityGroupId: args.endpointSecurityGroupId,
                workloadEgress: args.workloadEgress,
            },
            child,
        );
        this.nodeSecurityGroup = securityGroups.nodeSecurityGroup;

        const control = new EksCluster(
            `${name}-cluster`,
            {
                clusterName: args.clusterName,
                version: args.version,
                partition: args.partition,
                subnetIds: args.privateSubnetIds,
                securityGroupId: securityGroups.clusterSecurityGroup.id,
                publicAccessCidrs: args.publicAccessCidrs,
                adminPrincipalArns: args.adminPrincipalArns,
                viewerPrincipalArns: args.viewerPrincipalArns,
                bootstrapCreatorAdmin: args.bootstrapCreatorAdmin,
                deletionProtection: args.deletionProtection,
                secretsKeyArn: args.clusterKeyArn,
                logsKeyArn: args.logsKeyArn,
                logRetentionDays: args.logRetentionDays,
            },
            child,
        );
        this.cluster = control.cluster;
        this.oidcProvider = control.oidcProvider;
        this.oidcIssuer = control.oidcIssuer;

        const addonArgs = {
            clusterName: control.cluster.name,
            namePrefix: args.clusterName,
            kubernetesVersion: args.version,
            oidcProviderArn: control.oidcProvider.arn,
            issuer: control.oidcIssuer,
            partition: args.partition,
            volumeKeyArn: args.clusterKeyArn,
        };
        const bootstrapAddons = new CoreAddons(`${name}-node-addons`, { ...addonArgs, addons: NODE_BOOTSTRAP_ADDONS }, child);
        const nodes = new NodeGroups(
            `${name}-nodes`,
            {
                clusterName: control.cluster.name,
                kubernetesVersion: control.cluster.version,
                namePrefix: args.clusterName,
                partition: args.partition,
                subnetIds: args.privateSubnetIds,
                securityGroupId: securityGroups.nodeSecurityGroup.id,
                volumeKeyArn: args.clusterKeyArn,
                groups: args.nodeGroups,
                tags: args.tags,
                after: [...present(Object.values(bootstrapAddons.addons)), ...args.networkReady],
            },
            child,
        );
        const nodeGroups = Object.values(nodes.nodeGroups);
        const addons = new CoreAddons(`${name}-addons`, { ...addonArgs, addons: NODE_DEPENDENT_ADDONS, after: nodeGroups }, child);

        this.kubeconfig = kubeconfigJson({
            clusterName: control.cluster.name,
            endpoint: control.cluster.endpoint,
            certificateAuthorityData: control.cluster.certificateAuthority.apply((ca) => ca.data ?? ""),
            region: args.region,
        });
        this.kubernetesProvider = createKubernetesProvider(`${name}-kubernetes`, this.kubeconfig, { parent: this, dependsOn: control.accessGrants });
        this.priorityClasses = new PriorityClasses(`${name}-priority-classes`, { provider: this.kubernetesProvider }, child);

        // After the EBS CSI driver, and so is everything that makes volumes of it: on destroy they go while the
        // driver still runs and deletes their EBS volumes.
        this.defaultStorageClass = new k8s.storage.v1.StorageClass(`${name}-gp3`, defaultStorageClassArgs(args.clusterKeyArn), {
            parent: this,
            provider: this.kubernetesProvider,
            dependsOn: present([addons.addons["aws-ebs-csi-driver"]]),
        });

        this.systemNodesReady = [...nodeGroups];
        this.loadBalancerController = new LoadBalancerController(
            `${name}-lb-controller`,
            {
                clusterName: control.cluster.name,
                namePrefix: args.clusterName,
                region: args.region,
                vpcId: args.vpcId,
                oidcProviderArn: control.oidcProvider.arn,
                issuer: control.oidcIssuer,
                tags: args.tags,
                provider: this.kubernetesProvider,
                atomic: args.isProd,
                podSecurityVersion: `v${args.version}`,
                priorityClasses: this.priorityClasses,
                // Its pods resolve the AWS APIs' names: after CoreDNS as well.
                after: [...this.systemNodesReady, ...present([addons.addons.coredns])],
            },
            child,
        );

        this.registerOutputs({
            clusterName: this.cluster.name,
            oidcProviderArn: this.oidcProvider.arn,
            nodeSecurityGroupId: this.nodeSecurityGroup.id,
        });
    }
}
