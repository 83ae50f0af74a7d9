/**
 * The platform's scheduling priorities: under pressure the scheduler preempts lower classes first, so
 * applications give way before the observability that watches them, and both before the controllers
 * that serve them. The PriorityClass objects themselves are created once per cluster (see where
 * `PRIORITY_CLASSES` is used); every release and every application pod names one of these.
 *
 * Values: user-defined classes must stay at or below 1,000,000,000; Kubernetes reserves the two above
 * (`system-cluster-critical` 2,000,000,000 and `system-node-critical` 2,000,001,000) for what the cluster
 * cannot run without (CoreDNS, kube-proxy, the VPC CNI, and the controller that launches nodes).
 */

/** One PriorityClass the platform creates. */
export interface PlatformPriorityClass {
    /** Object name, as pods name it in `priorityClassName`. */
    readonly name: string;
    /** Scheduling priority (higher is scheduled first and preempts lower). */
    readonly value: number;
    /** What belongs in it, as `kubectl get priorityclass` shows. */
    readonly description: string;
}

/** The platform's PriorityClasses, highest first. */
export const PRIORITY_CLASSES = {
    /** Per-node agents that must run on every node (log shipping, node metrics): scheduled before any other pod of the node. */
    nodeAgents: {
        name: "platform-node-agents",
        value: 1_000_000_000,
        description: "Per-node platform agents (log shipping, node metrics): on every node, before anything else.",
    },
    /** Controllers the platform serves traffic and identity through (load balancers, certificates, DNS, secrets, autoscaling). */
    platformCritical: {
        name: "platform-critical",
        value: 900_000_000,
        description: "Platform controllers (load balancers, certificates, DNS, secrets, metrics API): preempted only after observability and applications.",
    },
    /** Metrics, alerts, dashboards, traces and backups. */
    observability: {
        name: "platform-observability",
        value: 500_000_000,
        description: "Platform observability and backups (Prometheus, Alertmanager, Grafana, trace collector, Velero): preempted after applications.",
    },
    /** Application workloads and their Jobs: the first to give way. */
    applications: {
        name: "applications",
        value: 100_000,
        description: "Application workloads: preempted first, so the platform that serves them keeps running.",
    },
} as const satisfies Record<string, PlatformPriorityClass>;
