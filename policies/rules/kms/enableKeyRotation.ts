import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asString, describe } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

const policy: ResourceValidationPolicy = {
    name: "platform-kms-key-rotation",
    description: "Symmetric encryption KMS keys rotate their key material yearly, and never bypass the policy lockout safety check.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:kms/key:Key") {
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
    },
};

/** KMS-01 / KMS-02. */
export const enableKeyRotation: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["KMS-01", "KMS-02", "CKV_AWS_7", "AVD-AWS-0065", "KMS.4"],
};
