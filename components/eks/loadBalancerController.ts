/**
 * The AWS Load Balancer Controller: its namespace (Pod Security `restricted`), its service-account role
 * with the upstream IAM policy, and the Helm release (two replicas with a disruption budget, hardened
 * security context, cluster name, region and VPC set so it needs no instance metadata).
 *
 * Its webhooks admit Ingresses, TargetGroupBindings and the pods of namespaces that inject readiness gates
 * (the applications'), and the controller removes the finalizers of Ingresses: the applications' Ingresses
 * and pods depend on this component, so it is installed before them and removed after. The chart's Service
 * mutator (which would intercept every Service of the cluster and fail closed while the controller is down)
 * is off: the program makes no Service of type LoadBalancer, and the pack requires any that a stack adds to
 * name the controller's class (`loadBalancerClass: service.k8s.aws/nlb`), which is what the mutator would
 * set. So no other release waits for the controller.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { CHARTS } from "../../versions";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import type { PolicyDocument } from "../policyDocument";
// Verbatim copy of docs/install/iam_policy.json of kubernetes-sigs/aws-load-balancer-controller at v3.5.0
// (commit 11eb202c97e4; sha256 16f232c9d9f79366...), the policy for this chart's controller version, via
// ../shared/charts/aws-load-balancer-controller/iam_policy.json. Replace it whole when the chart is bumped.
import upstreamPolicy from "../policies/aws-load-balancer-controller.json";
// The same release's partition variants, verbatim: docs/install/iam_policy_cn.json (sha256 b1ac7c18...) and
// docs/install/iam_policy_us-gov.json (sha256 eff0caf0...) at v3.5.0. They differ from the commercial
// policy only in the ARN partition and in the order of two statements.
import upstreamPolicyCn from "../policies/aws-load-balancer-controller-cn.json";
import upstreamPolicyUsGov from "../policies/aws-load-balancer-controller-us-gov.json";
import { partitionOf, type Partition } from "../partitions";
import { PlatformNamespace } from "../platformNamespace";
import { PRIORITY_CLASSES } from "../priorities";
import { WorkloadRole } from "./workloadIdentity";

/** The controller's IAM policy for the commercial partition (upstream, unmodified). */
export const LOAD_BALANCER_CONTROLLER_POLICY = upstreamPolicy as PolicyDocument;

/** The controller's upstream IAM policy for a partition (ARNs in `arn:aws-cn:` and `arn:aws-us-gov:` there). */
export function loadBalancerControllerPolicy(partition: Partition): PolicyDocument {
    switch (partition) {
        case "aws-cn":
            return upstreamPolicyCn as PolicyDocument;
        case "aws-us-gov":
            return upstreamPolicyUsGov as PolicyDocument;
        default:
            return LOAD_BALANCER_CONTROLLER_POLICY;
    }
}

/** Where the controller runs; its role trusts exactly this service account. */
export const LOAD_BALANCER_CONTROLLER = {
    namespace: "aws-load-balancer-controller",
    serviceAccount: "aws-load-balancer-controller",
    releaseName: "aws-load-balancer-controller",
} as const;

