import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { ELASTICACHE } from "../../lib/types";
import { asString, describe, prop, records } from "../../lib/values";

const LOG_TYPES = ["slow-log", "engine-log"];

const policy: StackValidationPolicy = {
    name: "platform-elasticache-group-maintenance",
    description:
        "Recommended for ElastiCache replication groups: take minor version upgrades, and deliver the slow log and the engine log. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, [ELASTICACHE.replicationGroup])) {
            if (prop(r.props, "autoMinorVersionUpgrade") === false) {
                reportViolation(`${describe(r)} does not take minor version upgrades. Set autoMinorVersionUpgrade: true.`, r.urn);
            }
            const delivered = records(prop(r.props, "logDeliveryConfigurations")).map((c) => asString(prop(c, "logType")));
            const missing = LOG_TYPES.filter((t) => !delivered.includes(t));
            if (missing.length > 0) {
                reportViolation(
                    `${describe(r)} does not deliver its ${missing.join(" and ")}. Add logDeliveryConfigurations for them (to a CloudWatch log group).`,
                    r.urn,
                );
            }
        }
    },
};

/** EC-07; advisory in every stack. */
export const recommendCacheSettings: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["EC-07", "ElastiCache.2"],
};
