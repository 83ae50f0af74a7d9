import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { EKS, LOG_GROUP } from "../../lib/types";
import { asArray, describe, peek } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-logs-eks-log-group",
    description:
        "Every EKS cluster that sends control plane logs has its log group /aws/eks/<cluster>/cluster declared in the stack, so that it gets retention and KMS encryption (platform-logs-group-retention, platform-logs-group-encryption); otherwise EKS creates it unencrypted, kept forever.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const clusters = ofTypes(args.resources, [EKS.cluster]);
        if (clusters.length === 0) {
            return;
        }
        const groupNames = new Set<string>();
        for (const r of ofTypes(args.resources, [LOG_GROUP])) {
            const name = peek(r.props, "name");
            if (typeof name === "string") {
                groupNames.add(name);
            }
        }
        for (const cluster of clusters) {
            const name = peek(cluster.props, "name");
            const logTypes = peek(cluster.props, "enabledClusterLogTypes");
            if (typeof name !== "string" || !Array.isArray(logTypes) || asArray(logTypes).length === 0) {
                continue;
            }
            const expected = `/aws/eks/${name}/cluster`;
            if (!groupNames.has(expected)) {
                reportViolation(
                    `${describe(cluster)} sends control plane logs to ${expected}, which the stack does not declare, so EKS creates it unencrypted and keeps it forever. Add an aws.cloudwatch.LogGroup named ${expected} with retentionInDays and kmsKeyId, and make the cluster depend on it.`,
                    cluster.urn,
                );
            }
        }
    },
};

/** */
export const declareEksLogGroup: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-08", "CW-01", "CW-02"],
};
