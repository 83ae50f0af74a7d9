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
