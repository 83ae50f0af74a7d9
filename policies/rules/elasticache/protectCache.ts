import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { ELASTICACHE } from "../../lib/types";
import { asString, describe, isTrue } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-elasticache-group-baseline",
    description:
        'What no ElastiCache replication group may lack, in any stack: encryption at rest, TLS required in transit (transitEncryptionMode unset means required; "preferred" is refused), and its own subnet group (never the default one).',
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== ELASTICACHE.replicationGroup) {
            return;
        }
        const props = args.props;
        if (!isTrue(props.atRestEncryptionEnabled)) {
            reportViolation(`${describe(args)} stores its data unencrypted. Set atRestEncryptionEnabled: true with kmsKeyId set to the stack's data key.`);
        }
        if (!isTrue(props.transitEncryptionEnabled)) {
            reportViolation(`${describe(args)} accepts connections without TLS. Set transitEncryptionEnabled: true.`);
        } else if (props.transitEncryptionMode !== undefined && asString(props.transitEncryptionMode) !== "required") {
            reportViolation(
                `${describe(args)} still accepts connections without TLS (transitEncryptionMode ${JSON.stringify(asString(props.transitEncryptionMode) ?? null)}). Set transitEncryptionMode: "required".`,
            );
        }
        const subnetGroup = asString(props.subnetGroupName);
        if (subnetGroup === undefined || subnetGroup === "" || subnetGroup === "default") {
            reportViolation(
                `${describe(args)} uses the default subnet group (the default VPC). Set subnetGroupName to a subnet group of the platform's database subnets.`,
            );
        }
    },
};

/** EC-01, EC-02, EC-08. */
export const protectCache: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["EC-01", "EC-02", "EC-08", "ElastiCache.4", "ElastiCache.5", "ElastiCache.7", "CKV_AWS_29", "CKV_AWS_30", "AVD-AWS-0045", "AVD-AWS-0051"],
};
