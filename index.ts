/**
 * The platform program: reads and validates the stack config, then creates the platform's components
 * and exports what operators and other stacks need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { PlatformKeys } from "./components/keys";
import { Network } from "./components/network";
import type { AccountContext } from "./components/policyDocument";

// Validation happens here, before the first resource: invalid config stops the run with every problem.
const config = loadConfig();

// Every AWS resource uses this provider, so every one carries the stack's tags.
const awsProvider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: { tags: config.tags },
});
const inAccount = { providers: { aws: awsProvider } };

const account: pulumi.Output<AccountContext> = aws
    .getCallerIdentityOutput({}, { provider: awsProvider })
    .apply((identity) => ({ accountId: identity.accountId, region: config.region, partition: config.partition }));

const keys = new PlatformKeys(
    "keys",
    { account, namePrefix: config.namePrefix, deletionWindowDays: config.kmsDeletionWindowDays, protect: config.protect },
    inAccount,
);

const network = new Network(
    "network",
    {
        ...config.network,
        region: config.region,
        namePrefix: config.namePrefix,
        logRetentionDays: config.logRetentionDays,
        logsKeyArn: keys.keys.logs.arn,
        account,
    },
    inAccount,
);

/** The VPC id. */
export const vpcId = network.vpc.id;
/** Public subnet ids, one per AZ. */
export const publicSubnetIds = network.publicSubnets.map((s) => s.id);
/** Private subnet ids, one per AZ. */
export const privateSubnetIds = network.privateSubnets.map((s) => s.id);
/** Database subnet ids, one per AZ. */
export const databaseSubnetIds = network.databaseSubnets.map((s) => s.id);
/** ARN of each customer-managed key, by purpose. */
export const kmsKeyArns = Object.fromEntries(Object.entries(keys.keys).map(([purpose, key]) => [purpose, key.arn]));
/** The flow log group. */
export const flowLogGroupName = network.flowLogGroup.name;
/** Region and environment of the stack. */
export const stackInfo = { region: config.region, environment: config.environment, availabilityZones: config.network.availabilityZones };
