import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { MultiMap, ofTypesWhere } from "../../lib/graph";
import { SYSTEM_NAMESPACES, isKind, namespaceOf, nameOf, onlyDns, podTemplateOf, selects, selectsAll } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asNumber, asString, asStrings, describe, peek, prop, records, UNKNOWN } from "../../lib/values";

/** What a NetworkPolicy contributes to its namespace. */
function traitsOf(policy: PolicyResource) {
    const spec = peek(policy.props, "spec");
    if (spec === UNKNOWN) {
        return { selector: UNKNOWN as unknown, denyIngress: false, denyEgress: false, allowsDns: false };
    }
    const selector = prop(spec, "podSelector");
    const ingress = records(prop(spec, "ingress"));
    const egress = records(prop(spec, "egress"));
    const declared = asStrings(prop(spec, "policyTypes"));
    // Without policyTypes, a policy is for Ingress, plus Egress when it has egress rules.
    const types = declared.length > 0 ? declared : ["Ingress", ...(egress.length > 0 ? ["Egress"] : [])];
    const all = selectsAll(selector);
    return {
        selector,
        denyIngress: all && types.includes("Ingress") && ingress.length === 0,
        denyEgress: all && types.includes("Egress") && onlyDns(egress),
        allowsDns:
            types.includes("Egress") &&
            egress.some((rule) => records(prop(rule, "ports")).some((p) => asNumber(prop(p, "port")) === 53 || asString(prop(p, "port")) === "dns")),
    };
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-workload-network-policy",
    description:
        "Every workload's pods are selected by a NetworkPolicy of their namespace, and every application namespace with workloads has a default-deny policy for ingress and egress plus an egress allowance for DNS, so pods talk only to what their policies name (the VPC CNI enforces them).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const policies = new MultiMap<string, ReturnType<typeof traitsOf>>();
        const workloads: { r: PolicyResource; namespace: string }[] = [];
        const namespaces = new Map<string, PolicyResource>();
        for (const r of ofTypesWhere(args.resources, (type) => isKind(type, K8S.namespace) || isKind(type, K8S.workloads) || isKind(type, K8S.networkPolicy))) {
            if (isKind(r.type, K8S.namespace)) {
                const name = nameOf(r.props);
                if (name !== undefined) {
                    namespaces.set(name, r);
                }
                continue;
            }
            const workload = isKind(r.type, K8S.workloads);
            if (!workload && !isKind(r.type, K8S.networkPolicy)) {
                continue;
            }
            const namespace = namespaceOf(r);
            if (namespace === undefined || SYSTEM_NAMESPACES.includes(namespace)) {
                continue;
            }
            if (workload) {
                workloads.push({ r, namespace });
            } else {
                policies.add(namespace, traitsOf(r));
            }
        }
        const checked = new Set<string>();
        for (const { r, namespace } of workloads) {
            const here = policies.get(namespace);
            const { labels } = podTemplateOf(r.type, r.props);
            if (!here.some((p) => p.selector === UNKNOWN || selects(p.selector, labels))) {
                reportViolation(
                    `${describe(r)} is selected by no NetworkPolicy, so its pods accept and send any traffic. Add a NetworkPolicy in namespace ${namespace} that selects its pods and allows only what they need.`,
                    r.urn,
                );
            }
            if (checked.has(namespace)) {
                continue;
            }
            checked.add(namespace);
            const target = namespaces.get(namespace) ?? r;
            const missing = [
                here.some((p) => p.denyIngress) ? "" : "default-deny policy for ingress",
                here.some((p) => p.denyEgress) ? "" : "default-deny policy for egress",
                here.some((p) => p.allowsDns) ? "" : "egress allowance for DNS (port 53)",
            ].filter(Boolean);
            if (missing.length > 0 && !here.some((p) => p.selector === UNKNOWN)) {
                reportViolation(
                    `Namespace ${namespace} (of ${describe(r)}) has no ${missing.join(", no ")}. Add a NetworkPolicy with podSelector: {} and policyTypes ["Ingress", "Egress"] and no rules, plus one allowing egress to kube-dns on UDP and TCP 53.`,
                    target.urn,
                );
            }
        }
    },
};

/** */
export const requireNetworkPolicy: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-11", "CIS EKS 4.3.2", "kube-score pod-networkpolicy", "Kyverno require-netpol", "Kyverno add-network-policy", "CKV2_K8S_6"],
};
