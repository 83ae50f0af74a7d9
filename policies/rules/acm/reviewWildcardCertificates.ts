import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { ACM_CERTIFICATE } from "../../lib/types";
import { asString, asStrings, at, describe } from "../../lib/values";

interface Settings {
    allowedWildcardDomains?: string[];
}

const policy: StackValidationPolicy = {
    name: "platform-acm-wildcard-certificate",
    description:
        "Advisory: a wildcard certificate (*.domain) is valid for every host of the domain, so its key's compromise exposes them all. This design issues one for platform:edge.domain on purpose (every application host shares the ALB's certificate, and ACM keeps the key); the domains in allowedWildcardDomains are that reviewed choice, any other wildcard is reported.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            allowedWildcardDomains: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Domains (without *.) whose wildcard certificate is a reviewed choice: the stack's platform:edge.domain.",
            },
        },
    },
    validateStack: checkEachResource([ACM_CERTIFICATE], (args, reportViolation) => {
        const allowed = asStrings(args.getConfig<Settings>().allowedWildcardDomains);
        const names = [asString(args.props.domainName), ...asStrings(at(args.props, "subjectAlternativeNames"))].filter((n): n is string => n !== undefined);
        for (const name of names.filter((n) => n.startsWith("*."))) {
            if (!allowed.includes(name.slice(2))) {
                reportViolation(
                    `${describe(args)} covers ${name}: every host of ${name.slice(2)} shares its key. Name the hosts instead, or add "${name.slice(2)}" to allowedWildcardDomains of the stack's policy config if that is the design.`,
                );
            }
        }
    }),
};

/** Wildcard certificates: advisory, the stack's edge domain reviewed. */
export const reviewWildcardCertificates: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["ACM-02"],
    partial: ["CKV2_AWS_71"],
};
