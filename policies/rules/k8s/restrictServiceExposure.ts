import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { ALB_ANNOTATION, ALB_INGRESS_CLASSES_SCHEMA, DEFAULT_ALB_INGRESS_CLASSES, annotation, annotationsOf, isAlbIngress } from "../../lib/ingress";
import { DEFAULT_NAMESPACE, isKind } from "../../lib/kubernetes";
import { TLS12_POLICY_PREFIXES } from "../../lib/loadBalancers";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asArray, asString, asStrings, at, describe, isSetRef, peek, records, UNKNOWN } from "../../lib/values";

const SERVICE_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-";

/**
 * The class that hands a LoadBalancer Service to the AWS Load Balancer Controller (an NLB). The platform
 * turns the controller's Service mutator off (components/eks/loadBalancerController.ts), so a Service without
 * it would get a Classic Load Balancer from the cloud provider instead.
 */
export const NLB_LOAD_BALANCER_CLASS = "service.k8s.aws/nlb";

interface Settings {
    albIngressClasses?: string[];
    internetFacingIngresses?: string[];
    allowedSslPolicyPrefixes?: string[];
    requireDeletionProtection?: boolean;
}

/** Problems of a Service (fragments to follow the resource's description). */
function serviceProblems(props: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const type = asString(at(props, "spec", "type")) ?? "ClusterIP";
    const annotations = annotationsOf(props);
    if (type === "NodePort") {
        problems.push("opens a port on every node (type NodePort). Use a ClusterIP Service behind an Ingress (target-type ip)");
    } else if (type === "LoadBalancer") {
        const scheme = annotation(annotations, `${SERVICE_ANNOTATION}scheme`);
        const legacyInternal = annotation(annotations, `${SERVICE_ANNOTATION}internal`);
        if (scheme !== "internal" && scheme !== UNKNOWN && legacyInternal !== "true" && legacyInternal !== UNKNOWN) {
            problems.push(
                `asks for an internet-facing load balancer. Annotate it ${SERVICE_ANNOTATION}scheme: internal, or expose it through an Ingress behind the WAF`,
            );
        }
        if (!isSetRef(annotation(annotations, `${SERVICE_ANNOTATION}ssl-cert`))) {
            problems.push(`gets a load balancer without TLS. Annotate it ${SERVICE_ANNOTATION}ssl-cert with an ACM certificate ARN`);
        }
        const lbClass = asString(at(props, "spec", "loadBalancerClass"));
        if (lbClass !== NLB_LOAD_BALANCER_CLASS && peek(at(props, "spec", "loadBalancerClass")) !== UNKNOWN) {
            problems.push(
                `names no load balancer class of the AWS Load Balancer Controller${lbClass === undefined ? "" : ` (it names ${JSON.stringify(lbClass)})`}, so the cloud provider would make a Classic Load Balancer (the controller's Service mutator is off). Set spec.loadBalancerClass: ${NLB_LOAD_BALANCER_CLASS}`,
            );
        }
    }
    if (asArray(at(props, "spec", "externalIPs")).length > 0) {
        problems.push("claims externalIPs, which lets it intercept traffic to those addresses (CVE-2020-8554). Remove spec.externalIPs");
    }
    return problems;
}

/** The `key=value` pairs of the ALB load-balancer-attributes annotation. */
function attributesOf(annotations: Record<string, unknown>): Map<string, string> | undefined {
    const text = annotation(annotations, `${ALB_ANNOTATION}load-balancer-attributes`);
    if (text === UNKNOWN) {
        return undefined;
    }
    return new Map(
        (text ?? "")
            .split(",")
            .map((pair) => pair.trim().split("=", 2))
            .filter((kv): kv is [string, string] => kv.length === 2)
            .map(([k, v]) => [k.trim(), v.trim()]),
    );
}

