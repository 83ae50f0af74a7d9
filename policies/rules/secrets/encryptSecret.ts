import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { SECRET } from "../../lib/types";
import { asNumber, describe, isAwsManagedKey, isSetRef, peek } from "../../lib/values";

interface Settings {
    forbidImmediateDeletion?: boolean;
}

const policy: StackValidationPolicy = {
    name: "platform-secrets-secret-encryption",
    description:
        "Secrets Manager secrets are encrypted with a customer-managed KMS key (whose policy the platform controls, unlike aws/secretsmanager), and in prod keep a recovery window so a deleted secret can be restored.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbidImmediateDeletion: { type: "boolean", default: true, description: "Refuse recoveryWindowInDays: 0 (deletion without a recovery window)." },
        },
    },
    validateStack: checkEachResource([SECRET], (args, reportViolation) => {
        if (args.type !== SECRET) {
            return;
        }
        // An unknown key is another resource's output: a key of the stack, not an AWS-managed alias.
        const key = peek(args.props, "kmsKeyId");
        if (!isSetRef(key)) {
            reportViolation(`${describe(args)} is encrypted with the AWS-managed key aws/secretsmanager. Set kmsKeyId to the stack's data key ARN.`);
        } else if (isAwsManagedKey(key)) {
            reportViolation(`${describe(args)} uses the AWS-managed key ${String(key)}. Set kmsKeyId to the stack's customer-managed data key.`);
        }
        if (args.getConfig<Settings>().forbidImmediateDeletion === true && asNumber(args.props.recoveryWindowInDays) === 0) {
            reportViolation(
                `${describe(args)} is deleted without a recovery window (recoveryWindowInDays: 0). Set recoveryWindowInDays to 7-30 so a deletion can be undone.`,
            );
        }
    }),
};

/** SM-01. */
export const encryptSecret: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["SM-01", "CKV_AWS_149", "AVD-AWS-0098"],
    config: { prod: { forbidImmediateDeletion: true }, dev: { forbidImmediateDeletion: false } },
};
