import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { KMS_KEY } from "../../lib/types";
import { asString, describe, isConditioned, policyStatements } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-kms-key-rotation",
    description:
        "Symmetric encryption KMS keys rotate their key material yearly, never bypass the policy lockout safety check, stay enabled, and have an explicit key policy that grants no unconditioned public principal: a key policy is the only barrier that IAM cannot lift.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== KMS_KEY) {
            return;
        }
        const spec = asString(args.props.customerMasterKeySpec) ?? asString(args.props.keySpec) ?? "SYMMETRIC_DEFAULT";
        const usage = asString(args.props.keyUsage) ?? "ENCRYPT_DECRYPT";
        if (spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT" && args.props.enableKeyRotation !== true) {
            reportViolation(`${describe(args)} does not rotate its key material. Set enableKeyRotation: true.`);
        }
        if (args.props.bypassPolicyLockoutSafetyCheck === true) {
            reportViolation(`${describe(args)} bypasses the policy lockout safety check. Remove bypassPolicyLockoutSafetyCheck or set it to false.`);
        }
        if (args.props.isEnabled === false) {
            reportViolation(
                `${describe(args)} is disabled, so nothing it protects can be decrypted. Set isEnabled: true, or delete the key and what it protects.`,
            );
        }
        const keyPolicy = args.props.policy;
        if (keyPolicy === undefined || keyPolicy === null || keyPolicy === "") {
            reportViolation(
                `${describe(args)} has no key policy, so it gets the default one and nobody reviewed who may use it. Set policy to a document that grants the account root and only the services that need the key.`,
            );
            return;
        }
        for (const statement of policyStatements(keyPolicy) ?? []) {
            if (statement.effect === "Allow" && statement.principals?.anyone === true && !isConditioned(statement)) {
                reportViolation(
                    `${describe(args)} has a key policy statement that allows any principal ("*") without a condition. Name the principals, or add a condition such as aws:PrincipalAccount.`,
                );
            }
        }
    },
};

/** KMS-01, KMS-02, KMS-03. */
export const enableKeyRotation: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["KMS-01", "KMS-02", "KMS-03", "KMS.4", "KMS.5", "CKV_AWS_7", "CKV_AWS_33", "CKV_AWS_227", "CKV2_AWS_64", "AVD-AWS-0065"],
};