/** Problems of an Ingress (fragments to follow the resource's description). */
function ingressProblems(props: Record<string, unknown>, settings: Settings): string[] {
    const problems: string[] = [];
    const annotations = annotationsOf(props);
    const tls = records(at(props, "spec", "tls"));
    if (!isAlbIngress(props, asStrings(settings.albIngressClasses ?? DEFAULT_ALB_INGRESS_CLASSES))) {
        if (tls.length === 0) {
            problems.push("serves plain HTTP (no spec.tls). Add spec.tls with the hosts and a certificate Secret");
        }
        return problems;
    }
    const get = (name: string) => annotation(annotations, `${ALB_ANNOTATION}${name}`);
    const certificate = get("certificate-arn");
    if (!isSetRef(certificate) && !tls.some((t) => asArray(peek(t, "hosts")).length > 0)) {
        problems.push(`has no TLS certificate. Annotate it ${ALB_ANNOTATION}certificate-arn with an ACM certificate ARN`);
    }
    if (get("ssl-redirect") !== "443" && get("ssl-redirect") !== UNKNOWN) {
        problems.push(`does not redirect HTTP to HTTPS. Annotate it ${ALB_ANNOTATION}ssl-redirect: "443"`);
    }
    const sslPolicy = get("ssl-policy");
    const prefixes = asStrings(settings.allowedSslPolicyPrefixes ?? TLS12_POLICY_PREFIXES);
    if (sslPolicy !== UNKNOWN && (sslPolicy === undefined || !prefixes.some((p) => sslPolicy.startsWith(p)))) {
        problems.push(
            `uses the TLS policy ${sslPolicy ?? "ELBSecurityPolicy-2016-08 (the controller's default)"}, which allows TLS 1.0 and 1.1. Annotate it ${ALB_ANNOTATION}ssl-policy: ELBSecurityPolicy-TLS13-1-2-2021-06`,
        );
    }
    const scheme = get("scheme");
    if (scheme === "internet-facing") {
        const namespace = asString(peek(props, "metadata", "namespace")) ?? DEFAULT_NAMESPACE;
        const name = `${namespace}/${asString(peek(props, "metadata", "name")) ?? "?"}`;
        if (!asStrings(settings.internetFacingIngresses).includes(name)) {
            problems.push(
                `asks for an internet-facing ALB but ${name} is not on the allowlist. Remove the scheme annotation (internal is the default), or add "${name}" to internetFacingIngresses in the policy config after a security review`,
            );
        }
    }
    const attributes = attributesOf(annotations);
    if (attributes !== undefined) {
        const required = [
            "routing.http.drop_invalid_header_fields.enabled=true",
            "access_logs.s3.enabled=true",
            ...(settings.requireDeletionProtection === true ? ["deletion_protection.enabled=true"] : []),
        ];
        const missing = required.filter((pair) => {
            const [key, value] = pair.split("=");
            return attributes.get(key) !== value;
        });
        // Request smuggling: the controller's ALB keeps AWS's default (defensive) only if nobody lowers it, so the Ingress says so.
        const desync = attributes.get("routing.http.desync_mitigation_mode");
        if (desync !== "defensive" && desync !== "strictest") {
            missing.push("routing.http.desync_mitigation_mode=defensive (or strictest)");
        }
        if (missing.length > 0) {
            problems.push(
                `does not set ${missing.join(", ")}. Add them to the ${ALB_ANNOTATION}load-balancer-attributes annotation (with access_logs.s3.bucket=<the access-log bucket>)`,
            );
        }
    }
    return problems;
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-service-exposure",
    description:
        "Services are never NodePort and have no externalIPs; LoadBalancer Services are internal, carry a TLS certificate and name the AWS Load Balancer Controller's class (service.k8s.aws/nlb: the platform turns the controller's Service mutator off); Ingresses serve HTTPS only: ALB Ingresses carry a certificate, redirect HTTP to 443, set a TLS 1.2+ policy, are internal unless allowlisted in internetFacingIngresses, and set the load balancer attributes for invalid headers, desync mitigation (defensive or strictest), access logs and (prod) deletion protection.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            albIngressClasses: ALB_INGRESS_CLASSES_SCHEMA,
            internetFacingIngresses: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "Ingresses (namespace/name) that may ask for an internet-facing ALB (each also needs the WAF annotation: platform-alb-load-balancer-waf).",
            },
            allowedSslPolicyPrefixes: {
                type: "array",
                items: { type: "string" },
                default: TLS12_POLICY_PREFIXES,
                description: "Accepted ssl-policy prefixes.",
            },
            requireDeletionProtection: { type: "boolean", default: true, description: "Require deletion_protection.enabled=true on ALB Ingresses." },
        },
    },
    validateStack: checkEachResource(
        (type) => isKind(type, K8S.service) || isKind(type, K8S.ingress),
        (args, reportViolation) => {
            let problems: string[];
            if (isKind(args.type, K8S.service)) {
                problems = serviceProblems(args.props);
            } else if (isKind(args.type, K8S.ingress)) {
                problems = ingressProblems(args.props, args.getConfig<Settings>());
            } else {
                return;
            }
            problems.forEach((p) => reportViolation(`${describe(args)} ${p}.`));
        },
    ),
};

/** SVC-01, SVC-02, ING-01, ING-02. */
export const restrictServiceExposure: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "SVC-01",
        "SVC-02",
        "ING-01",
        "ING-02",
        "CIS EKS 5.4.5",
        "KSV-0108",
        "CKV_AWS_2",
        "CKV_AWS_91",
        "CKV_AWS_103",
        "CKV_AWS_131",
        "CKV_AWS_150",
        "CKV_AWS_328",
        "CKV2_AWS_20",
        "CKV2_AWS_74",
        "AVD-AWS-0047",
        "AVD-AWS-0052",
        "AVD-AWS-0053",
        "AVD-AWS-0054",
    ],
    config: {
        prod: { albIngressClasses: ["alb"], internetFacingIngresses: [], allowedSslPolicyPrefixes: TLS12_POLICY_PREFIXES, requireDeletionProtection: true },
        dev: { albIngressClasses: ["alb"], internetFacingIngresses: [], allowedSslPolicyPrefixes: TLS12_POLICY_PREFIXES, requireDeletionProtection: false },
    },
};
