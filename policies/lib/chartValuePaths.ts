/**
 * Where each chart the program installs reads what the program promises about its pods: the value paths
 * of their security contexts, resources, replicas and disruption budgets, and of the
 * service accounts that carry a workload role. A Release's rendered objects are invisible to policies
 * (here and in `pulumi preview`: the Release's `manifest` is not computed), so the pack checks the
 * values at these paths instead (policies/rules/k8s/checkChartValues.ts). Data, not code: a chart bump
 * that moves a value changes a row here, and a test checks every path against the chart's upstream
 * values.yaml in ../shared/charts. The PriorityClass paths are the priority rule's own table
 * (`CHART_PRIORITY_PATHS` of policies/rules/k8s/requirePriorityClass.ts), which also checks the class exists.
 */

/** The chart's name from a Release's `chart` (a bare name, `repo/name` or an OCI reference). */
export function chartName(chart: string): string {
    return chart.slice(chart.lastIndexOf("/") + 1);
}

/** The value paths of one pod-making component of a chart (dot-separated, from the values' root). */
export interface ComponentValuePaths {
    /** The pod's security context (runAsNonRoot, seccomp). */
    readonly podSecurityContext?: string;
    /** The container's security context (no privilege escalation, capabilities dropped, read-only root). */
    readonly containerSecurityContext?: string;
    /** Why the container may write its root filesystem, when it must (else readOnlyRootFilesystem: true is required). */
    readonly writableRootFilesystem?: string;
    /** Why the component runs as uid 0, when it must (else runAsNonRoot: true is required); it must still drop every capability. */
    readonly runsAsRoot?: string;
    /** Requests and limits. */
    readonly resources: string;
    /** Replica count, for components that run more than one in prod (a single-writer component has none). */
    readonly replicas?: string;
    /** The disruption budget (a map with `enabled`, or whose presence enables it). */
    readonly disruptionBudget?: string;
    /** What the component takes from the chart's hardened defaults instead of the program's values, with where the chart sets it. */
    readonly chartDefaults?: readonly string[];
}

/** A service account of the chart that may carry a workload (IRSA) role. */
export interface WorkloadIdentityPath {
    /** Path of the service account's values (its `annotations` map holds `eks.amazonaws.com/role-arn`). */
    readonly serviceAccount: string;
    /** True when the role exists only with some config (cert-manager's DNS-01 role needs a hosted zone). */
    readonly optional?: boolean;
}

/** What the pack knows of one chart. */
export interface ChartValuePaths {
    /** The pod-making components, by name. */
    readonly components: Readonly<Record<string, ComponentValuePaths>>;
    /** Service accounts with a workload role. */
    readonly workloadIdentity?: readonly WorkloadIdentityPath[];
}

