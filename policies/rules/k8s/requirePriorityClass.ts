import type { StackValidationPolicy } from "@pulumi/policy";
import { chartName } from "../../lib/chartValuePaths";
import { ofTypes, ofTypesWhere } from "../../lib/graph";
import { isKind, podTemplateOf } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE, K8S } from "../../lib/types";
import { asString, asStrings, describe, peek, UNKNOWN } from "../../lib/values";

/** The classes every cluster has besides those a stack declares. */
export const BUILT_IN_PRIORITY_CLASSES = ["system-node-critical", "system-cluster-critical"];

/** One value a chart renders as a pod's `priorityClassName`; `when` names a value that must be true for those pods to exist. */
export interface PriorityValuePath {
    /** Path of the value in the chart's values. */
    readonly path: readonly string[];
    /** Path of the switch of the pods it applies to (Velero's node agent: `deployNodeAgent`); absent: always rendered. */
    readonly when?: readonly string[];
}

/**
 * The values each known chart reads as its pods' `priorityClassName`, checked against each chart's
 * templates at the platform's pinned versions (a test checks every path against the upstream values.yaml).
 * Charts not listed here are not checked: add a chart's paths when the platform installs it. A Release's
 * `chart` may be an OCI reference: its last segment is the chart's name.
 */
export const CHART_PRIORITY_PATHS: Readonly<Record<string, readonly PriorityValuePath[]>> = {
    "aws-load-balancer-controller": [{ path: ["priorityClassName"] }],
    // One global key for the controller, webhook, CA injector and startupapicheck.
    "cert-manager": [{ path: ["global", "priorityClassName"] }],
    "external-secrets": [{ path: ["priorityClassName"] }, { path: ["webhook", "priorityClassName"] }, { path: ["certController", "priorityClassName"] }],
    "metrics-server": [{ path: ["priorityClassName"] }],
    "external-dns": [{ path: ["priorityClassName"] }],
    // The controller (the chart's default is system-cluster-critical: it makes the capacity everything else needs).
    karpenter: [{ path: ["priorityClassName"] }],
    // CustomResourceDefinitions only: no pod.
    "karpenter-crd": [],
    "fluent-bit": [{ path: ["priorityClassName"] }],
    "opentelemetry-collector": [{ path: ["priorityClassName"] }],
    velero: [{ path: ["priorityClassName"] }, { path: ["nodeAgent", "priorityClassName"], when: ["deployNodeAgent"] }],
    "kube-prometheus-stack": [
        { path: ["prometheusOperator", "priorityClassName"] },
        { path: ["prometheusOperator", "admissionWebhooks", "patch", "priorityClassName"] },
        { path: ["prometheus", "prometheusSpec", "priorityClassName"] },
        { path: ["alertmanager", "alertmanagerSpec", "priorityClassName"] },
        { path: ["grafana", "priorityClassName"] },
        { path: ["kube-state-metrics", "priorityClassName"] },
        { path: ["prometheus-node-exporter", "priorityClassName"] },
    ],
};

interface Settings {
    clusterClasses?: string[];
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-workload-priority-class",
    description:
        "Every workload names a priorityClassName, and Helm releases of the known charts set one at each value their pods read, so that under pressure the scheduler preempts applications before the platform that serves them. The class must be a PriorityClass the stack declares or one the cluster has (clusterClasses): the API server refuses pods that name any other.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            clusterClasses: {
                type: "array",
                items: { type: "string" },
                default: BUILT_IN_PRIORITY_CLASSES,
                description: "PriorityClasses that exist in the cluster without the stack declaring them.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const settings = args.getConfig<Settings>();
        const declared = ofTypesWhere(args.resources, (type) => isKind(type, K8S.priorityClass)).map((r) => asString(peek(r.props, "metadata", "name")));
        // A declared class whose name is unknown during preview (or auto-named) could be any name: names are not checked then.
        const known = declared.includes(undefined) ? undefined : new Set([...asStrings(settings.clusterClasses ?? BUILT_IN_PRIORITY_CLASSES), ...declared]);
        const check = (value: unknown, where: string, report: (message: string) => void, remedy: string) => {
            if (value === UNKNOWN) {
                return;
            }
            const name = asString(value);
            if (name === undefined || name === "") {
                report(`${where} names no priorityClassName, so its pods get the cluster's default priority and may be preempted out of order. ${remedy}`);
            } else if (known !== undefined && !known.has(name)) {
                report(
                    `${where} names the PriorityClass ${JSON.stringify(name)}, which neither the stack declares nor the cluster has: the API server refuses its pods. Name one of ${[...known].sort().join(", ")}, or declare the class.`,
                );
            }
        };
        for (const r of ofTypesWhere(args.resources, (type) => isKind(type, K8S.workloads))) {
            const { spec } = podTemplateOf(r.type, r.props);
            check(peek(spec, "priorityClassName"), describe(r), (m) => reportViolation(m, r.urn), "Set priorityClassName in its pod spec.");
        }
        for (const r of ofTypes(args.resources, [HELM_RELEASE])) {
            const paths = CHART_PRIORITY_PATHS[chartName(asString(r.props.chart) ?? "")];
            const values = peek(r.props, "values");
            if (paths === undefined || values === UNKNOWN) {
                continue;
            }
            for (const { path, when } of paths) {
                if (when !== undefined && peek(values, ...when) !== true) {
                    continue;
                }
                const key = path.join(".");
                check(peek(values, ...path), `${describe(r)} (values.${key})`, (m) => reportViolation(m, r.urn), `Set values.${key}.`);
            }
        }
    },
};

/**
 * Pod priority; the catalog has no id of its own for it, so it extends K-17 (workload availability).
 * Mandatory in prod: the order of preemption is what keeps the platform up under pressure, and a class that
 * does not exist fails the deployment at admission; advisory in dev.
 */
export const requirePriorityClass: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["K-17"],
    config: {
        prod: { clusterClasses: BUILT_IN_PRIORITY_CLASSES },
        dev: { clusterClasses: BUILT_IN_PRIORITY_CLASSES },
    },
};
