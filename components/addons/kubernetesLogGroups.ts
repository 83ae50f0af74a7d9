/**
 * The CloudWatch Logs groups of the cluster's logs, one per class (fluentBitConfig.ts): made by the program,
 * encrypted with the stack's logs key and kept for the configured retention, so that no group is ever made by
 * Fluent Bit (without a key and kept forever).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_CLASSES, logGroupName, type LogClass } from "./fluentBitConfig";

/** Arguments of {@link KubernetesLogGroups}. */
export interface KubernetesLogGroupsArgs {
    /** The stack's name prefix: groups are `/<namePrefix>/kubernetes/<class>`. */
    namePrefix: string;
    /** Retention in days (platform:logging.retentionDays). */
    retentionDays: number;
    /** The stack's logs key. */
    kmsKeyArn: pulumi.Input<string>;
}

/** The three Kubernetes log groups. */
export class KubernetesLogGroups extends pulumi.ComponentResource {
    /** The groups, in the order of {@link LOG_CLASSES}. */
    public readonly groups: aws.cloudwatch.LogGroup[];
    /** The group of each class. */
    public readonly byClass: Readonly<Record<LogClass, aws.cloudwatch.LogGroup>>;

    constructor(name: string, args: KubernetesLogGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:KubernetesLogGroups", name, {}, opts);
        const byClass = {} as Record<LogClass, aws.cloudwatch.LogGroup>;
        for (const logClass of LOG_CLASSES) {
            byClass[logClass] = new aws.cloudwatch.LogGroup(
                `${name}-${logClass}`,
                { name: logGroupName(args.namePrefix, logClass), retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
                { parent: this },
            );
        }
        this.byClass = byClass;
        this.groups = LOG_CLASSES.map((c) => byClass[c]);
        this.registerOutputs({ names: this.groups.map((g) => g.name) });
    }
}
