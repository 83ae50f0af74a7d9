/**
 * Which namespaces the stack's workloads and Helm releases use, and which Namespaces it declares.
 */
import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOf } from "./graph";
import { DEFAULT_NAMESPACE, isKind, namespaceOf, nameOf } from "./kubernetes";
import { HELM_RELEASE, K8S } from "./types";
import { peek, UNKNOWN } from "./values";

/** A use of a namespace: the resource, and the namespace name (undefined when it cannot be told). */
export interface NamespaceUse {
    readonly user: PolicyResource;
    readonly namespace: string | undefined;
    /** The declared Namespace it depends on, if it names one through an output. */
    readonly declared: PolicyResource | undefined;
}

/** The namespace a workload or Helm release runs in; undefined for other resources. */
export function namespaceUseOf(r: PolicyResource): NamespaceUse | undefined {
    if (r.type === HELM_RELEASE) {
        const declared = dependenciesOf(r, "namespace").find((d) => isKind(d.type, K8S.namespace));
        const value = peek(r.props, "namespace");
        const namespace = typeof value === "string" && value !== "" ? value : value === UNKNOWN ? declared && nameOf(declared.props) : DEFAULT_NAMESPACE;
        return { user: r, namespace, declared };
    }
    if (isKind(r.type, K8S.workloads)) {
        return { user: r, namespace: namespaceOf(r), declared: dependenciesOf(r, "metadata").find((d) => isKind(d.type, K8S.namespace)) };
    }
    return undefined;
}
