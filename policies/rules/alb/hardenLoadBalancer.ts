import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { loadBalancerTypeOf } from "../../lib/loadBalancers";
import type { PlatformRule } from "../../lib/rule";
import { LOAD_BALANCER } from "../../lib/types";
import { asString, at, describe, isSetRef, peek } from "../../lib/values";

const BALANCERS = new Set<string>(LOAD_BALANCER);

interface Settings {
    requireDeletionProtection?: boolean;
}

const policy: StackValidationPolicy = {
    name: "platform-alb-load-balancer-hardening",
    description:
        "Load balancers write access logs to S3; application load balancers drop invalid HTTP headers and keep desync mitigation at defensive or strictest (request smuggling); in prod, load balancers have deletion protection.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { requireDeletionProtection: { type: "boolean", default: true, description: "Require enableDeletionProtection." } },
    },
    validateStack: checkEachResource(LOAD_BALANCER, (args, reportViolation) => {
        if (!BALANCERS.has(args.type)) {
            return;
        }
        const props = args.props;
        const application = loadBalancerTypeOf(props) === "application";
        if (application && props.dropInvalidHeaderFields !== true) {
            reportViolation(`${describe(args)} forwards requests with invalid HTTP headers. Set dropInvalidHeaderFields: true.`);
        }
        if (at(props, "accessLogs", "enabled") !== true || !isSetRef(peek(props, "accessLogs", "bucket"))) {
            reportViolation(
                `${describe(args)} writes no access logs. Set accessLogs: { enabled: true, bucket: <the access-log bucket> } (the bucket must use SSE-S3).`,
            );
        }
        if (args.getConfig<Settings>().requireDeletionProtection === true && props.enableDeletionProtection !== true) {
            reportViolation(`${describe(args)} has no deletion protection. Set enableDeletionProtection: true.`);
        }
        const desync = asString(props.desyncMitigationMode);
        if (application && desync !== undefined && desync !== "defensive" && desync !== "strictest") {
            reportViolation(
                `${describe(args)} uses desync mitigation mode ${JSON.stringify(desync)}, which lets ambiguous requests through. Set desyncMitigationMode to "defensive" or "strictest".`,
            );
        }
    }),
};

/** ALB-01, ALB-02, ALB-03 (prod), ALB-04. */
export const hardenLoadBalancer: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "ALB-01",
        "ALB-02",
        "ALB-03",
        "ALB-04",
        "ELB.4",
        "ELB.5",
        "ELB.6",
        "ELB.12",
        "CKV_AWS_131",
        "CKV_AWS_91",
        "CKV_AWS_150",
        "CKV_AWS_328",
        "AVD-AWS-0052",
    ],
    config: { prod: { requireDeletionProtection: true }, dev: { requireDeletionProtection: false } },
};
