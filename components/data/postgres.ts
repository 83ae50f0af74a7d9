/**
 * RDS for PostgreSQL: a private, encrypted instance in the database subnets, reachable on 5432 from the
 * client security groups only, with its parameter group, log groups, enhanced monitoring, backups, the
 * RDS-managed master password in Secrets Manager, and optional read replicas with the same hardening.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConfig } from "../../config";
import type { DatabaseRestoreConfig } from "../../config/restore";
import { serviceTrustPolicy, type AccountContext } from "../policyDocument";
import { POSTGRES_LOG_EXPORTS, postgresFamily, postgresLogGroupNames, postgresParameters } from "./postgresSettings";
import { tcp, type NetworkFlow } from "../flows";
import { ServiceSecurityGroup } from "./serviceSecurityGroup";
import { servicePrincipal } from "../partitions";

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** The instance's clients: pods (through the node group the data tier admits) on 5432. */
export function postgresFlows(): NetworkFlow[] {
    const why = "the data tier admits the node group: applications, the database-admin Jobs, pods given the stack's database outputs";
    return [tcp("pods-to-postgres", "Postgres", { group: "node" }, { group: "database" }, POSTGRES_PORT, why)];
}

/** Fixed settings of every instance. */
const defaults = {
    /** Enhanced monitoring granularity, seconds. */
    monitoringIntervalSeconds: 60,
    /** Performance Insights retention, days (the free tier). */
    performanceInsightsRetentionDays: 7,
} as const;

/** Arguments of {@link Postgres}. */
export interface PostgresArgs extends DatabaseConfig {
    /** Instance identifier; replicas are `<identifier>-replica-<n>`. */
    identifier: string;
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** Database subnets, one per AZ (no route out of the VPC). */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to connect on 5432 (the EKS nodes and pods). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** The `data` KMS key: storage, Performance Insights and the master-user secret. */
    dataKeyArn: pulumi.Input<string>;
    /** The `logs` KMS key of the exported log groups. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the exported logs, days. */
    logRetentionDays: number;
    /** Account context, for the monitoring role's trust policy. */
    account: pulumi.Input<AccountContext>;
    /** prod behaviour: a final snapshot on delete, automated backups kept after delete, changes wait for the maintenance window. */
    isProd: boolean;
    /** Pulumi `protect` on the instance and its replicas. */
    protect: boolean;
    /**
     * Create the instance by point-in-time restore of another instance's replicated automated backups
     * (disaster recovery) instead of empty; undefined: a new, empty database.
     */
    restore?: DatabaseRestoreConfig;
}

/**
 * What distinguishes a restored instance from a new one. A point-in-time restore takes its data, its
 * database and its master user from the backups (so no `dbName` or `username` is sent), and keeps the
 * backups' KMS key, which RestoreDBInstanceToPointInTime cannot change: `kmsKeyId` names that key so that
 * the next `pulumi up` sees no difference. RDS then manages a new master password (a modify after the
 * restore) under the stack's own data key.
 */
export function instanceOrigin(
    args: Pick<PostgresArgs, "restore" | "name" | "username" | "allocatedStorageGiB" | "dataKeyArn">,
): Partial<aws.rds.InstanceArgs> {
    if (args.restore === undefined) {
        return { dbName: args.name, username: args.username, allocatedStorage: args.allocatedStorageGiB, kmsKeyId: args.dataKeyArn };
    }
    const time = args.restore.restoreTime === "latest" ? { useLatestRestorableTime: true } : { restoreTime: args.restore.restoreTime };
    return {
        kmsKeyId: args.restore.keyArn,
        restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: args.restore.automatedBackupsArn, ...time },
    };
}

/** The database instance, its replicas and what they need. */
export class Postgres extends pulumi.ComponentResource {
    /** The primary instance. */
    public readonly instance: aws.rds.Instance;
    /** Read replicas, in order. */
    public readonly replicas: aws.rds.Instance[];
    /** The instance's security group (the proxy adds its own ingress rule to it). */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    /** ARN of the Secrets Manager secret RDS keeps the master credentials in (and rotates). */
    public readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Postgres", name, {}, opts);
        const child = { parent: this };

