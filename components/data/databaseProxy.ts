/**
 * An RDS Proxy in front of the PostgreSQL instance: it pools connections, so that many pods share a
 * bounded number of database connections. Clients must use TLS and IAM authentication; the proxy signs
 * in to the database with the RDS-managed master secret, which only its role can read.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy, type AccountContext } from "../policyDocument";
import { proxySecretPolicy } from "./bucketPolicies";
import { POSTGRES_PORT } from "./postgres";
import { tcp, type NetworkFlow } from "../flows";
import { ServiceSecurityGroup } from "./serviceSecurityGroup";
import { servicePrincipal } from "../partitions";

/** Connection-pool settings of the proxy. */
export const PROXY_POOL = {
    /** Share of the database's max_connections the proxy may open; the rest stays free for administrators and replication. */
    maxConnectionsPercent: 80,
    /** Share kept open while idle. */
    maxIdleConnectionsPercent: 40,
    /** Seconds a client waits for a pooled connection before it gets an error. */
    connectionBorrowTimeout: 120,
} as const;

/** The proxy's clients (pods, through the node group) and its own connections to the instance, both on 5432. */
export function databaseProxyFlows(): NetworkFlow[] {
    return [
        tcp(
            "pods-to-database-proxy",
            "DatabaseProxy",
            { group: "node" },
            { group: "proxy" },
            POSTGRES_PORT,
            "pods that connect through the proxy (stack output databaseProxyHost)",
        ),
        tcp(
            "database-proxy-to-postgres",
            "DatabaseProxy",
            { group: "proxy" },
            { group: "database" },
            POSTGRES_PORT,
            "the proxy's pooled connections to the instance",
        ),
    ];
}

/** Arguments of {@link DatabaseProxy}. */
export interface DatabaseProxyArgs {
    /** Proxy name (also its log group's name). */
    proxyName: string;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Database subnets, one per AZ. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to connect to the proxy on 5432. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** The instance behind the proxy. */
    instance: aws.rds.Instance;
    /** The instance's security group; the proxy adds its one ingress rule to it. */
    instanceSecurityGroup: aws.ec2.SecurityGroup;
    /** The RDS-managed master secret the proxy signs in with. */
    masterSecretArn: pulumi.Input<string>;
    /** The `data` KMS key the secret is encrypted with. */
    dataKeyArn: pulumi.Input<string>;
    /** The `logs` KMS key of the proxy's log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the proxy's log group, days. */
    logRetentionDays: number;
    /** Account context of the stack. */
    account: pulumi.Input<AccountContext>;
}

/** The proxy, its role, security group and log group. */
export class DatabaseProxy extends pulumi.ComponentResource {
    /** The proxy. */
    public readonly proxy: aws.rds.Proxy;

    constructor(name: string, args: DatabaseProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DatabaseProxy", name, {}, opts);
        const child = { parent: this };
        const account = pulumi.output(args.account);

        const securityGroup = new ServiceSecurityGroup(
            `${name}-security-group`,
            {
                vpcId: args.vpcId,
                groupName: args.proxyName,
                service: `RDS Proxy ${args.proxyName}`,
                port: POSTGRES_PORT,
                clientSecurityGroupIds: args.clientSecurityGroupIds,
                egressSecurityGroupIds: [args.instanceSecurityGroup.id],
            },
            child,
        ).securityGroup;
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-to-instance`,
            {
                securityGroupId: args.instanceSecurityGroup.id,
                referencedSecurityGroupId: securityGroup.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                description: `Connections pooled by RDS Proxy ${args.proxyName}`,
                tags: { Name: `${args.proxyName}-to-instance` },
            },
            child,
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `RDS Proxy ${args.proxyName}: reads the master secret`,
                assumeRolePolicy: account.apply((ctx) => JSON.stringify(serviceTrustPolicy(servicePrincipal("rds", ctx.partition), ctx))),
            },
            child,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.masterSecretArn, args.dataKeyArn, account])
                    .apply(([secretArn, keyArn, ctx]) => JSON.stringify(proxySecretPolicy(secretArn, keyArn, ctx.region))),
            },
            child,
        );
        // RDS Proxy creates this group on first use without retention or KMS; declared first, it gets both.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/rds/proxy/${args.proxyName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );

        this.proxy = new aws.rds.Proxy(
            `${name}-proxy`,
            {
                name: args.proxyName,
                engineFamily: "POSTGRESQL",
                roleArn: role.arn,
                vpcSubnetIds: args.subnetIds,
                vpcSecurityGroupIds: [securityGroup.id],
                requireTls: true,
                debugLogging: false,
                idleClientTimeout: 1800,
                auths: [
                    {
                        authScheme: "SECRETS",
                        secretArn: args.masterSecretArn,
                        // Pods sign in with short-lived IAM tokens (rds-db:connect on the proxy): no password in any pod.
                        iamAuth: "REQUIRED",
                        clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                        description: "RDS-managed master secret",
                    },
                ],
                tags: { Name: args.proxyName },
            },
            { parent: this, dependsOn: [rolePolicy, logGroup] },
        );
        const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
            `${name}-target-group`,
            { dbProxyName: this.proxy.name, connectionPoolConfig: { ...PROXY_POOL } },
            child,
        );
        new aws.rds.ProxyTarget(
            `${name}-target`,
            { dbProxyName: this.proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: args.instance.identifier },
            child,
        );
        this.registerOutputs({ endpoint: this.proxy.endpoint, arn: this.proxy.arn });
    }
}
