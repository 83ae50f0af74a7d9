import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { asNumber, describe } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

const policy: StackValidationPolicy = {
    name: "platform-logs-group-retention",
    description: "CloudWatch log groups set a retention period of at least the configured minimum (a year in prod).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { minimumRetentionDays: { type: "integer", minimum: 1, default: 365 } },
    },
    validateStack: checkEachResource(["aws:cloudwatch/logGroup:LogGroup"], (args, reportViolation) => {
        if (args.type !== "aws:cloudwatch/logGroup:LogGroup") {
            return;
        }
        const minimum = asNumber(args.getConfig<{ minimumRetentionDays?: number }>().minimumRetentionDays) ?? 365;
        const retention = asNumber(args.props.retentionInDays);
        if (retention === undefined || retention === 0) {
            reportViolation(`${describe(args)} keeps its logs forever (no retentionInDays). Set retentionInDays to at least ${minimum}.`);
        } else if (retention < minimum) {
            reportViolation(`${describe(args)} keeps its logs ${retention} days; at least ${minimum} are required. Raise retentionInDays.`);
        }
    }),
};

/** CW-01. */
export const configureLogGroupRetention: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["CW-01", "CKV_AWS_66", "CKV_AWS_338"],
    config: { prod: { minimumRetentionDays: 365 }, dev: { minimumRetentionDays: 1 } },
};