        this.securityGroup = new ServiceSecurityGroup(
            `${name}-security-group`,
            {
                vpcId: args.vpcId,
                groupName: args.identifier,
                service: `PostgreSQL ${args.identifier}`,
                port: POSTGRES_PORT,
                clientSecurityGroupIds: args.clientSecurityGroupIds,
            },
            child,
        ).securityGroup;

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { name: args.identifier, description: `Database subnets of ${args.identifier}`, subnetIds: args.subnetIds, tags: { Name: args.identifier } },
            child,
        );

        // A name prefix, not a name: a new family (major upgrade) creates the new group before the old one
        // is deleted, so the instance always has a group to point at. Pulumi replaces create-before-delete.
        const family = postgresFamily(args.engineVersion);
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-parameters`,
            {
                namePrefix: `${args.identifier}-${family}-`,
                family,
                description: `${args.identifier}: TLS only, SCRAM, audit and slow-query logging`,
                parameters: postgresParameters(),
                tags: { Name: `${args.identifier}-${family}` },
            },
            child,
        );

        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring-role`,
            {
                description: `Enhanced monitoring of ${args.identifier}`,
                assumeRolePolicy: pulumi
                    .output(args.account)
                    .apply((ctx) => JSON.stringify(serviceTrustPolicy(servicePrincipal("monitoring.rds", ctx.partition), ctx))),
            },
            child,
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring-policy`,
            {
                role: monitoringRole.name,
                policyArn: pulumi.interpolate`arn:${pulumi.output(args.account).partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            child,
        );

        const logGroups = (identifier: string, suffix: string) =>
            postgresLogGroupNames(identifier).map(
                (logGroupName, i) =>
                    new aws.cloudwatch.LogGroup(
                        `${name}-${suffix}logs-${POSTGRES_LOG_EXPORTS[i]}`,
                        { name: logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn },
                        child,
                    ),
            );

        // Settings every instance shares, the replicas included.
        const common = {
            instanceClass: args.instanceClass,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: args.dataKeyArn,
            maxAllocatedStorage: args.maxAllocatedStorageGiB,
            port: POSTGRES_PORT,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [this.securityGroup.id],
            publiclyAccessible: false,
            networkType: "IPV4",
            parameterGroupName: parameterGroup.name,
            caCertIdentifier: args.caCertificate,
            iamDatabaseAuthenticationEnabled: true,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: args.dataKeyArn,
            performanceInsightsRetentionPeriod: defaults.performanceInsightsRetentionDays,
            monitoringInterval: defaults.monitoringIntervalSeconds,
            monitoringRoleArn: monitoringRole.arn,
            backupRetentionPeriod: args.backupRetentionDays,
            backupWindow: args.backupWindow,
            maintenanceWindow: args.maintenanceWindow,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            deletionProtection: args.deletionProtection,
            deleteAutomatedBackups: !args.isProd,
            applyImmediately: !args.isProd,
        };

        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                ...common,
                ...instanceOrigin(args),
                identifier: args.identifier,
                engine: "postgres",
                engineVersion: args.engineVersion,
                // A major upgrade happens only when the pin in config changes, never on its own.
                allowMajorVersionUpgrade: true,
                multiAz: args.multiAz,
                // RDS generates the password, keeps it in Secrets Manager under the data key and rotates it.
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.dataKeyArn,
                skipFinalSnapshot: !args.isProd,
                finalSnapshotIdentifier: args.isProd ? `${args.identifier}-final` : undefined,
                tags: { Name: args.identifier },
            },
            {
                parent: this,
                protect: args.protect,
                dependsOn: [...logGroups(args.identifier, ""), monitoringPolicy],
                // The restore source is history once the instance exists: a later edit of restore.* (or a
                // backup that has since expired) must never replace the restored database.
                ignoreChanges: args.restore === undefined ? [] : ["restoreToPointInTime"],
            },
        );

        this.replicas = Array.from({ length: args.readReplicas }, (_, i) => {
            const identifier = `${args.identifier}-replica-${i + 1}`;
            return new aws.rds.Instance(
                `${name}-replica-${i + 1}`,
                {
                    ...common,
                    identifier,
                    replicateSourceDb: this.instance.identifier,
                    // A replica in the primary's region always has the primary's key (a restored primary keeps its backups' key).
                    kmsKeyId: this.instance.kmsKeyId,
                    // RDS refuses a final snapshot of a read replica: its data is the primary's.
                    skipFinalSnapshot: true,
                    tags: { Name: identifier, role: "read-replica" },
                },
                { parent: this, protect: args.protect, dependsOn: [...logGroups(identifier, `replica-${i + 1}-`), monitoringPolicy] },
            );
        });

        // Only the ARN: the program never reads the value. The External Secrets Operator copies it into the
        // cluster (components/apps/masterCredentials.ts), the RDS Proxy reads it itself.
        this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");

        this.registerOutputs({
            address: this.instance.address,
            masterSecretArn: this.masterSecretArn,
            replicaAddresses: this.replicas.map((r) => r.address),
        });
    }
}
