import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { credentialsIn, decodedUserData } from "../../lib/secretPatterns";
import { isKind } from "../../lib/kubernetes";
import { EKS, K8S } from "../../lib/types";
import { asString, describe, peek } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-ec2-user-data-secrets",
    description:
        "Launch templates and Karpenter's EC2NodeClasses (whose spec.userData goes into the launch templates Karpenter makes) carry no credential in their user data: anyone allowed ec2:DescribeLaunchTemplateVersions (or the instance metadata, from any process on the node) reads it in clear. Nodes get their credentials from their instance role.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        let userData: string | undefined;
        if (args.type === EKS.launchTemplate) {
            userData = asString(args.props.userData);
        } else if (isKind(args.type, K8S.ec2NodeClass)) {
            userData = asString(peek(args.props, "spec", "userData"));
        } else {
            return;
        }
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

/** No secrets in the user data of launch templates and EC2NodeClasses. */
export const noSecretsInUserData: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["EC2-01", "AVD-AWS-0129", "CKV_AWS_46", "AVD-AWS-0029"],
};
