import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { asString, describe } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

const policy: StackValidationPolicy = {
    name: "platform-logs-group-encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    validateStack: checkEachResource(["aws:cloudwatch/logGroup:LogGroup"], (args, reportViolation) => {
        if (args.type !== "aws:cloudwatch/logGroup:LogGroup") {
            return;
        }
        const key = asString(args.props.kmsKeyId);
        if (!key) {
            reportViolation(`${describe(args)} is not encrypted with a customer-managed key. Set kmsKeyId to the stack's logs key ARN.`);
        } else if (key.includes("alias/aws/")) {
            reportViolation(`${describe(args)} uses the AWS-managed key ${key}. Use the stack's customer-managed logs key.`);
        }
    }),
};

/** CW-02. */
export const encryptLogGroup: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["CW-02", "CKV_AWS_158", "AVD-AWS-0017"],
};
