import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { SYSTEM_NAMESPACES, isKind, onlyDns, selectsAll } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asRecord, asString, asStrings, at, describe, peek, prop, records } from "../../lib/values";

const PSA = "pod-security.kubernetes.io/";
const LEVELS = ["privileged", "baseline", "restricted"];

/**
 * The namespaces of node agents that need what only the privileged standard allows: kube-prometheus-stack's
 * node-exporter (its `prometheus-node-exporter.namespaceOverride`: hostNetwork, hostPID, hostPath) and Fluent
 * Bit (`logging`: read-only hostPath of the node's logs and a hostPath for its offsets and buffer). Each must
 * hold its agent and nothing else.
 */
export const DEFAULT_EXEMPT_NAMESPACES = ["monitoring-node-exporter", "logging"];

interface Settings {
    exemptNamespaces?: string[];
    minimumEnforceLevel?: string;
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-namespace-isolation",
    description:
        "Namespaces enforce the restricted Pod Security Standard with a pinned enforce-version (dev: baseline is accepted when warn is restricted), never privileged, except the namespaces listed in exemptNamespaces (by exact name; default: monitoring-node-exporter for kube-prometheus-stack's node-exporter, logging for Fluent Bit). A NetworkPolicy that selects every pod (empty podSelector) only denies, or allows nothing but DNS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptNamespaces: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_EXEMPT_NAMESPACES,
                description:
                    "Namespaces (exact names, no patterns) that may enforce a weaker standard because they run node agents such as node-exporter, and nothing else.",
            },
            minimumEnforceLevel: {
                type: "string",
                enum: ["baseline", "restricted"],
                default: "restricted",
                description: "Weakest enforce level accepted (baseline also requires warn: restricted).",
            },
        },
    },
    validateStack: checkEachResource(
        (type) => isKind(type, K8S.namespace) || isKind(type, K8S.networkPolicy),
        (args, reportViolation) => {
            if (isKind(args.type, K8S.networkPolicy)) {
                const spec = args.props.spec;
                if (!selectsAll(prop(spec, "podSelector"))) {
                    return;
                }
                const ingress = records(prop(spec, "ingress"));
                const egress = records(prop(spec, "egress"));
                if (ingress.length > 0 || !onlyDns(egress)) {
                    reportViolation(
                        `${describe(args)} selects every pod of its namespace (empty podSelector) and allows traffic other than DNS. Keep such a policy a pure default-deny (or a DNS allowance), and give the allowing rules a podSelector for the pods that need them.`,
                    );
                }
                return;
            }
            if (!isKind(args.type, K8S.namespace)) {
                return;
            }
            const name = peek(args.props, "metadata", "name");
            const settings = args.getConfig<Settings>();
            if (
                typeof name === "string" &&
                (SYSTEM_NAMESPACES.includes(name) || asStrings(settings.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES).includes(name))
            ) {
                return;
            }
            const labels = asRecord(at(args.props, "metadata", "labels")) ?? {};
            const label = (key: string) => asString(prop(labels, `${PSA}${key}`));
            const enforce = label("enforce");
            const minimum = LEVELS.includes(asString(settings.minimumEnforceLevel) ?? "") ? (settings.minimumEnforceLevel as string) : "restricted";
            const exemptHint = "(a namespace that only runs node agents such as node-exporter can be listed in exemptNamespaces in the policy config)";
            if (enforce === undefined) {
                reportViolation(
                    `${describe(args)} enforces no Pod Security Standard. Add the labels ${PSA}enforce: restricted and ${PSA}enforce-version: <the cluster's minor, such as v1.36>.`,
                );
                return;
            }
            if (!LEVELS.includes(enforce) || LEVELS.indexOf(enforce) < LEVELS.indexOf(minimum)) {
                reportViolation(
                    `${describe(args)} enforces the ${enforce} Pod Security Standard; ${minimum} is the minimum. Set ${PSA}enforce: restricted ${exemptHint}.`,
                );
            } else if (enforce !== "restricted" && label("warn") !== "restricted") {
                reportViolation(
                    `${describe(args)} enforces the ${enforce} Pod Security Standard without warning about restricted. Set ${PSA}warn: restricted, or enforce restricted.`,
                );
            }
            if (label("enforce-version") === undefined) {
                reportViolation(
                    `${describe(args)} does not pin ${PSA}enforce-version. Set it to the cluster's minor (such as v1.36) so a cluster upgrade never changes the enforced rules unannounced.`,
                );
            }
        },
    ),
};

/** NS-01, NP-01. */
export const isolateNamespace: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["NS-01", "NP-01", "PSS/PSA", "Kyverno psa/deny-privileged-profile", "Kyverno restrict-networkpolicy-empty-podselector"],
    config: {
        prod: { exemptNamespaces: DEFAULT_EXEMPT_NAMESPACES, minimumEnforceLevel: "restricted" },
        dev: { exemptNamespaces: DEFAULT_EXEMPT_NAMESPACES, minimumEnforceLevel: "baseline" },
    },
};
