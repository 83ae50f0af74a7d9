import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { MultiMap, ofTypesWhere } from "../../lib/graph";
import { routesOf, routingScopeOf } from "../../lib/ingress";
import { SYSTEM_NAMESPACES, isKind, kindOf, namespaceOf, podTemplateOf, selects, selectsAll } from "../../lib/kubernetes";
import { namespaceUseOf } from "../../lib/namespaces";
import type { PlatformRule } from "../../lib/rule";
import { isUnknownValueError } from "../../lib/stackCheck";
import { HELM_RELEASE, K8S } from "../../lib/types";
import { asRecord, asStrings, describe, peek, UNKNOWN } from "../../lib/values";

interface Settings {
    podCreatingKinds?: string[];
}

/** Custom resources whose operators create pods (and Services), unless the rule's config says otherwise. */
const DEFAULT_POD_CREATING_KINDS = [
    "monitoring.coreos.com:Prometheus",
    "monitoring.coreos.com:PrometheusAgent",
    "monitoring.coreos.com:Alertmanager",
    "monitoring.coreos.com:ThanosRuler",
];

/** True when a Service's `spec.selector` (a plain label map) selects pods with these labels; unknown values match. */
function serviceSelects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
    return Object.keys(selector).every((key) => {
        const wanted = peek(selector, key);
        const actual = peek(labels, key);
        return wanted === UNKNOWN || actual === UNKNOWN || wanted === actual;
    });
}

/** A selector in a message (never throws: a value unknown during preview shows as such). */
function showSelector(selector: unknown): string {
    try {
        return JSON.stringify(selector);
    } catch {
        return "(partly unknown during preview)";
    }
}

/** What the rule knows of the stack's Kubernetes objects, by namespace. */
interface Namespaces {
    /** Pod labels of the stack's workloads, by namespace. */
    readonly pods: MultiMap<string, Record<string, unknown>>;
    /** Pod labels of workloads whose namespace is unknown during preview (they may live anywhere). */
    readonly podsAnywhere: Record<string, unknown>[];
    /**
     * Namespaces the rule judges: the stack's workloads run there, and nothing the rule cannot see
     * (a Helm release, an operator's custom resource) makes pods or Services there.
     */
    readonly judged: Set<string>;
    /**
     * Service names by namespace (`*` for Services whose namespace is unknown during preview); a
     * namespace with a Service whose name is unknown is in `anyService` (`*`: any namespace may have one).
     */
    readonly services: MultiMap<string, string>;
    readonly anyService: Set<string>;
}

/** Stands for "any namespace" in the survey's maps. */
const ANY = "*";

/** Pod labels that match every selector: a template unknown during preview. */
const ANY_LABELS: Record<string, unknown> = Object.freeze({});

/** A workload's pod labels; {@link ANY_LABELS} when its template is unknown during preview. */
function podLabelsOf(r: PolicyResource): Record<string, unknown> {
    try {
        return podTemplateOf(r.type, r.props).labels;
    } catch (error) {
        if (isUnknownValueError(error)) {
            return ANY_LABELS;
        }
        throw error;
    }
}

