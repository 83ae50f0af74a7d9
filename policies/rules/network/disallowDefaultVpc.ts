import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { NET } from "../../lib/types";
import { describe } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-network-default-vpc",
    description:
        "The stack does not adopt the account's default VPC (aws.ec2.DefaultVpc): its subnets hand out public addresses and it has no flow logs; the platform runs in its own VPC.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, [NET.defaultVpc])) {
            reportViolation(`${describe(r)} brings the account's default VPC into the stack. Remove it and place resources in the platform's VPC.`, r.urn);
        }
    },
};

/** NET-05. */
export const disallowDefaultVpc: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["NET-05", "CKV_AWS_148", "AVD-AWS-0101"],
};
