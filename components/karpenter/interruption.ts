/**
 * Karpenter's interruption handling: an SQS queue, encrypted with the stack's cluster key, that EventBridge
 * fills with the events that announce the loss of an instance (spot interruption warnings, rebalance
 * recommendations, instance state changes, AWS Health scheduled changes, capacity reservation interruptions),
 * so the controller cordons and drains a node before EC2 takes it. The queue, its policy and the five rules
 * follow the upstream template (../shared/charts/karpenter/interruption-events.json), with the rules
 * named after the stack and the queue policy's EventBridge grant limited to those rules.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { servicePrincipal } from "../partitions";
import { policyDocument, type AccountContext, type PolicyDocument } from "../policyDocument";

/** The EventBridge rules, by the short name each gets, with the event pattern upstream gives it. */
export const INTERRUPTION_EVENTS = {
    "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
    "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
    rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
    "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    "capacity-reservation-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] },
} as const;
/** One of the rules of {@link INTERRUPTION_EVENTS}. */
export type InterruptionEvent = keyof typeof INTERRUPTION_EVENTS;

/** Upstream's retention: an interruption message older than five minutes is of no use (a spot warning gives two). */
export const INTERRUPTION_MESSAGE_RETENTION_SECONDS = 300;

/** The prefix of the rules' names; the cluster key's policy lets EventBridge use the key for rules of this prefix only. */
export function interruptionRulePrefix(namePrefix: string): string {
    return `${namePrefix}-karpenter-`;
}

/**
 * The queue policy: EventBridge may send, for this stack's rules only (`aws:SourceArn`); SQS itself as
 * upstream grants it; nothing over plain HTTP.
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[], partition: string): PolicyDocument {
    return policyDocument(
        {
            Sid: "AllowEventBridgeRulesOfThisStack",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("events", partition) },
            Action: "sqs:SendMessage",
            Resource: queueArn,
            Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
        },
        {
            Sid: "AllowSqs",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("sqs", partition) },
            Action: "sqs:SendMessage",
            Resource: queueArn,
        },
        { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": false } } },
    );
}

/** Arguments of {@link InterruptionQueue}. */
export interface InterruptionQueueArgs {
    /** Prefix of the queue's and the rules' names (the stack's name prefix). */
    namePrefix: string;
    /** The cluster key, which encrypts the queue (its policy lets EventBridge use it for these rules). */
    keyArn: pulumi.Input<string>;
    /** Account, region and partition. */
    account: pulumi.Input<AccountContext>;
}

/** The interruption queue with its policy and the EventBridge rules that fill it. */
export class InterruptionQueue extends pulumi.ComponentResource {
    /** The queue; `settings.interruptionQueue` names it. */
    public readonly queue: aws.sqs.Queue;

    constructor(name: string, args: InterruptionQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:karpenter:InterruptionQueue", name, {}, opts);
        const child = { parent: this };
        this.queue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: `${args.namePrefix}-karpenter-interruption`,
                messageRetentionSeconds: INTERRUPTION_MESSAGE_RETENTION_SECONDS,
                kmsMasterKeyId: args.keyArn,
                kmsDataKeyReusePeriodSeconds: 300,
                tags: { Name: `${args.namePrefix}-karpenter-interruption` },
            },
            child,
        );
        const rules = (Object.entries(INTERRUPTION_EVENTS) as [InterruptionEvent, (typeof INTERRUPTION_EVENTS)[InterruptionEvent]][]).map(
            ([event, pattern]) => {
                const rule = new aws.cloudwatch.EventRule(
                    `${name}-${event}`,
                    {
                        name: `${interruptionRulePrefix(args.namePrefix)}${event}`,
                        description: `Karpenter interruption handling of ${args.namePrefix}: ${pattern["detail-type"][0]}`,
                        eventPattern: JSON.stringify(pattern),
                        tags: { Name: `${interruptionRulePrefix(args.namePrefix)}${event}` },
                    },
                    child,
                );
                new aws.cloudwatch.EventTarget(
                    `${name}-${event}`,
                    { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: this.queue.arn },
                    child,
                );
                return rule;
            },
        );
        new aws.sqs.QueuePolicy(
            `${name}-policy`,
            {
                queueUrl: this.queue.url,
                policy: pulumi
                    .all([this.queue.arn, pulumi.all(rules.map((r) => r.arn)), args.account])
                    .apply(([queueArn, ruleArns, ctx]) => JSON.stringify(interruptionQueuePolicy(queueArn, ruleArns, ctx.partition))),
            },
            child,
        );
        this.registerOutputs({ queueName: this.queue.name });
    }
}
