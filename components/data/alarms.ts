/**
 * The data tier's alarms: a KMS-encrypted SNS topic that only CloudWatch alarms and EventBridge rules of
 * this account may publish to, an optional email or HTTPS subscription, and CloudWatch alarms on the database when the
 * stack has one (CPU, free storage, connections, replica lag) and on every cache node (memory, engine
 * CPU, evictions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmsConfig } from "../../config";
import { accountRootArn, policyDocument, type AccountContext, type PolicyDocument } from "../policyDocument";
import { estimatedMaxConnections } from "./postgresSettings";
import { servicePrincipal } from "../partitions";

/** Seconds per datapoint of every alarm. */
export const ALARM_PERIOD_SECONDS = 300;

/** One alarm, as plain data. */
export interface AlarmSpec {
    /** Suffix of the alarm's name and of its resource name. */
    readonly name: string;
    /** What the alarm means and what to do. */
    readonly description: string;
    /** CloudWatch namespace. */
    readonly namespace: "AWS/RDS" | "AWS/ElastiCache";
    /** Metric name. */
    readonly metricName: string;
    /** Metric dimensions. */
    readonly dimensions: Readonly<Record<string, string>>;
    /** Statistic over each period. */
    readonly statistic: "Average" | "Minimum" | "Maximum" | "Sum";
    /** Comparison with the threshold. */
    readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    /** Threshold, in the metric's unit. */
    readonly threshold: number;
    /** Consecutive periods that must breach. */
    readonly evaluationPeriods: number;
    /** How periods without data count. */
    readonly treatMissingData: "missing" | "notBreaching";
}

/** What the database alarms watch. */
export interface DatabaseAlarmTargets {
    /** Identifier of the primary instance. */
    readonly databaseIdentifier: string;
    /** Its instance class (for the connection limit). */
    readonly databaseInstanceClass: string;
    /** Its allocated storage, GiB (for the free-storage percentage). */
    readonly databaseAllocatedStorageGiB: number;
    /** Identifiers of the read replicas. */
    readonly replicaIdentifiers: readonly string[];
}

/** What the cache alarms watch. */
export interface CacheAlarmTargets {
    /** Member cluster ids of the cache nodes. */
    readonly cacheClusterIds: readonly string[];
}

/** What the alarms watch: the cache always, the database in stacks that have one (platform:database.enabled). */
export type AlarmTargets = CacheAlarmTargets | (DatabaseAlarmTargets & CacheAlarmTargets);

/** Every alarm of the data tier, from the thresholds in config: the database's (when there is one), then the cache's. */
export function dataAlarmSpecs(thresholds: AlarmsConfig, targets: AlarmTargets): AlarmSpec[] {
    return [...("databaseIdentifier" in targets ? databaseAlarmSpecs(thresholds, targets) : []), ...cacheAlarmSpecs(thresholds, targets)];
}

/** The alarms of the primary instance and of each read replica. */
function databaseAlarmSpecs(thresholds: AlarmsConfig, targets: DatabaseAlarmTargets): AlarmSpec[] {
    const db = { DBInstanceIdentifier: targets.databaseIdentifier };
    const sustained = { evaluationPeriods: 3, treatMissingData: "missing" } as const;
    const maxConnections = estimatedMaxConnections(targets.databaseInstanceClass);
    const connectionLimit = Math.floor((maxConnections * thresholds.databaseConnectionsPercent) / 100);
    const storageBytes = targets.databaseAllocatedStorageGiB * 1024 ** 3;
    return [
        {
            name: "postgres-cpu",
            description: `PostgreSQL ${targets.databaseIdentifier}: CPU above ${thresholds.databaseCpuPercent}% for 15 minutes. Look for expensive queries in Performance Insights, or scale the instance class.`,
            namespace: "AWS/RDS",
            metricName: "CPUUtilization",
            dimensions: db,
            statistic: "Average",
            comparisonOperator: "GreaterThanThreshold",
            threshold: thresholds.databaseCpuPercent,
            ...sustained,
        },
        {
            name: "postgres-free-storage",
            description: `PostgreSQL ${targets.databaseIdentifier}: free storage below ${thresholds.databaseFreeStoragePercent}% of the ${targets.databaseAllocatedStorageGiB} GiB allocated. Check storage autoscaling has room below its ceiling.`,
            namespace: "AWS/RDS",
            metricName: "FreeStorageSpace",
            dimensions: db,
            statistic: "Minimum",
            comparisonOperator: "LessThanThreshold",
            threshold: Math.floor((storageBytes * thresholds.databaseFreeStoragePercent) / 100),
            evaluationPeriods: 1,
            treatMissingData: "missing",
        },
        {
            name: "postgres-connections",
            description: `PostgreSQL ${targets.databaseIdentifier}: more than ${connectionLimit} connections, ${thresholds.databaseConnectionsPercent}% of the ${maxConnections} a ${targets.databaseInstanceClass} allows. Pool connections (platform:database.proxy) or scale the instance class.`,
            namespace: "AWS/RDS",
            metricName: "DatabaseConnections",
            dimensions: db,
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: connectionLimit,
            ...sustained,
        },
        ...targets.replicaIdentifiers.map((replica): AlarmSpec => ({
            name: `postgres-${replica.slice(replica.lastIndexOf("replica-"))}-lag`,
            description: `PostgreSQL replica ${replica}: more than ${thresholds.replicaLagSeconds} s behind the primary for 15 minutes. Reads from it are stale.`,
            namespace: "AWS/RDS",
            metricName: "ReplicaLag",
            dimensions: { DBInstanceIdentifier: replica },
            statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: thresholds.replicaLagSeconds,
            ...sustained,
        })),
    ];
}

