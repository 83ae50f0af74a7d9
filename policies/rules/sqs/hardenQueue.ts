import type { ResourceValidationPolicy } from "@pulumi/policy";
import { openStatements } from "../../lib/resourcePolicies";
import type { PlatformRule } from "../../lib/rule";
import { SQS } from "../../lib/types";
import { describe, isAwsManagedKey, isSetRef, isTrue, peek, policyStatements } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-sqs-queue-hardening",
    description:
        'SQS queues are encrypted at rest, with a customer-managed KMS key or SQS-managed keys (SSE-SQS, which EventBridge can write to without a key grant), never the AWS-managed alias/aws/sqs; queue policies let neither anyone without a condition on the caller\'s account or source nor another account send or receive, and grant named actions, never every action of the queue ("*" or sqs:*).',
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === SQS.queue) {
            const key = peek(args.props, "kmsMasterKeyId");
            if (isAwsManagedKey(key)) {
                reportViolation(
                    `${describe(args)} is encrypted with the AWS-managed key ${String(key)}, whose key policy the account cannot narrow. Use a key of the stack or sqsManagedSseEnabled: true.`,
                );
            } else if (!isSetRef(key) && !isTrue(peek(args.props, "sqsManagedSseEnabled"))) {
                reportViolation(`${describe(args)} is not encrypted at rest. Set kmsMasterKeyId to a key of the stack, or sqsManagedSseEnabled: true.`);
            }
        } else if (args.type === SQS.queuePolicy) {
            for (const statement of policyStatements(args.props.policy) ?? []) {
                const every = statement.actions.filter((a) => a === "*" || a.toLowerCase() === "sqs:*");
                if (statement.effect === "Allow" && !statement.notAction && every.length > 0) {
                    reportViolation(
                        `${describe(args)} has a policy statement that allows every action of the queue (${every.join(", ")}), purging and deleting it and changing its policy included. Name the actions (sqs:SendMessage for a producer).`,
                    );
                }
            }
            for (const problem of openStatements(args.props.policy)) {
                reportViolation(
                    `${describe(args)} has a policy statement that ${problem}. Name this account's principals or services, with aws:SourceAccount or aws:SourceArn for services.`,
                );
            }
        }
    },
};

/** SQS queues: encryption and who may use them. */
export const hardenQueue: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["SQS-01", "SQS-02", "SQS.1", "CKV_AWS_27", "AVD-AWS-0096", "CKV_AWS_168", "CKV_AWS_387", "AVD-AWS-0135", "CKV_AWS_72", "AVD-AWS-0097"],
    partial: ["CKV2_AWS_73"],
};
