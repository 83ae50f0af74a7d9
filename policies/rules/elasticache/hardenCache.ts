import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { ELASTICACHE } from "../../lib/types";
import { asNumber, describe, isAwsManagedKey, isSetRef, isSetRefList, isTrue, peek } from "../../lib/values";

interface Settings {
    minimumSnapshotRetentionDays?: number;
    requireHighAvailability?: boolean;
}

const policy: StackValidationPolicy = {
    name: "platform-elasticache-group-hardening",
    description:
        "ElastiCache replication groups require authentication (an AUTH token or RBAC user groups), encrypt with a customer-managed key, keep daily snapshots for the configured days and, in prod, fail over automatically to a replica in another AZ.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumSnapshotRetentionDays: { type: "integer", minimum: 1, default: 1, description: "Fewest days of automatic snapshots." },
            requireHighAvailability: { type: "boolean", default: true, description: "Require automatic failover, Multi-AZ and at least one replica." },
        },
    },
    validateStack: checkEachResource([ELASTICACHE.replicationGroup], (args, reportViolation) => {
        if (args.type !== ELASTICACHE.replicationGroup) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const props = args.props;
        // AUTH tokens and user groups usually come from other resources (a random password, a user group): unknown counts as set.
        if (!isSetRef(peek(props, "authToken")) && !isSetRef(peek(props, "authTokenWo")) && !isSetRefList(peek(props, "userGroupIds"))) {
            reportViolation(
                `${describe(args)} lets any client that reaches it connect without credentials. Set authToken (from a generated secret) or userGroupIds.`,
            );
        }
        if (isTrue(props.atRestEncryptionEnabled)) {
            const key = peek(props, "kmsKeyId");
            if (!isSetRef(key) || isAwsManagedKey(key)) {
                reportViolation(`${describe(args)} is encrypted with the AWS-managed key. Set kmsKeyId to the stack's data key ARN.`);
            }
        }
        const minimum = asNumber(settings.minimumSnapshotRetentionDays) ?? 1;
        const retention = asNumber(props.snapshotRetentionLimit) ?? 0;
        if (retention < minimum) {
            reportViolation(
                `${describe(args)} keeps ${retention} days of snapshots; at least ${minimum} are required. Set snapshotRetentionLimit to ${minimum} or more.`,
            );
        }
        if (settings.requireHighAvailability === true) {
            const replicas = asNumber(props.replicasPerNodeGroup);
            const nodes = asNumber(props.numCacheClusters);
            if (props.automaticFailoverEnabled !== true || props.multiAzEnabled !== true || (replicas === undefined ? (nodes ?? 1) < 2 : replicas < 1)) {
                reportViolation(
                    `${describe(args)} cannot fail over to another AZ. Set automaticFailoverEnabled: true, multiAzEnabled: true and numCacheClusters of at least 2 (or replicasPerNodeGroup of at least 1).`,
                );
            }
        }
    }),
};

/** EC-03, EC-04, EC-05 (prod), EC-06. */
export const hardenCache: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "EC-03",
        "EC-04",
        "EC-05",
        "EC-06",
        "ElastiCache.1",
        "ElastiCache.3",
        "ElastiCache.6",
        "CKV_AWS_31",
        "CKV_AWS_191",
        "CKV2_AWS_50",
        "AVD-AWS-0050",
    ],
    config: {
        prod: { minimumSnapshotRetentionDays: 1, requireHighAvailability: true },
        dev: { minimumSnapshotRetentionDays: 1, requireHighAvailability: false },
    },
};