/** The alarms of each cache node. */
function cacheAlarmSpecs(thresholds: AlarmsConfig, targets: CacheAlarmTargets): AlarmSpec[] {
    const sustained = { evaluationPeriods: 3, treatMissingData: "missing" } as const;
    const specs: AlarmSpec[] = [];
    for (const node of targets.cacheClusterIds) {
        const dimensions = { CacheClusterId: node };
        const suffix = node.slice(node.lastIndexOf("-") + 1);
        specs.push(
            {
                name: `redis-${suffix}-memory`,
                description: `Redis node ${node}: memory above ${thresholds.cacheMemoryPercent}% of maxmemory for 15 minutes. Keys are evicted or writes fail next.`,
                namespace: "AWS/ElastiCache",
                metricName: "DatabaseMemoryUsagePercentage",
                dimensions,
                statistic: "Average",
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.cacheMemoryPercent,
                ...sustained,
            },
            {
                name: `redis-${suffix}-engine-cpu`,
                description: `Redis node ${node}: engine thread above ${thresholds.cacheCpuPercent}% CPU for 15 minutes. Look for slow commands in the slow log.`,
                namespace: "AWS/ElastiCache",
                metricName: "EngineCPUUtilization",
                dimensions,
                statistic: "Average",
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.cacheCpuPercent,
                ...sustained,
            },
            {
                name: `redis-${suffix}-evictions`,
                description: `Redis node ${node}: more than ${thresholds.cacheEvictions} keys evicted in 5 minutes. The cache is too small for its working set.`,
                namespace: "AWS/ElastiCache",
                metricName: "Evictions",
                dimensions,
                statistic: "Sum",
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.cacheEvictions,
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
            },
        );
    }
    return specs;
}

/** The topic's policy: the account administers it, this account's CloudWatch alarms and EventBridge rules publish, nothing without TLS. */
export function alarmTopicPolicy(topicArn: string, ctx: AccountContext): PolicyDocument {
    return policyDocument(
        {
            Sid: "AccountAdministersTheTopic",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(ctx) },
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
            Resource: topicArn,
        },
        {
            Sid: "CloudWatchAlarmsOfThisAccountPublish",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("cloudwatch", ctx.partition) },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*` },
            },
        },
        {
            // The EventBridge rules of the data tier (the database's backup-replication events) page here too.
            Sid: "EventBridgeRulesOfThisAccountPublish",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("events", ctx.partition) },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": ctx.accountId },
                ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:rule/*` },
            },
        },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": false } },
        },
    );
}

/** Arguments of {@link DataAlarms}. */
export interface DataAlarmsArgs extends AlarmsConfig {
    /** Prefix of the topic's and the alarms' names. */
    namePrefix: string;
    /** Account context of the stack. */
    account: pulumi.Input<AccountContext>;
    /** The `data` KMS key that encrypts the topic (its policy grants CloudWatch). */
    dataKeyArn: pulumi.Input<string>;
    /** What the alarms watch. */
    targets: AlarmTargets;
    /** The watched resources: alarms are created after them. */
    watched: pulumi.Input<pulumi.Resource>[];
}

/** The alarm topic and the alarms. */
export class DataAlarms extends pulumi.ComponentResource {
    /** The topic every alarm notifies. */
    public readonly topic: aws.sns.Topic;

    constructor(name: string, args: DataAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DataAlarms", name, {}, opts);
        const child = { parent: this };
        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            { name: `${args.namePrefix}-data-alarms`, kmsMasterKeyId: args.dataKeyArn, tags: { Name: `${args.namePrefix}-data-alarms` } },
            child,
        );
        new aws.sns.TopicPolicy(
            `${name}-topic-policy`,
            { arn: this.topic.arn, policy: pulumi.all([this.topic.arn, args.account]).apply(([arn, ctx]) => JSON.stringify(alarmTopicPolicy(arn, ctx))) },
            child,
        );
        if (args.subscription !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-subscription`,
                {
                    topic: this.topic.arn,
                    protocol: args.subscription.protocol,
                    // A webhook URL often embeds its credential: keep it out of the plan and the state in clear.
                    endpoint: args.subscription.protocol === "https" ? pulumi.secret(args.subscription.endpoint) : args.subscription.endpoint,
                },
                child,
            );
        }
        for (const spec of dataAlarmSpecs(args, args.targets)) {
            new aws.cloudwatch.MetricAlarm(
                `${name}-${spec.name}`,
                {
                    name: `${args.namePrefix}-${spec.name}`,
                    alarmDescription: spec.description,
                    namespace: spec.namespace,
                    metricName: spec.metricName,
                    dimensions: { ...spec.dimensions },
                    statistic: spec.statistic,
                    comparisonOperator: spec.comparisonOperator,
                    threshold: spec.threshold,
                    period: ALARM_PERIOD_SECONDS,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    alarmActions: [this.topic.arn],
                    okActions: [this.topic.arn],
                    tags: { Name: `${args.namePrefix}-${spec.name}` },
                },
                { parent: this, dependsOn: args.watched },
            );
        }
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}
