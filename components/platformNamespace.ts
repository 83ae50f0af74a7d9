/**
 * A namespace the platform creates for one add-on or application: Pod Security Admission labels, a
 * ResourceQuota and a LimitRange, so that nothing in it can starve the rest of the cluster and every
 * container gets requests and a memory limit even when its chart forgets them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels, type PodSecurityLevel } from "./eks/podSecurity";
import type { PriorityClasses } from "./eks/priorityClasses";

/** The namespace's ceiling and per-container defaults. */
export interface NamespaceBudget {
    /** Sum of CPU requests of all pods, e.g. "2". */
    readonly requestsCpu: string;
    /** Sum of memory requests of all pods, e.g. "2Gi". */
    readonly requestsMemory: string;
    /** Sum of memory limits of all pods, e.g. "4Gi". */
    readonly limitsMemory: string;
    /** Number of pods. */
    readonly pods: number;
}

const defaults = {
    /** Requests and memory limit a container gets when it declares none. */
    container: { requestCpu: "100m", requestMemory: "128Mi", limitMemory: "256Mi" },
};

/** Arguments of {@link PlatformNamespace}. */
export interface PlatformNamespaceArgs {
    /** Namespace name. */
    namespace: string;
    /** Pod Security Standard enforced on its pods. */
    podSecurity: PodSecurityLevel;
    /**
     * The Pod Security Standards release enforced, warned and audited: the cluster's minor, such as
     * `v1.36`, so a cluster upgrade never changes the rules under running pods unannounced.
     */
    podSecurityVersion: string;
    /** Its resource budget. */
    budget: NamespaceBudget;
    /** More labels of the namespace. */
    labels?: Readonly<Record<string, string>>;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /**
     * The cluster's PriorityClasses (the Eks component's): part of {@link PlatformNamespace.ready}, since a pod
     * naming a class that does not exist yet is refused at admission.
     */
    priorityClasses: PriorityClasses;
    /** What the namespace must wait for. */
    after?: pulumi.Input<pulumi.Resource>[];
}

/** The ResourceQuota spec of a budget. */
export function resourceQuotaSpec(budget: NamespaceBudget): k8s.types.input.core.v1.ResourceQuotaSpec {
    return {
        hard: {
            "requests.cpu": budget.requestsCpu,
            "requests.memory": budget.requestsMemory,
            "limits.memory": budget.limitsMemory,
            pods: String(budget.pods),
        },
    };
}

/** The LimitRange spec: defaults for containers that declare no resources. */
export function limitRangeSpec(): k8s.types.input.core.v1.LimitRangeSpec {
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: defaults.container.requestCpu, memory: defaults.container.requestMemory },
                default: { memory: defaults.container.limitMemory },
            },
        ],
    };
}

/** A labelled namespace with its quota and limit range. */
export class PlatformNamespace extends pulumi.ComponentResource {
    /** The namespace; depend on it (or use its name output) to create objects in it. */
    public readonly namespace: k8s.core.v1.Namespace;
    /** Its ResourceQuota. */
    public readonly quota: k8s.core.v1.ResourceQuota;
    /** Its LimitRange: pods created before it would get no default resources. */
    public readonly limits: k8s.core.v1.LimitRange;
    /**
     * What anything that makes pods in the namespace (a Helm release, a Deployment, a Job) must depend on:
     * the Namespace, its ResourceQuota and its LimitRange, and the cluster's PriorityClasses. A pod admitted
     * before the LimitRange gets no default requests or memory limit, and the quota (on `limits.memory`)
     * then rejects it; a pod naming a PriorityClass that does not exist yet is refused.
     */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: PlatformNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:k8s:PlatformNamespace", name, {}, opts);
        const inCluster = { parent: this, provider: args.provider };
        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: args.namespace, labels: { ...args.labels, ...podSecurityLabels(args.podSecurity, args.podSecurityVersion) } } },
            { ...inCluster, dependsOn: args.after },
        );
        const metadata = { name: args.namespace, namespace: this.namespace.metadata.name };
        this.quota = new k8s.core.v1.ResourceQuota(`${name}-quota`, { metadata, spec: resourceQuotaSpec(args.budget) }, inCluster);
        this.limits = new k8s.core.v1.LimitRange(`${name}-limits`, { metadata, spec: limitRangeSpec() }, inCluster);
        this.ready = [this.namespace, this.quota, this.limits, ...args.priorityClasses.ready];
        this.registerOutputs({ namespace: this.namespace.metadata.name });
    }
}