/** What the controller's values are made of. */
export interface LoadBalancerControllerValuesInput {
    /** Name of the cluster. */
    readonly clusterName: string;
    /** Region of the cluster. */
    readonly region: string;
    /** The VPC (set, so the controller needs no instance metadata, which hop limit 1 keeps from pods). */
    readonly vpcId: string;
    /** ARN of the controller's role. */
    readonly roleArn: string;
    /** Tags for every load balancer, target group and security group the controller creates. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The chart values (every key exists in the chart's values.yaml; a test checks it). */
export function loadBalancerControllerValues(input: LoadBalancerControllerValuesInput): Record<string, unknown> {
    const podLabels = { "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": LOAD_BALANCER_CONTROLLER.releaseName };
    return {
        clusterName: input.clusterName,
        region: input.region,
        vpcId: input.vpcId,
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        serviceAccount: {
            create: true,
            name: LOAD_BALANCER_CONTROLLER.serviceAccount,
            annotations: { "eks.amazonaws.com/role-arn": input.roleArn },
        },
        podSecurityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "512Mi" } },
        // The chart's default is system-cluster-critical; the platform keeps the system classes for what the
        // cluster itself cannot run without (CoreDNS, the CNI), which may then preempt the controller.
        priorityClassName: PRIORITY_CLASSES.platformCritical.name,
        // On the system nodes, one replica per zone where possible.
        nodeSelector: { [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: podLabels } },
        ],
        // The webhook certificate survives upgrades, so the webhook does not flap during a rollout.
        keepTLSSecret: true,
        // Services behind load balancers are ClusterIP: traffic goes to pod IPs (the VPC CNI's).
        defaultTargetType: "ip",
        // No webhook on every Service (see the module's comment): releases need not wait for the controller.
        enableServiceMutatorWebhook: false,
        defaultTags: { ...input.tags },
    };
}

/** Arguments of {@link LoadBalancerController}. */
export interface LoadBalancerControllerArgs extends AddonInstallArgs {
    /** Name of the cluster (the cluster's output). */
    clusterName: pulumi.Input<string>;
    /** Prefix of Name tags (the cluster name). */
    namePrefix: string;
    /** Region of the cluster. */
    region: string;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Tags for what the controller creates in AWS. */
    tags: Readonly<Record<string, string>>;
}

/** The AWS Load Balancer Controller. */
export class LoadBalancerController extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:eks:LoadBalancerController", name, {}, opts);
        const inCluster = { parent: this, provider: args.provider };
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: LOAD_BALANCER_CONTROLLER.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Two replicas of 100m/200Mi (limit 512Mi), with room for a rolling update.
                budget: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: 6 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const role = new WorkloadRole(
            `${name}-identity`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: LOAD_BALANCER_CONTROLLER.namespace,
                serviceAccount: LOAD_BALANCER_CONTROLLER.serviceAccount,
                purpose: "AWS Load Balancer Controller",
                namePrefix: args.namePrefix,
                policy: loadBalancerControllerPolicy(partitionOf(args.region)),
            },
            { parent: this },
        );
        const values = pulumi
            .all([args.clusterName, args.vpcId, role.role.arn])
            .apply(([clusterName, vpcId, roleArn]) => loadBalancerControllerValues({ clusterName, region: args.region, vpcId, roleArn, tags: args.tags }));
        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.awsLoadBalancerController,
                releaseName: LOAD_BALANCER_CONTROLLER.releaseName,
                namespace,
                values,
                atomic: args.atomic,
            },
            // The role keeps its policy until the release is gone: the controller deletes its load
            // balancers while the Ingresses and Services that depend on it are destroyed.
            { ...inCluster, dependsOn: [role, ...args.after] },
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/** The port the controller's webhook server binds to in its pods: the chart's default `webhookBindPort` (the values leave it unset). */
export const LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT = 9443;

/** The controller's flows: the API server calls its webhook; it calls the Kubernetes API and the ELB, EC2, WAF, ACM and Shield APIs. */
export function loadBalancerControllerFlows(): NetworkFlow[] {
    const c = "LoadBalancerController";
    const controller = podsOf(LOAD_BALANCER_CONTROLLER.namespace, { "app.kubernetes.io/name": "aws-load-balancer-controller" });
    return [
        tcp(
            "control-plane-to-load-balancer-controller-webhook",
            c,
            { group: "cluster" },
            controller,
            LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT,
            "webhooks for Services, pods, Ingresses",
        ),
        tcp("load-balancer-controller-to-api", c, controller, { group: "cluster" }, 443, "watches Ingresses, Services and endpoints"),
        httpsToInternet("load-balancer-controller-to-aws-apis", c, controller, "ELB, EC2, WAFv2, ACM and Shield APIs, STS for its role"),
    ];
}
