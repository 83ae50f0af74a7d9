/**
 * The platform's scheduling priorities: under pressure the scheduler preempts lower classes first, so
 * applications give way before the observability that watches them, and both before the controllers
 * that serve them. The PriorityClass objects themselves are created once per cluster (see where
 * `PRIORITY_CLASSES` is used); every release and every application pod names one of these.
 *
 * Values: user-defined classes must stay at or below 1,000,000,000; Kubernetes reserves the two above
 * (`system-cluster-critical` 2,000,000,000 and `system-node-critical` 2,000,001,000) for what the cluster
 * cannot run without (CoreDNS, kube-proxy, the VPC CNI, and the controller that launches nodes).
 *
 * Preemption: every class may preempt lower ones (`PreemptLowerPriority`, the Kubernetes default). A
 * node agent's DaemonSet pod must land on its node even when the node is full; a controller or
 * Prometheus rescheduled after a node loss must take room from applications rather than stay pending
 * while the platform is blind or cannot serve; applications preempt only what is below them (nothing
 * the platform makes).
 *
 * Default: `applications` is the cluster's `globalDefault`, so a pod that names no class (a chart hook
 * without a priority value, such as Velero's CRD upgrade Job, or a pod an operator starts by hand) gets
 * the applications' priority rather than 0: it is never preempted before the applications it may serve,
 * and never takes precedence over the platform. Every pod the program makes still names its class
 * (tests and the policy rule platform-k8s-workload-priority-class check it).
 */

/** The built-in classes every cluster has, which pods may name besides the platform's. */
export const SYSTEM_PRIORITY_CLASSES = ["system-node-critical", "system-cluster-critical"] as const;

/** What a class does to the pods it would need room from: `PreemptLowerPriority` evicts them, `Never` waits. */
export type PreemptionPolicy = "PreemptLowerPriority" | "Never";

/** One PriorityClass the platform creates. */
export interface PlatformPriorityClass {
    /** Object name, as pods name it in `priorityClassName`. */
    readonly name: string;
    /** Scheduling priority (higher is scheduled first and preempts lower). */
    readonly value: number;
    /** What belongs in it, as `kubectl get priorityclass` shows. */
    readonly description: string;
    /** Whether its pods may evict lower-priority pods to be scheduled. */
    readonly preemptionPolicy: PreemptionPolicy;
    /** The class of pods that name none (at most one class of a cluster may be the default). */
    readonly globalDefault: boolean;
}

/** The platform's PriorityClasses, highest first. */
export const PRIORITY_CLASSES = {
    /** Per-node agents that must run on every node (log shipping, node metrics): scheduled before any other pod of the node. */
    nodeAgents: {
        name: "platform-node-agents",
        value: 1_000_000_000,
        description: "Per-node platform agents (log shipping, node metrics): on every node, before anything else.",
        preemptionPolicy: "PreemptLowerPriority",
        globalDefault: false,
    },
    /** Controllers the platform serves traffic and identity through (load balancers, certificates, DNS, secrets, autoscaling). */
    platformCritical: {
        name: "platform-critical",
        value: 900_000_000,
        description: "Platform controllers (load balancers, certificates, DNS, secrets, metrics API): preempted only after observability and applications.",
        preemptionPolicy: "PreemptLowerPriority",
        globalDefault: false,
    },
    /** Metrics, alerts, dashboards, traces and backups. */
    observability: {
        name: "platform-observability",
        value: 500_000_000,
        description: "Platform observability and backups (Prometheus, Alertmanager, Grafana, trace collector, Velero): preempted after applications.",
        preemptionPolicy: "PreemptLowerPriority",
        globalDefault: false,
    },
    /** Application workloads and their Jobs: the first to give way. */
    applications: {
        name: "applications",
        value: 100_000,
        description: "Application workloads, and the default of pods that name no class: preempted first, so the platform that serves them keeps running.",
        preemptionPolicy: "PreemptLowerPriority",
        globalDefault: true,
    },
} as const satisfies Record<string, PlatformPriorityClass>;
