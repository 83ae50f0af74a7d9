/**
 * Ingresses served by the AWS Load Balancer Controller: how to tell them apart and read their annotations.
 */
import { asRecord, asString, at, peek, UNKNOWN } from "./values";

/** Prefix of the controller's Ingress annotations. */
export const ALB_ANNOTATION = "alb.ingress.kubernetes.io/";

/** Ingress classes served by the AWS Load Balancer Controller, unless a rule's config says otherwise. */
export const DEFAULT_ALB_INGRESS_CLASSES: readonly string[] = ["alb"];

/** The configSchema property every rule that recognises ALB Ingresses shares. */
export const ALB_INGRESS_CLASSES_SCHEMA = {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_ALB_INGRESS_CLASSES],
    description: "Ingress class names served by the AWS Load Balancer Controller.",
} as const;

/** The Ingress's annotations (an empty map when missing or malformed). */
export function annotationsOf(props: Record<string, unknown>): Record<string, unknown> {
    return asRecord(at(props, "metadata", "annotations")) ?? {};
}

/** An annotation's value: its text, UNKNOWN during preview, or undefined when absent. */
export function annotation(annotations: Record<string, unknown>, key: string): string | typeof UNKNOWN | undefined {
    const value = peek(annotations, key);
    return value === UNKNOWN ? UNKNOWN : asString(value);
}

/**
 * True when the AWS Load Balancer Controller serves the Ingress: its class (`spec.ingressClassName` or
 * the legacy `kubernetes.io/ingress.class` annotation) is one of `albClasses`, or it carries
 * `alb.ingress.kubernetes.io/` annotations.
 */
export function isAlbIngress(props: Record<string, unknown>, albClasses: readonly string[]): boolean {
    const annotations = annotationsOf(props);
    const className = asString(peek(props, "spec", "ingressClassName")) ?? asString(peek(annotations, "kubernetes.io/ingress.class"));
    return (className !== undefined && albClasses.includes(className)) || Object.keys(annotations).some((k) => k.startsWith(ALB_ANNOTATION));
}

/** True when an ALB Ingress asks for an internet-facing load balancer (the controller's default is internal). */
export function isInternetFacing(props: Record<string, unknown>): boolean {
    return annotation(annotationsOf(props), `${ALB_ANNOTATION}scheme`) === "internet-facing";
}

/** One route of an Ingress: a host and path (from `spec.rules`) or the default backend, and the Service it sends to. */
export interface IngressRoute {
    /** The host (`*` for every host), UNKNOWN during preview. */
    readonly host: string | typeof UNKNOWN;
    /** The path (`/` when unset), `(default backend)` for the default backend, UNKNOWN during preview. */
    readonly path: string | typeof UNKNOWN;
    /**
     * The Service the route sends to: its name, UNKNOWN during preview, or undefined when the backend is
     * no Service (a `resource` backend, or an AWS Load Balancer Controller action: port `use-annotation`).
     */
    readonly service: string | typeof UNKNOWN | undefined;
}

/** The name of a backend's Service (networking.k8s.io/v1 `service.name`, v1beta1 `serviceName`), as {@link IngressRoute.service}. */
function backendService(backend: unknown): string | typeof UNKNOWN | undefined {
    const v1 = peek(backend, "service");
    const name = v1 !== undefined ? peek(v1, "name") : peek(backend, "serviceName");
    const port = v1 !== undefined ? peek(v1, "port", "name") : peek(backend, "servicePort");
    if (port === "use-annotation") {
        return undefined;
    }
    return name === UNKNOWN ? UNKNOWN : asString(name);
}

function known(value: unknown, fallback: string): string | typeof UNKNOWN {
    return value === UNKNOWN ? UNKNOWN : (asString(value) ?? fallback);
}

/** The routes of an Ingress (networking.k8s.io/v1 or the v1beta1 shape); a spec unknown during preview gives none. */
export function routesOf(props: Record<string, unknown>): IngressRoute[] {
    const spec = peek(props, "spec");
    if (spec === UNKNOWN) {
        return [];
    }
    const routes: IngressRoute[] = [];
    const defaultBackend = peek(spec, "defaultBackend") ?? peek(spec, "backend");
    if (defaultBackend !== undefined && defaultBackend !== UNKNOWN) {
        routes.push({ host: "*", path: "(default backend)", service: backendService(defaultBackend) });
    }
    const rules = peek(spec, "rules");
    for (const rule of Array.isArray(rules) ? rules : []) {
        const host = known(peek(rule, "host"), "*");
        const paths = peek(rule, "http", "paths");
        for (const entry of Array.isArray(paths) ? paths : []) {
            routes.push({ host, path: known(peek(entry, "path"), "/"), service: backendService(peek(entry, "backend")) });
        }
    }
    return routes;
}

/**
 * The routing scope of an Ingress, within which host+path must be unique: its AWS Load Balancer
 * Controller IngressGroup (`alb.ingress.kubernetes.io/group.name`, across namespaces), else its ingress
 * class (`spec.ingressClassName` or the legacy annotation; the cluster's default class when unset).
 * UNKNOWN when it depends on a value unknown during preview.
 */
export function routingScopeOf(props: Record<string, unknown>): string | typeof UNKNOWN {
    const raw = peek(props, "metadata", "annotations");
    if (raw === UNKNOWN) {
        return UNKNOWN;
    }
    const annotations = asRecord(raw) ?? {};
    const group = annotation(annotations, `${ALB_ANNOTATION}group.name`);
    if (group !== undefined) {
        return group === UNKNOWN ? UNKNOWN : `IngressGroup ${JSON.stringify(group)}`;
    }
    const className = peek(props, "spec", "ingressClassName");
    const legacy = annotation(annotations, "kubernetes.io/ingress.class");
    if (className === UNKNOWN || (className === undefined && legacy === UNKNOWN)) {
        return UNKNOWN;
    }
    const name = asString(className) ?? (legacy === UNKNOWN ? undefined : legacy);
    return name === undefined ? "the default ingress class" : `ingress class ${JSON.stringify(name)}`;
}
