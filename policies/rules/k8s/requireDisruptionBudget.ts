import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { MultiMap, ofTypesWhere } from "../../lib/graph";
import { SYSTEM_NAMESPACES, isKind, namespaceOf, podTemplateOf, selects } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asNumber, describe, peek, UNKNOWN } from "../../lib/values";

const REPLICATED = ["apps:Deployment", "apps:StatefulSet"];

const policy: StackValidationPolicy = {
    name: "platform-k8s-workload-disruption-budget",
    description:
        "Every Deployment and StatefulSet in an application namespace is covered by a PodDisruptionBudget of its namespace whose selector matches its pod labels, and whose minAvailable is below its replicas, so node drains and upgrades keep it serving without blocking.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const budgets = new MultiMap<string, PolicyResource>();
        const workloads: { r: PolicyResource; namespace: string }[] = [];
        for (const r of ofTypesWhere(args.resources, (type) => isKind(type, REPLICATED) || isKind(type, K8S.podDisruptionBudget))) {
            const replicated = isKind(r.type, REPLICATED);
            if (!replicated && !isKind(r.type, K8S.podDisruptionBudget)) {
                continue;
            }
            const namespace = namespaceOf(r);
            if (namespace === undefined || SYSTEM_NAMESPACES.includes(namespace)) {
                continue;
            }
            if (replicated) {
                workloads.push({ r, namespace });
            } else {
                budgets.add(namespace, r);
            }
        }
        for (const { r, namespace } of workloads) {
            const { labels } = podTemplateOf(r.type, r.props);
            const matching = budgets.get(namespace).filter((b) => {
                const selector = peek(b.props, "spec", "selector");
                return selector === UNKNOWN || selects(selector, labels);
            });
            if (matching.length === 0) {
                reportViolation(
                    `${describe(r)} has no PodDisruptionBudget: a node drain can evict all its pods at once. Add a PodDisruptionBudget in namespace ${namespace} whose selector matches its pod labels, with maxUnavailable: 1.`,
                    r.urn,
                );
                continue;
            }
            const replicas = asNumber(peek(r.props, "spec", "replicas")) ?? 1;
            for (const budget of matching) {
                const minAvailable = asNumber(peek(budget.props, "spec", "minAvailable"));
                if (minAvailable !== undefined && minAvailable >= replicas) {
                    reportViolation(
                        `${describe(budget)} requires ${minAvailable} available pods of ${describe(r)}, which runs ${replicas}: no pod can ever be evicted. Use maxUnavailable: 1, or a minAvailable below the replicas.`,
                        budget.urn,
                    );
                }
            }
        }
    },
};

/** */
export const requireDisruptionBudget: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-10", "PDB-01", "kube-score deployment-has-poddisruptionbudget", "Kyverno require-pdb", "Polaris missingPodDisruptionBudget"],
};
