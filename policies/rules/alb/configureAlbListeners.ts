import type { StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, ofTypes } from "../../lib/graph";
import { loadBalancerTypeOf } from "../../lib/loadBalancers";
import type { PlatformRule } from "../../lib/rule";
import { LISTENER, LOAD_BALANCER } from "../../lib/types";
import { asArray, asNumber, asString, describe, peek, prop, UNKNOWN } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-alb-load-balancer-listeners",
    description:
        "Every application load balancer the program creates serves HTTPS on 443 (plain HTTP listeners may only redirect, see platform-alb-load-balancer-baseline) and spans subnets in at least two availability zones.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const balancers = ResourceIndex.of(args.resources, [...LOAD_BALANCER]);
        if (balancers.all.length === 0) {
            return;
        }
        const https = new Set<string>();
        for (const r of ofTypes(args.resources, LISTENER)) {
            const protocol = (asString(prop(r.props, "protocol")) ?? "").toUpperCase();
            const port = asNumber(prop(r.props, "port")) ?? 443;
            if (protocol === "HTTPS" && port === 443) {
                balancers.refs(r, "loadBalancerArn").forEach((b) => https.add(b.urn));
            }
        }
        for (const b of balancers.all) {
            if (loadBalancerTypeOf(b.props) !== "application") {
                continue;
            }
            if (!https.has(b.urn)) {
                reportViolation(
                    `${describe(b)} has no HTTPS listener on port 443. Add an aws.lb.Listener with protocol "HTTPS", port 443, a certificate and a TLS 1.2+ sslPolicy.`,
                    b.urn,
                );
            }
            const subnets = peek(b.props, "subnets");
            const mappings = peek(b.props, "subnetMappings");
            if (subnets !== UNKNOWN && mappings !== UNKNOWN && asArray(subnets).length + asArray(mappings).length < 2) {
                reportViolation(
                    `${describe(b)} is in fewer than two subnets, so one AZ outage takes it down. List a subnet in each of at least two availability zones.`,
                    b.urn,
                );
            }
        }
    },
};

/** */
export const configureAlbListeners: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-03", "ELB.1", "ELB.13"],
};
