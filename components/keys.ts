/**
 * Customer-managed KMS keys, one per purpose, with rotation, aliases and key policies that grant the
 * account (so IAM policies can delegate use) and exactly the AWS services that act as themselves.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { interruptionRulePrefix } from "./karpenter/interruption";
import { servicePrincipal } from "./partitions";
import { accountRootArn, policyDocument, type AccountContext, type PolicyDocument, type PolicyStatement } from "./policyDocument";

/** What a key protects. */
export const KEY_PURPOSES = ["logs", "cluster", "data", "backups"] as const;
/** One of {@link KEY_PURPOSES}. */
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const descriptions: Record<KeyPurpose, string> = {
    logs: "CloudWatch log groups (VPC flow logs, EKS control plane, WAF, Redis logs)",
    cluster: "EKS secrets envelope encryption and EBS volumes of nodes and pods",
    data: "RDS, ElastiCache, Performance Insights, Secrets Manager and alarm topics",
    backups: "S3 backup bucket (Velero backups, database exports)",
};

/**
 * The EC2 Auto Scaling service-linked role, which launches the EKS nodes and so creates their encrypted
 * root volumes as itself. It must exist before a key policy names it: the program creates it, or the account
 * already has it (`platform:eks.autoscalingServiceLinkedRole`).
 */
export function autoScalingServiceRoleArn(ctx: AccountContext): string {
    return `arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * Statements for services that use a key as their own principal. Services that act on a caller's behalf
 * (RDS, ElastiCache, S3, EKS, EBS) need no statement here: they use the caller's IAM permissions through
 * `kms:ViaService`, which the account statement delegates to IAM. Service-linked roles cannot be given
 * IAM policies, so the one that launches nodes (Auto Scaling) is granted in the key policy itself.
 */
function serviceStatements(purpose: KeyPurpose, ctx: AccountContext, namePrefix?: string): PolicyStatement[] {
    switch (purpose) {
        case "logs":
            return [
                {
                    Sid: "AllowCloudWatchLogsForThisAccountsLogGroups",
                    Effect: "Allow",
                    Principal: { Service: servicePrincipal("logs", ctx.partition, ctx.region) },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: {
                        ArnLike: {
                            "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*`,
                        },
                    },
                },
            ];
        case "cluster":
            return [
                {
                    Sid: "AllowAutoScalingToUseTheKeyForNodeVolumes",
                    Effect: "Allow",
                    Principal: { AWS: autoScalingServiceRoleArn(ctx) },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                },
                {
                    Sid: "AllowAutoScalingToGrantTheKeyToEc2ForNodeVolumes",
                    Effect: "Allow",
                    Principal: { AWS: autoScalingServiceRoleArn(ctx) },
                    Action: "kms:CreateGrant",
                    Resource: "*",
                    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                },
                // EventBridge delivers to the Karpenter interruption queue, which this key encrypts, as itself
                // (EventBridge User Guide, "Amazon SQS permissions": the key policy must allow it), and only for
                // this stack's interruption rules.
                ...(namePrefix === undefined
                    ? []
                    : [
                          {
                              Sid: "AllowEventBridgeToSendToTheInterruptionQueue",
                              Effect: "Allow" as const,
                              Principal: { Service: servicePrincipal("events", ctx.partition) },
                              Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                              Resource: "*",
                              Condition: {
                                  StringEquals: { "aws:SourceAccount": ctx.accountId },
                                  ArnLike: {
                                      "aws:SourceArn": `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:rule/${interruptionRulePrefix(namePrefix)}*`,
                                  },
                              },
                          },
                      ]),
            ];
        case "data":
            return [
                {
                    // CloudWatch alarms publish to the data tier's KMS-encrypted SNS topic as the service itself.
                    Sid: "AllowCloudWatchAlarmsToPublishToEncryptedTopics",
                    Effect: "Allow",
                    Principal: { Service: servicePrincipal("cloudwatch", ctx.partition) },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                },
                {
                    // EventBridge rules (the database's backup-replication events) publish to the same topics.
                    Sid: "AllowEventBridgeRulesToPublishToEncryptedTopics",
                    Effect: "Allow",
                    Principal: { Service: servicePrincipal("events", ctx.partition) },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                },
            ];
        default:
            return [];
    }
}

/**
 * The key policy of one purpose: account administration plus the service grants of that purpose. With the
 * stack's `namePrefix`, the cluster key also lets EventBridge encrypt the stack's interruption messages.
 */
