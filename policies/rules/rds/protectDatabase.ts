import type { ResourceValidationPolicy } from "@pulumi/policy";
import { engineOf, isAurora, parametersOf } from "../../lib/rds";
import type { PlatformRule } from "../../lib/rule";
import { RDS } from "../../lib/types";
import { asString, describe, isSetRef, peek } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-rds-instance-baseline",
    description:
        "What no RDS database may lack, in any stack: it is not publicly accessible, its storage is encrypted, and PostgreSQL parameter groups force TLS (rds.force_ssl = 1), so neither the endpoint nor the data on disk or on the wire is exposed.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === RDS.instance) {
            if (args.props.publiclyAccessible === true) {
                reportViolation(`${describe(args)} is publicly accessible. Set publiclyAccessible: false; applications reach it from the cluster.`);
            }
            // Aurora instances inherit encryption from their cluster; same-region replicas from their source.
            if (!isAurora(engineOf(args.props)) && !isSetRef(peek(args.props, "replicateSourceDb")) && args.props.storageEncrypted !== true) {
                reportViolation(
                    `${describe(args)} stores its data unencrypted. Set storageEncrypted: true with kmsKeyId set to the stack's data key (this replaces an existing instance: restore from an encrypted snapshot).`,
                );
            }
        } else if (args.type === RDS.parameterGroup) {
            const family = asString(args.props.family) ?? "";
            if (family.startsWith("postgres") && parametersOf(args.props).get("rds.force_ssl") !== "1") {
                reportViolation(`${describe(args)} lets clients connect without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.`);
            }
        }
    },
};

/** RDS-01, RDS-02 (encryption), RDS-11 (TLS). */
export const protectDatabase: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["RDS-01", "RDS-02", "RDS-11", "RDS.2", "RDS.3", "RDS.38", "CKV_AWS_17", "CKV_AWS_16", "CKV2_AWS_69", "AVD-AWS-0180", "AVD-AWS-0080"],
};
