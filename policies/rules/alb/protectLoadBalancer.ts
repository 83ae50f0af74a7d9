import type { ResourceValidationPolicy } from "@pulumi/policy";
import { TLS12_POLICY_PREFIXES } from "../../lib/loadBalancers";
import type { PlatformRule } from "../../lib/rule";
import { LISTENER, LOAD_BALANCER } from "../../lib/types";
import { asString, asStrings, at, describe, records } from "../../lib/values";

const BALANCERS = new Set<string>(LOAD_BALANCER);
const LISTENERS = new Set<string>(LISTENER);

interface Settings {
    internetFacingLoadBalancers?: string[];
    allowedSslPolicyPrefixes?: string[];
}

const policy: ResourceValidationPolicy = {
    name: "platform-alb-load-balancer-baseline",
    description:
        "Load balancers are internal unless listed in internetFacingLoadBalancers; listeners serve HTTPS/TLS only (plain HTTP only to redirect to HTTPS) with a TLS 1.2+ security policy, so nothing reaches the platform unencrypted or unreviewed.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            internetFacingLoadBalancers: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Logical names of load balancers that may be internet-facing (each also needs the WAF: platform-alb-load-balancer-waf).",
            },
            allowedSslPolicyPrefixes: {
                type: "array",
                items: { type: "string" },
                default: TLS12_POLICY_PREFIXES,
                description: "Accepted listener sslPolicy prefixes.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const settings = args.getConfig<Settings>();
        if (BALANCERS.has(args.type)) {
            if (args.props.internal !== true && !asStrings(settings.internetFacingLoadBalancers).includes(args.name)) {
                reportViolation(
                    `${describe(args)} is internet-facing but not on the allowlist. Set internal: true, or add "${args.name}" to internetFacingLoadBalancers in the policy config after a security review.`,
                );
            }
            return;
        }
        if (!LISTENERS.has(args.type)) {
            return;
        }
        const protocol = (asString(args.props.protocol) ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") {
            const sslPolicy = asString(args.props.sslPolicy);
            const prefixes = asStrings(settings.allowedSslPolicyPrefixes ?? TLS12_POLICY_PREFIXES);
            if (sslPolicy === undefined || !prefixes.some((p) => sslPolicy.startsWith(p))) {
                reportViolation(
                    `${describe(args)} uses the TLS policy ${sslPolicy ?? "ELBSecurityPolicy-2016-08 (the default)"}, which allows TLS 1.0 and 1.1. Set sslPolicy to "ELBSecurityPolicy-TLS13-1-2-2021-06".`,
                );
            }
            return;
        }
        const [first] = records(args.props.defaultActions);
        const redirectsToHttps = asString(at(first, "type")) === "redirect" && (asString(at(first, "redirect", "protocol")) ?? "").toUpperCase() === "HTTPS";
        if (!(protocol === "HTTP" && redirectsToHttps)) {
            reportViolation(
                `${describe(args)} serves ${protocol} unencrypted. Use protocol "HTTPS" (or "TLS") with a certificate, or make this listener only redirect to HTTPS (defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]).`,
            );
        }
    },
};

/** ALB-05, ALB-06, ALB-07. */
export const protectLoadBalancer: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["ALB-05", "ALB-06", "ALB-07", "ELB.1", "CKV_AWS_2", "CKV2_AWS_20", "CKV_AWS_103", "CKV2_AWS_74", "AVD-AWS-0053", "AVD-AWS-0054", "AVD-AWS-0047"],
};