export function keyPolicy(purpose: KeyPurpose, ctx: AccountContext, namePrefix?: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "EnableIamPoliciesOfThisAccount",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(ctx) },
            Action: "kms:*",
            Resource: "*",
        },
        ...serviceStatements(purpose, ctx, namePrefix),
    );
}

/** One customer-managed key of a purpose: what it protects and where. */
export interface PurposeKeyArgs {
    /** What the key protects; its policy is that purpose's {@link keyPolicy}. */
    readonly purpose: KeyPurpose;
    /** The key's description. */
    readonly description: string;
    /** Its alias, `alias/<name>`. */
    readonly aliasName: string;
    /** Its Name tag. */
    readonly nameTag: string;
    /** Account context of the key's region. */
    readonly account: pulumi.Input<AccountContext>;
    /** Days before a deleted key is destroyed. */
    readonly deletionWindowDays: number;
    /** Pulumi `protect` on the key. */
    readonly protect: boolean;
    /** What the key's policy principals need to exist first. */
    readonly after?: pulumi.Input<pulumi.Resource>[];
    /** The stack's name prefix, for statements scoped to the stack's resources (see {@link keyPolicy}). */
    readonly namePrefix?: string;
}

/**
 * A customer-managed key and its alias (`<name>-alias`), made with `opts` (parent, and the provider of its
 * region): symmetric, rotating yearly, enabled, with the purpose's key policy and never the lockout bypass.
 */
export function purposeKey(name: string, args: PurposeKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const key = new aws.kms.Key(
        name,
        {
            description: args.description,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: args.deletionWindowDays,
            isEnabled: true,
            bypassPolicyLockoutSafetyCheck: false,
            policy: pulumi.output(args.account).apply((ctx) => JSON.stringify(keyPolicy(args.purpose, ctx, args.namePrefix))),
            tags: { Name: args.nameTag, purpose: args.purpose },
        },
        { ...opts, protect: args.protect, ...(args.after === undefined ? {} : { dependsOn: args.after }) },
    );
    new aws.kms.Alias(`${name}-alias`, { name: args.aliasName, targetKeyId: key.keyId }, opts);
    return key;
}

/**
 * A backups key in the replica region (`opts.provider` is that region's), with the home keys' policy for
 * backups: the account administers it and delegates to IAM, no service statement. Used by the backup
 * bucket's replica and the database's replicated backups.
 */
export function replicaRegionBackupsKey(name: string, args: Omit<PurposeKeyArgs, "purpose" | "after">, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    return purposeKey(name, { ...args, purpose: "backups" }, opts);
}

/** Arguments of {@link PlatformKeys}. */
export interface PlatformKeysArgs {
    /** Account, region and partition the keys live in. */
    account: pulumi.Input<AccountContext>;
    /** Prefix of alias names: `alias/<namePrefix>-<purpose>`. */
    namePrefix: string;
    /** Days before a deleted key is destroyed (7 to 30). */
    deletionWindowDays: number;
    /** Mark the keys with Pulumi `protect`: deleting a key destroys everything encrypted with it. */
    protect: boolean;
    /**
     * What the cluster key's policy principals need to exist first: the Auto Scaling service-linked role when
     * the program creates it (KMS refuses a key policy naming a principal that does not exist).
     */
    clusterKeyAfter?: pulumi.Input<pulumi.Resource>[];
}

/** The stack's customer-managed keys, one per {@link KeyPurpose}. */
export class PlatformKeys extends pulumi.ComponentResource {
    /** The key of each purpose. */
    public readonly keys: Record<KeyPurpose, aws.kms.Key>;

    constructor(name: string, args: PlatformKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:PlatformKeys", name, {}, opts);
        const entries = KEY_PURPOSES.map((purpose) => {
            const key = purposeKey(
                `${name}-${purpose}`,
                {
                    purpose,
                    description: `${args.namePrefix} ${purpose}: ${descriptions[purpose]}`,
                    aliasName: `alias/${args.namePrefix}-${purpose}`,
                    nameTag: `${args.namePrefix}-${purpose}`,
                    account: args.account,
                    deletionWindowDays: args.deletionWindowDays,
                    protect: args.protect,
                    after: purpose === "cluster" ? args.clusterKeyAfter : undefined,
                    namePrefix: args.namePrefix,
                },
                { parent: this },
            );
            return [purpose, key] as const;
        });
        this.keys = Object.fromEntries(entries) as Record<KeyPurpose, aws.kms.Key>;
        this.registerOutputs({ keyArns: Object.fromEntries(entries.map(([p, k]) => [p, k.arn])) });
    }
}