function survey(resources: readonly PolicyResource[], podCreatingKinds: readonly string[]): Namespaces {
    const pods = new MultiMap<string, Record<string, unknown>>();
    const podsAnywhere: Record<string, unknown>[] = [];
    const services = new MultiMap<string, string>();
    const anyService = new Set<string>();
    const withWorkloads = new Set<string>();
    const opaque = new Set<string>();
    let opaqueEverywhere = false;
    for (const r of resources) {
        if (r === null || typeof r !== "object" || typeof r.type !== "string") {
            continue;
        }
        if (r.type === HELM_RELEASE) {
            const use = namespaceUseOf(r);
            if (use?.namespace === undefined) {
                opaqueEverywhere = true;
            } else {
                opaque.add(use.namespace);
            }
            continue;
        }
        const kind = kindOf(r.type);
        if (kind === undefined) {
            continue;
        }
        const namespace = namespaceOf(r);
        if (podCreatingKinds.includes(kind)) {
            if (namespace === undefined) {
                opaqueEverywhere = true;
            } else {
                opaque.add(namespace);
            }
        } else if (isKind(r.type, K8S.workloads)) {
            const labels = podLabelsOf(r);
            if (namespace === undefined) {
                podsAnywhere.push(labels);
            } else {
                pods.add(namespace, labels);
                withWorkloads.add(namespace);
            }
        } else if (isKind(r.type, K8S.service)) {
            const name = peek(r.props, "metadata", "name");
            if (typeof name === "string") {
                services.add(namespace ?? ANY, name);
            } else {
                anyService.add(namespace ?? ANY);
            }
        }
    }
    const judged = new Set(opaqueEverywhere ? [] : [...withWorkloads].filter((n) => !opaque.has(n) && !SYSTEM_NAMESPACES.includes(n)));
    return { pods, podsAnywhere, judged, services, anyService };
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-traffic-targets",
    description:
        "Kubernetes traffic objects point at something: every Service selector and NetworkPolicy podSelector matches the pod labels of a workload of its namespace, every Ingress backend names a Service of its namespace, and no two Ingresses of one IngressGroup (or ingress class) route the same host and path. Only namespaces where the stack's own workloads run, and no Helm release or pod-creating operator resource adds objects the pack cannot see, are judged for selectors and backends.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            podCreatingKinds: {
                type: "array",
                items: { type: "string" },
                default: [...DEFAULT_POD_CREATING_KINDS],
                description:
                    "Custom resource kinds (group:Kind) whose operators create pods and Services, which the pack cannot see: namespaces holding one are not judged for selectors and backends.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const traffic = ofTypesWhere(args.resources, (type) => isKind(type, K8S.service) || isKind(type, K8S.networkPolicy) || isKind(type, K8S.ingress));
        if (traffic.length === 0) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const { pods, podsAnywhere, judged, services, anyService } = survey(args.resources, asStrings(settings.podCreatingKinds ?? DEFAULT_POD_CREATING_KINDS));
        const podsOf = (namespace: string) => [...pods.get(namespace), ...podsAnywhere];
        const routed = new Map<string, PolicyResource>();
        for (const r of traffic) {
            const found = namespaceOf(r);
            // The namespace, when the rule judges it for selectors and backends.
            const namespace = found !== undefined && judged.has(found) ? found : undefined;
            if (isKind(r.type, K8S.service)) {
                const type = peek(r.props, "spec", "type");
                const selector = peek(r.props, "spec", "selector");
                const map = asRecord(selector);
                // No selector: endpoints are managed by hand (or ExternalName); nothing to match.
                if (namespace === undefined || type === "ExternalName" || selector === UNKNOWN || map === undefined || Object.keys(map).length === 0) {
                    continue;
                }
                if (!podsOf(namespace).some((labels) => labels === ANY_LABELS || serviceSelects(map, labels))) {
                    reportViolation(
                        `${describe(r)} selects no pods: no workload of namespace ${namespace} has pod labels matching its selector ${showSelector(map)}, so it has no endpoints. Set spec.selector to the pod template labels of the workload it fronts.`,
                        r.urn,
                    );
                }
            } else if (isKind(r.type, K8S.networkPolicy)) {
                const selector = peek(r.props, "spec", "podSelector");
                // An empty podSelector is a namespace-wide policy (it selects whatever pods are there).
                if (namespace === undefined || selector === UNKNOWN || selectsAll(selector)) {
                    continue;
                }
                if (!podsOf(namespace).some((labels) => labels === ANY_LABELS || selects(selector, labels))) {
                    reportViolation(
                        `${describe(r)} selects no pods: no workload of namespace ${namespace} has pod labels matching its podSelector ${showSelector(selector)}, so it governs nothing. Set spec.podSelector to the pod template labels of the workloads it is for.`,
                        r.urn,
                    );
                }
            } else {
                const routes = routesOf(r.props);
                const missing = new Set<string>();
                for (const route of routes) {
                    if (
                        namespace !== undefined &&
                        typeof route.service === "string" &&
                        !anyService.has(namespace) &&
                        !anyService.has(ANY) &&
                        !services.get(namespace).includes(route.service) &&
                        !services.get(ANY).includes(route.service) &&
                        !missing.has(route.service)
                    ) {
                        missing.add(route.service);
                        reportViolation(
                            `${describe(r)} sends ${route.host === "*" ? "" : `${String(route.host)} `}${String(route.path)} to Service ${JSON.stringify(route.service)}, which namespace ${namespace} does not have in the stack. Create that Service, or name an existing one in the backend.`,
                            r.urn,
                        );
                    }
                }
                const scope = routingScopeOf(r.props);
                if (scope === UNKNOWN) {
                    continue;
                }
                const reported = new Set<string>();
                for (const route of routes) {
                    if (route.host === UNKNOWN || route.path === UNKNOWN) {
                        continue;
                    }
                    const key = `${scope}\n${route.host}\n${route.path}`;
                    const first = routed.get(key);
                    if (first === undefined) {
                        routed.set(key, r);
                    } else if (!reported.has(key)) {
                        reported.add(key);
                        const where = route.path === "(default backend)" ? "a default backend" : `host ${route.host} path ${route.path}`;
                        reportViolation(
                            `${describe(r)} routes ${where}, which ${first === r ? "another of its own rules" : describe(first)} also routes in ${scope}: the load balancer sends those requests to only one of them. Give each host and path to one Ingress.`,
                            r.urn,
                        );
                    }
                }
            }
        }
    },
};

/** X-12. */
export const matchTrafficTargets: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "X-12",
        "kube-score service-targets-pod",
        "kube-score networkpolicy-targets-pod",
        "kube-score ingress-targets-service",
        "Gatekeeper uniqueingresshost",
    ],
};
