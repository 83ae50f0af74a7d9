import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { METRIC_ALARM } from "../../lib/types";
import { asArray, describe, isFalse, peek, UNKNOWN } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-cloudwatch-alarm-actions",
    description:
        "CloudWatch alarms act: their actions are enabled and they notify something when they fire (alarmActions), so that no alarm changes state unseen.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== METRIC_ALARM) {
            return;
        }
        if (isFalse(args.props.actionsEnabled)) {
            reportViolation(`${describe(args)} has its actions disabled: it changes state and tells nobody. Remove actionsEnabled: false.`);
        }
        const actions = peek(args.props, "alarmActions");
        if (actions !== UNKNOWN && asArray(actions).length === 0) {
            reportViolation(`${describe(args)} notifies nothing when it fires. Set alarmActions to the stack's alarm topic.`);
        }
    },
};

/** CloudWatch alarms with actions. */
export const enableAlarmActions: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["CW-03", "CloudWatch.17", "CKV_AWS_319"],
};
