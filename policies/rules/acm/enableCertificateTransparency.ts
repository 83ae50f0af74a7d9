import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { ACM_CERTIFICATE } from "../../lib/types";
import { asString, at, describe } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-acm-certificate-transparency",
    description:
        "ACM certificates are logged to the public Certificate Transparency logs (the default): browsers distrust publicly trusted certificates that are not, and the logs are how a mis-issued certificate for the stack's domain is noticed.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== ACM_CERTIFICATE) {
            return;
        }
        const preference = asString(at(args.props, "options", "certificateTransparencyLoggingPreference"));
        if (preference === "DISABLED") {
            reportViolation(
                `${describe(args)} opts out of Certificate Transparency logging. Remove options.certificateTransparencyLoggingPreference or set it to "ENABLED".`,
            );
        }
    },
};

/** ACM certificates stay in the CT logs. */
export const enableCertificateTransparency: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["ACM-01", "CKV_AWS_234"],
};
