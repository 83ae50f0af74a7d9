import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf, ofTypes, ofTypesWhere } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { EKS, ELASTICACHE, KMS_ALIAS, KMS_KEY, LOG_GROUP, RDS, S3, S3_BUCKET, SECRET } from "../../lib/types";
import { describe, isAwsManagedKey, peek, records, UNKNOWN } from "../../lib/values";

const STORAGE_CLASS = /^kubernetes:storage\.k8s\.io\/[^:]+:StorageClass$/;

/** A key reference: the input that holds it (for its property dependencies) and the values found under it. */
interface KeyReference {
    readonly input: string;
    readonly values: readonly unknown[];
}

/** Where each type keeps its KMS key references. */
function referencesOf(r: PolicyResource): KeyReference[] {
    const props = r.props;
    const top = (...keys: string[]) => keys.map((input) => ({ input, values: [peek(props, input)] }));
    switch (r.type) {
        case LOG_GROUP:
        case SECRET:
        case ELASTICACHE.replicationGroup:
            return top("kmsKeyId");
        case RDS.instance:
            return top("kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId");
        case EKS.cluster:
            return [{ input: "encryptionConfig", values: [peek(props, "encryptionConfig", "provider", "keyArn")] }];
        case EKS.launchTemplate:
            return [{ input: "blockDeviceMappings", values: safeRecords(peek(props, "blockDeviceMappings")).map((m) => peek(m, "ebs", "kmsKeyId")) }];
        default:
            if ((S3.encryption as readonly string[]).includes(r.type)) {
                return [
                    {
                        input: "rules",
                        values: safeRecords(peek(props, "rules")).map((rule) => peek(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")),
                    },
                ];
            }
            if ((S3_BUCKET as readonly string[]).includes(r.type)) {
                return [
                    {
                        input: "serverSideEncryptionConfiguration",
                        values: [peek(props, "serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "kmsMasterKeyId")],
                    },
                ];
            }
            if (STORAGE_CLASS.test(r.type)) {
                return [{ input: "parameters", values: [peek(props, "parameters", "kmsKeyId")] }];
            }
            return [];
    }
}

/** Records of a list that may be unknown (none then); elements that are unknown are skipped by `peek` later. */
function safeRecords(value: unknown): Record<string, unknown>[] {
    if (value === UNKNOWN) {
        return [];
    }
    try {
        return records(value);
    } catch {
        return [];
    }
}

const policy: StackValidationPolicy = {
    name: "platform-kms-key-customer-managed",
    description:
        "The KMS keys that EKS, node volumes, StorageClasses, RDS, ElastiCache, S3, log groups and secrets use are customer-managed keys of this stack (or aliases of them), whose rotation and key policies the pack checks; never an AWS-managed alias/aws/* key (for StorageClasses, which no other rule covers) and never a key from elsewhere.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const keys = ResourceIndex.of(args.resources, [KMS_KEY, KMS_ALIAS]);
        const referencing = [
            ...ofTypes(args.resources, [
                LOG_GROUP,
                SECRET,
                ELASTICACHE.replicationGroup,
                RDS.instance,
                EKS.cluster,
                EKS.launchTemplate,
                ...S3.encryption,
                ...S3_BUCKET,
            ]),
            ...ofTypesWhere(args.resources, (type) => STORAGE_CLASS.test(type)),
        ];
        for (const r of referencing) {
            for (const { input, values } of referencesOf(r)) {
                const deps = dependenciesOf(r, input);
                if (deps.some((d) => keys.has(d))) {
                    continue;
                }
                for (const value of values) {
                    if (typeof value !== "string" || value === "") {
                        continue;
                    }
                    if (isAwsManagedKey(value)) {
                        if (STORAGE_CLASS.test(r.type)) {
                            reportViolation(
                                `${describe(r)} encrypts volumes with the AWS-managed key ${value}. Set parameters.kmsKeyId to the stack's cluster key ARN.`,
                                r.urn,
                            );
                        }
                    } else if (deps.length === 0 && keys.lookup(value).length === 0) {
                        reportViolation(
                            `${describe(r)} uses the KMS key ${value}, which is not a key of this stack. Use one of the stack's customer-managed keys (rotated, with a reviewed key policy).`,
                            r.urn,
                        );
                    }
                }
            }
        }
    },
};

/** */
export const requireCustomerManagedKeys: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-07", "S3-02", "RDS-02", "EC-04", "SM-01", "CW-02", "EKS-03", "EKS-10"],
};
