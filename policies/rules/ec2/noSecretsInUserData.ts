import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { credentialsIn, decodedUserData } from "../../lib/secretPatterns";
import { EKS } from "../../lib/types";
import { asString, describe } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-ec2-user-data-secrets",
    description:
        "Launch templates carry no credential in their user data: anyone allowed ec2:DescribeLaunchTemplateVersions (or the instance metadata, from any process on the node) reads it in clear. Nodes get their credentials from their instance role.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== EKS.launchTemplate) {
            return;
        }
        const userData = asString(args.props.userData);
        if (userData === undefined || userData === "") {
            return;
        }
        const found = credentialsIn(decodedUserData(userData));
        if (found.length > 0) {
            reportViolation(
                `${describe(args)} has ${found.join(" and ")} in its user data. Remove it: give the node an instance role, and keep secrets in Secrets Manager.`,
            );
        }
    },
};

/** No secrets in launch template user data. */
export const noSecretsInUserData: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["EC2-01", "AVD-AWS-0129"],
    partial: ["CKV_AWS_46", "AVD-AWS-0029"],
};
