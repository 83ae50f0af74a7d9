/**
 * Small synthetic Kubernetes graphs for the stack rules: namespaces, workloads, budgets, policies and
 * releases, joined by namespace names or, as in a real preview, by property dependencies on a Namespace.
 */
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { resource } from "../check";
import { deployment, namespace } from "../fixtures";

/** The namespace `shop`. */
export const shop = resource("kubernetes:core/v1:Namespace", "shop", namespace);

/** A Deployment `web` in `shop` (labels app=web); `byDependency` names the namespace through an unknown output. */
export function web(byDependency = false, name = "web", labels: Record<string, string> = { app: "web" }): PolicyInput {
    const props = structuredClone(deployment) as Record<string, unknown> & {
        metadata: Record<string, unknown>;
        spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    props.metadata = { ...props.metadata, name };
    props.spec.template.metadata.labels = labels;
    if (byDependency) {
        props.metadata.namespace = Unknown.instance;
        return resource("kubernetes:apps/v1:Deployment", name, props, { propertyDependencies: { metadata: [shop.urn] } });
    }
    return resource("kubernetes:apps/v1:Deployment", name, props);
}

/** A PodDisruptionBudget in `shop`. */
export function budget(spec: Record<string, unknown>, type = "kubernetes:policy/v1:PodDisruptionBudget"): PolicyInput {
    return resource(type, "web-pdb", { metadata: { name: "web", namespace: "shop" }, spec });
}

/** A NetworkPolicy in `shop`. */
export function networkPolicy(name: string, spec: Record<string, unknown>, type = "kubernetes:networking.k8s.io/v1:NetworkPolicy"): PolicyInput {
    return resource(type, name, { metadata: { name, namespace: "shop" }, spec });
}

/** The namespace's default-deny and DNS policies. */
export const defaultPolicies = [
    networkPolicy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    networkPolicy("dns", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ],
    }),
];
