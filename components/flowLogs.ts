/**
 * VPC flow logs to a KMS-encrypted CloudWatch log group with retention, delivered by a role that can
 * write only to that log group and can be assumed only by the flow-logs service for this account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { servicePrincipal } from "./partitions";
import { policyDocument, serviceTrustPolicy, type AccountContext } from "./policyDocument";

/** Arguments of {@link VpcFlowLogs}. */
export interface VpcFlowLogsArgs {
    /** The VPC to record. */
    vpcId: pulumi.Input<string>;
    /** Log group name, for example `/aws/vpc/platform-dev/flow-logs`. */
    logGroupName: string;
    /** Days the records are kept. */
    retentionDays: number;
    /** ARN of the KMS key that encrypts the log group (its policy must grant CloudWatch Logs). */
    kmsKeyArn: pulumi.Input<string>;
    /** Which traffic to record. */
    trafficType: "ALL" | "ACCEPT" | "REJECT";
    /** Account, region and partition, for the trust policy's confused-deputy conditions. */
    account: pulumi.Input<AccountContext>;
}

/**
 * The permissions the flow-logs service needs: writes on one log group only, and the listing of log
 * groups, which has no resource-level permissions (Service Authorization Reference: DescribeLogGroups
 * takes no resource type), so it only works with `Resource: "*"`; it reveals names, not log data.
 */
export function flowLogDeliveryPolicy(logGroupArn: string) {
    return policyDocument(
        {
            Sid: "WriteFlowLogRecords",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroupArn, `${logGroupArn}:*`],
        },
        { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    );
}

/** Flow logs of one VPC. */
export class VpcFlowLogs extends pulumi.ComponentResource {
    /** The log group the records go to. */
    public readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: VpcFlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:VpcFlowLogs", name, {}, opts);
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            { name: args.logGroupName, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
            { parent: this },
        );
        const account = pulumi.output(args.account);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Delivers the flow logs of ${args.logGroupName}`,
                assumeRolePolicy: account.apply((ctx) =>
                    JSON.stringify(
                        serviceTrustPolicy(
                            servicePrincipal("vpc-flow-logs", ctx.partition),
                            ctx,
                            `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/*`,
                        ),
                    ),
                ),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-delivery`,
            { role: role.id, policy: this.logGroup.arn.apply((arn) => JSON.stringify(flowLogDeliveryPolicy(arn))) },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: args.vpcId,
                trafficType: args.trafficType,
                logDestinationType: "cloud-watch-logs",
                logDestination: this.logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: { Name: `${args.logGroupName}` },
            },
            { parent: this },
        );
        this.registerOutputs({ logGroupName: this.logGroup.name });
    }
}
