import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf, ofTypes, ofTypesWhere } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { ECR_REPOSITORY, EKS, ELASTICACHE, KMS_ALIAS, KMS_KEY, LOG_GROUP, RDS, RDS_BACKUP_REPLICATION, S3, S3_BUCKET, SECRET, SNS, SQS } from "../../lib/types";
import { asArray, describe, isAwsManagedKey, isSetRef, peek, records, show, UNKNOWN } from "../../lib/values";

const STORAGE_CLASS = /^kubernetes:storage\.k8s\.io\/[^:]+:StorageClass$/;
/** The provisioners that make EBS volumes (the CSI driver and the removed in-tree one). */
const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/**
 * A pattern of allowedKeyArnPatterns: a KMS key or alias ARN whose partition, region and key id (or alias
 * name) may hold IAM's ArnLike wildcards (`*` any run of characters within one ARN part, `?` one character),
 * but whose account is spelled out: a pattern that admits every account would switch the rule off.
 */
const KEY_ARN_PATTERN = /^arn:[a-z*?-]+:kms:[a-z0-9*?-]+:\d{12}:(key|alias)\/[^:\s]+$/;

interface Settings {
    allowedKeyArnPatterns?: unknown;
}

/** The allowed-key patterns of the policy config as matchers, and the entries that are not valid patterns. */
export function allowedKeyMatchers(setting: unknown): { matchers: RegExp[]; malformed: unknown[] } {
    const matchers: RegExp[] = [];
    const malformed: unknown[] = [];
    for (const pattern of asArray(setting)) {
        if (typeof pattern !== "string" || !KEY_ARN_PATTERN.test(pattern)) {
            malformed.push(pattern);
            continue;
        }
        // ArnLike: a wildcard never crosses the ":" between ARN parts.
        const body = pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^:]*")
            .replace(/\?/g, "[^:]");
        matchers.push(new RegExp(`^${body}$`));
    }
    return { matchers, malformed };
}

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
        case RDS_BACKUP_REPLICATION:
            return top("kmsKeyId");
        case SNS.topic:
        case SQS.queue:
            return top("kmsMasterKeyId");
        case ECR_REPOSITORY:
            return [{ input: "encryptionConfigurations", values: safeRecords(peek(props, "encryptionConfigurations")).map((c) => peek(c, "kmsKey")) }];
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

/** Why a resource that must name a key names none (an unset key means unencrypted data, or the account's default key), else undefined. */
function missingKey(r: PolicyResource): string | undefined {
    if (r.type === RDS_BACKUP_REPLICATION) {
        return isSetRef(peek(r.props, "kmsKeyId"))
            ? undefined
            : "replicates the database's backups without kmsKeyId, so RDS has no key to encrypt the copies with in the other region. Set kmsKeyId to the stack's backups key of that region";
    }
    if (!STORAGE_CLASS.test(r.type) || !EBS_PROVISIONERS.includes(peek(r.props, "provisioner") as string)) {
        return undefined;
    }
    const encrypted = peek(r.props, "parameters", "encrypted");
    if (encrypted !== UNKNOWN && String(encrypted) !== "true") {
        return 'provisions unencrypted EBS volumes (parameters.encrypted is not "true"). Set parameters.encrypted: "true" and parameters.kmsKeyId to the stack\'s cluster key ARN';
    }
    return isSetRef(peek(r.props, "parameters", "kmsKeyId"))
        ? undefined
        : "encrypts its EBS volumes with the account's default key (no parameters.kmsKeyId), which the AWS-managed aws/ebs is unless someone changed it. Set parameters.kmsKeyId to the stack's cluster key ARN";
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
        "The KMS keys that EKS, node volumes, StorageClasses, RDS (and its replicated backups), ElastiCache, S3, SNS topics, SQS queues, ECR repositories, log groups and secrets use are customer-managed keys of this stack (or aliases of them), whose rotation and key policies the pack checks; never an AWS-managed alias/aws/* key (for StorageClasses, which no other rule covers), never none where the data would then be unencrypted or on the account's default key (EBS StorageClasses set encrypted and a kmsKeyId; replicated RDS backups a kmsKeyId), and never a key from elsewhere, unless its ARN matches allowedKeyArnPatterns (central or cross-account keys the organisation reviews; default none).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedKeyArnPatterns: {
                type: "array",
                items: { type: "string", pattern: KEY_ARN_PATTERN.source },
                default: [],
                description:
                    "KMS keys from elsewhere (an organisation's central or cross-account keys) that resources may use, as key or alias ARN patterns with IAM ArnLike wildcards (* within one ARN part, ?) and a literal account id, for example arn:aws:kms:eu-west-1:111122223333:key/*. Reference such keys by ARN: a bare key id or alias name cannot be matched.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { matchers, malformed } = allowedKeyMatchers(args.getConfig<Settings>().allowedKeyArnPatterns);
        for (const pattern of malformed) {
            reportViolation(
                `The policy config's allowedKeyArnPatterns has ${show(pattern)}, which is not a KMS key ARN pattern and is ignored. Write arn:<partition>:kms:<region>:<12-digit account>:key/<id> (or alias/<name>), with * or ? only inside the partition, region and id.`,
            );
        }
        const keys = ResourceIndex.of(args.resources, [KMS_KEY, KMS_ALIAS]);
        const referencing = [
            ...ofTypes(args.resources, [
                LOG_GROUP,
                SECRET,
                ELASTICACHE.replicationGroup,
                RDS.instance,
                EKS.cluster,
                EKS.launchTemplate,
                RDS_BACKUP_REPLICATION,
                SNS.topic,
                SQS.queue,
                ECR_REPOSITORY,
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
                    } else if (deps.length === 0 && keys.lookup(value).length === 0 && !matchers.some((m) => m.test(value))) {
                        reportViolation(
                            `${describe(r)} uses the KMS key ${value}, which is not a key of this stack. Use one of the stack's customer-managed keys (rotated, with a reviewed key policy), or list the key's ARN in allowedKeyArnPatterns of the stack's policy config if it is a reviewed central key.`,
                            r.urn,
                        );
                    }
                }
            }
            const missing = missingKey(r);
            if (missing !== undefined) {
                reportViolation(`${describe(r)} ${missing}.`, r.urn);
            }
        }
    },
};

/** */
export const requireCustomerManagedKeys: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "X-07",
        "S3-02",
        "RDS-02",
        "EC-04",
        "SM-01",
        "CW-02",
        "EKS-03",
        "EKS-10",
        "CKV_AWS_3",
        "CKV_AWS_189",
        "CKV_AWS_245",
        "CKV2_AWS_2",
        "AVD-AWS-0026",
        "AVD-AWS-0027",
    ],
    // Per stack: the central keys a stack may use. Both stacks use only their own keys; add a stack's
    // patterns here (npm run generate writes them to policies/config/<stack>.json).
    config: { prod: { allowedKeyArnPatterns: [] }, dev: { allowedKeyArnPatterns: [] } },
};
