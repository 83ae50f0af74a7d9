import type { ResourceValidationPolicy } from "@pulumi/policy";
import { openStatements } from "../../lib/resourcePolicies";
import type { PlatformRule } from "../../lib/rule";
import { SNS } from "../../lib/types";
import { describe, isAwsManagedKey, isSetRef, peek } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-sns-topic-hardening",
    description:
        "SNS topics are encrypted with a customer-managed KMS key (never unencrypted, never the AWS-managed alias/aws/sns, whose policy lets every principal of the account decrypt; platform-kms-key-customer-managed checks it is a key of the stack), and topic policies let neither anyone without a condition on the caller's account or source nor another account publish or subscribe.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === SNS.topic) {
            const key = peek(args.props, "kmsMasterKeyId");
            if (!isSetRef(key)) {
                reportViolation(`${describe(args)} is not encrypted at rest. Set kmsMasterKeyId to the stack's data key ARN.`);
            } else if (isAwsManagedKey(key)) {
                reportViolation(
                    `${describe(args)} is encrypted with the AWS-managed key ${String(key)}, whose key policy the account cannot narrow. Set kmsMasterKeyId to the stack's data key ARN.`,
                );
            }
        } else if (args.type === SNS.topicPolicy) {
            for (const problem of openStatements(args.props.policy)) {
                reportViolation(
                    `${describe(args)} has a policy statement that ${problem}. Name this account's principals or services, with aws:SourceAccount or aws:SourceArn for services.`,
                );
            }
        }
    },
};

/** SNS topics: encryption and who may publish. */
export const hardenTopic: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["SNS-01", "SNS-02", "SNS.1", "CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136", "CKV_AWS_169"],
    partial: ["CKV_AWS_385"],
};
