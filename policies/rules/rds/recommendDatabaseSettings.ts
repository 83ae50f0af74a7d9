import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import { engineOf, isAurora, isPostgres, parametersOf } from "../../lib/rds";
import type { PlatformRule } from "../../lib/rule";
import { RDS } from "../../lib/types";
import { asNumber, asString, describe, isAwsManagedKey, isSetRef, peek, prop } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-rds-instance-best-practices",
    description:
        "Recommended for RDS: IAM database authentication, Enhanced Monitoring, Performance Insights encrypted with a customer-managed key, tags copied to snapshots, and PostgreSQL statement logging (log_statement, log_min_duration_statement). Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, [RDS.instance, RDS.parameterGroup])) {
            if (r.type === RDS.instance) {
                const props = r.props;
                if (prop(props, "iamDatabaseAuthenticationEnabled") !== true) {
                    reportViolation(
                        `${describe(r)} does not accept IAM database authentication. Set iamDatabaseAuthenticationEnabled: true so workloads can log in with their roles.`,
                        r.urn,
                    );
                }
                if ((asNumber(prop(props, "monitoringInterval")) ?? 0) <= 0) {
                    reportViolation(`${describe(r)} has no Enhanced Monitoring. Set monitoringInterval (for example 60) and monitoringRoleArn.`, r.urn);
                }
                if (prop(props, "performanceInsightsEnabled") !== true) {
                    reportViolation(
                        `${describe(r)} has no Performance Insights. Set performanceInsightsEnabled: true with performanceInsightsKmsKeyId set to the stack's data key.`,
                        r.urn,
                    );
                } else {
                    const key = peek(props, "performanceInsightsKmsKeyId");
                    if (!isSetRef(key) || isAwsManagedKey(key)) {
                        reportViolation(
                            `${describe(r)} encrypts Performance Insights with the AWS-managed key. Set performanceInsightsKmsKeyId to the stack's data key ARN.`,
                            r.urn,
                        );
                    }
                }
                if (!isAurora(engineOf(props)) && prop(props, "copyTagsToSnapshot") !== true) {
                    reportViolation(`${describe(r)} does not copy its tags to snapshots. Set copyTagsToSnapshot: true.`, r.urn);
                }
            } else if (r.type === RDS.parameterGroup && isPostgres((asString(prop(r.props, "family")) ?? "").toLowerCase())) {
                const parameters = parametersOf(r.props);
                const missing = ["log_statement", "log_min_duration_statement"].filter((p) => !parameters.has(p));
                if (missing.length > 0) {
                    reportViolation(
                        `${describe(r)} does not set ${missing.join(" and ")}. Add them (for example log_statement = "ddl", log_min_duration_statement = 1000) so changes and slow queries are logged.`,
                        r.urn,
                    );
                }
            }
        }
    },
};

/** RDS-06, RDS-08, RDS-11 (logging parameters); advisory in every stack. */
export const recommendDatabaseSettings: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: [
        "RDS-06",
        "RDS-08",
        "RDS-11",
        "RDS.6",
        "RDS.10",
        "RDS.17",
        "CKV_AWS_161",
        "CKV_AWS_118",
        "CKV_AWS_353",
        "CKV_AWS_354",
        "CKV2_AWS_60",
        "CKV2_AWS_30",
        "AVD-AWS-0176",
        "AVD-AWS-0133",
        "AVD-AWS-0078",
    ],
};