/** The charts the program installs, by chart name (the Release's `chart`). */
export const CHART_VALUE_PATHS: Readonly<Record<string, ChartValuePaths>> = {
    "aws-load-balancer-controller": {
        components: {
            controller: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                resources: "resources",
                replicas: "replicaCount",
                disruptionBudget: "podDisruptionBudget",
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount" }],
    },
    "metrics-server": {
        components: {
            server: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                resources: "resources",
                replicas: "replicas",
                disruptionBudget: "podDisruptionBudget",
            },
        },
    },
    "cert-manager": {
        components: {
            controller: {
                podSecurityContext: "securityContext",
                containerSecurityContext: "containerSecurityContext",
                resources: "resources",
                replicas: "replicaCount",
                disruptionBudget: "podDisruptionBudget",
            },
            webhook: {
                podSecurityContext: "webhook.securityContext",
                containerSecurityContext: "webhook.containerSecurityContext",
                resources: "webhook.resources",
                replicas: "webhook.replicaCount",
                disruptionBudget: "webhook.podDisruptionBudget",
            },
            cainjector: {
                podSecurityContext: "cainjector.securityContext",
                containerSecurityContext: "cainjector.containerSecurityContext",
                resources: "cainjector.resources",
                replicas: "cainjector.replicaCount",
                disruptionBudget: "cainjector.podDisruptionBudget",
            },
            startupapicheck: {
                podSecurityContext: "startupapicheck.securityContext",
                containerSecurityContext: "startupapicheck.containerSecurityContext",
                resources: "startupapicheck.resources",
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount", optional: true }],
    },
    "kube-prometheus-stack": {
        components: {
            prometheus: {
                podSecurityContext: "prometheus.prometheusSpec.securityContext",
                resources: "prometheus.prometheusSpec.resources",
                replicas: "prometheus.prometheusSpec.replicas",
                disruptionBudget: "prometheus.podDisruptionBudget",
                chartDefaults: [
                    "container security contexts: the Prometheus Operator sets them (read-only root, no privilege escalation, all capabilities dropped)",
                ],
            },
            alertmanager: {
                podSecurityContext: "alertmanager.alertmanagerSpec.securityContext",
                resources: "alertmanager.alertmanagerSpec.resources",
                replicas: "alertmanager.alertmanagerSpec.replicas",
                disruptionBudget: "alertmanager.podDisruptionBudget",
                chartDefaults: [
                    "container security contexts: the Prometheus Operator sets them (read-only root, no privilege escalation, all capabilities dropped)",
                ],
            },
            operator: {
                resources: "prometheusOperator.resources",
                chartDefaults: [
                    "prometheusOperator.securityContext and containerSecurityContext: kube-prometheus-stack 88.5.3's values.yaml sets them hardened (non-root 65534, RuntimeDefault, read-only root, all capabilities dropped)",
                ],
            },
            grafana: {
                podSecurityContext: "grafana.securityContext",
                containerSecurityContext: "grafana.containerSecurityContext",
                writableRootFilesystem: "Grafana writes plugins and its SQLite database under its home (components/addons/monitoring.ts)",
                resources: "grafana.resources",
                chartDefaults: ["a single replica: Grafana keeps its state in SQLite"],
            },
        },
    },
    "external-dns": {
        components: {
            controller: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                resources: "resources",
                chartDefaults: ["a single replica: external-dns has no leader election (components/addons/externalDns.ts)"],
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount" }],
    },
    karpenter: {
        components: {
            controller: {
                podSecurityContext: "podSecurityContext",
                resources: "controller.resources",
                replicas: "replicas",
                disruptionBudget: "podDisruptionBudget",
                chartDefaults: [
                    "the container security context: karpenter 1.14.1's deployment.yaml fixes it (non-root 65532, read-only root, no privilege escalation, all capabilities dropped); controller.securityContext only adds seccomp, AppArmor and SELinux",
                ],
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount" }],
    },
    "fluent-bit": {
        components: {
            agent: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                runsAsRoot: "it reads the node's log files, root's with mode 0640, with no capability (components/addons/fluentBit.ts)",
                resources: "resources",
                chartDefaults: ["one pod per node: a DaemonSet has no replica count, and a disruption budget would only block node drains"],
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount" }],
    },
    "opentelemetry-collector": {
        components: {
            collector: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                resources: "resources",
                replicas: "replicaCount",
                disruptionBudget: "podDisruptionBudget",
            },
        },
        // The sampler's release writes to X-Ray; the gateway's has no AWS identity.
        workloadIdentity: [{ serviceAccount: "serviceAccount", optional: true }],
    },
    // The CRD chart renders only CustomResourceDefinitions: no pod.
    "karpenter-crd": { components: {} },
    velero: {
        components: {
            server: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "containerSecurityContext",
                resources: "resources",
                chartDefaults: ["a single replica: Velero runs one server by design"],
            },
        },
        workloadIdentity: [{ serviceAccount: "serviceAccount.server" }],
    },
    "external-secrets": {
        components: {
            operator: {
                podSecurityContext: "podSecurityContext",
                containerSecurityContext: "securityContext",
                resources: "resources",
                replicas: "replicaCount",
                disruptionBudget: "podDisruptionBudget",
            },
            webhook: {
                podSecurityContext: "webhook.podSecurityContext",
                containerSecurityContext: "webhook.securityContext",
                resources: "webhook.resources",
                replicas: "webhook.replicaCount",
                disruptionBudget: "webhook.podDisruptionBudget",
            },
            certController: {
                podSecurityContext: "certController.podSecurityContext",
                containerSecurityContext: "certController.securityContext",
                resources: "certController.resources",
                replicas: "certController.replicaCount",
                disruptionBudget: "certController.podDisruptionBudget",
            },
        },
    },
};
