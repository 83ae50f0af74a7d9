/**
 * Pure annotations of an application's ALB Ingress: one internet-facing ALB per host (an IngressGroup),
 * HTTPS only with a TLS 1.3 policy and the edge certificate, the WAF web ACL, access logs, invalid header
 * fields dropped, security response headers on the HTTPS listener, the readiness path as health check.
 */
import type { ApplicationConfig } from "../../config";

/** The ALB settings every application Ingress shares. */
export const ingressDefaults = {
    /** TLS 1.3 and 1.2 with forward-secret AEAD ciphers only (ELB's recommended TLS 1.3 policy). */
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    /** Seconds a deregistered target keeps its connections (below the pods' preStop sleep plus grace). */
    deregistrationDelaySeconds: 30,
    /** HSTS for a year, subdomains included. */
    hsts: "max-age=31536000; includeSubDomains",
    /** Lifetime of the stickiness cookie, seconds. */
    stickinessSeconds: 86400,
} as const;

/** Prefix of the AWS Load Balancer Controller's Ingress annotations. */
const ALB = "alb.ingress.kubernetes.io/";

/** The IngressGroup (and so the ALB) of a host: at most 63 characters of [a-z0-9-.]. */
export function ingressGroupName(namePrefix: string, host: string): string {
    return `${namePrefix}-${host.replace(/\./g, "-")}`.slice(0, 63).replace(/-+$/, "");
}

/** Rule order inside the group: an application with a catch-all path goes after the specific ones. */
export function ingressOrder(app: ApplicationConfig, index: number): number {
    return app.paths.includes("/*") ? 1000 : 10 + index;
}

/** What the annotations are built from. */
export interface IngressInputs {
    readonly app: ApplicationConfig;
    /** Position of the application in config (orders the group's rules). */
    readonly index: number;
    /** `<project>-<stack>`, prefix of the group name. */
    readonly namePrefix: string;
    /** ACM certificate of the edge domain. */
    readonly certificateArn: string;
    /** The edge's WAF web ACL. */
    readonly webAclArn: string;
    /** The access-log bucket. */
    readonly accessLogBucket: string;
    /** Prefix the bucket's policy lets ELB write under. */
    readonly accessLogPrefix: string;
    /** prod: deletion protection on. */
    readonly deletionProtection: boolean;
}

/** The `key=value,...` text of an attribute annotation. */
function attributes(pairs: Record<string, string | number | boolean>): string {
    return Object.entries(pairs)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",");
}

/** Every annotation of the Ingress. Load-balancer-wide ones are identical for all applications of a host. */
export function ingressAnnotations(i: IngressInputs): Record<string, string> {
    const host = i.app.host as string;
    return {
        [`${ALB}group.name`]: ingressGroupName(i.namePrefix, host),
        [`${ALB}group.order`]: String(ingressOrder(i.app, i.index)),
        [`${ALB}scheme`]: "internet-facing",
        [`${ALB}target-type`]: "ip",
        [`${ALB}listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        [`${ALB}ssl-redirect`]: "443",
        [`${ALB}certificate-arn`]: i.certificateArn,
        [`${ALB}ssl-policy`]: ingressDefaults.sslPolicy,
        [`${ALB}wafv2-acl-arn`]: i.webAclArn,
        [`${ALB}load-balancer-attributes`]: attributes({
            "routing.http.drop_invalid_header_fields.enabled": true,
            // Request smuggling: ambiguous requests are blocked or normalised (AWS's default, stated so it cannot drift).
            "routing.http.desync_mitigation_mode": "defensive",
            "access_logs.s3.enabled": true,
            "access_logs.s3.bucket": i.accessLogBucket,
            "access_logs.s3.prefix": i.accessLogPrefix,
            "deletion_protection.enabled": i.deletionProtection,
        }),
        [`${ALB}listener-attributes.HTTPS-443`]: attributes({
            "routing.http.response.strict_transport_security.header_value": ingressDefaults.hsts,
            "routing.http.response.x_content_type_options.header_value": "nosniff",
            "routing.http.response.x_frame_options.header_value": "DENY",
        }),
        [`${ALB}target-group-attributes`]: attributes({
            "deregistration_delay.timeout_seconds": ingressDefaults.deregistrationDelaySeconds,
            ...(i.app.stickySessions
                ? { "stickiness.enabled": true, "stickiness.type": "lb_cookie", "stickiness.lb_cookie.duration_seconds": ingressDefaults.stickinessSeconds }
                : {}),
        }),
        [`${ALB}healthcheck-path`]: i.app.readinessPath,
        [`${ALB}healthcheck-port`]: "traffic-port",
        [`${ALB}success-codes`]: "200",
    };
}
