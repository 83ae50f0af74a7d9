import { expect } from "chai";
import { estimatedMaxConnections, instanceClassMemoryGiB, postgresFamily, postgresParameters } from "../../../components/data/postgresSettings";
import { RDS_CA_IDENTIFIERS } from "../../../versions";
import { policyOf, type Plan, type RecordedResource } from "../../harness";
import { T, devPlan, keyArn, nodeSecurityGroupId, prodPlan, rulesOf, variantPlan } from "./plans";

const primary = (plan: Plan) => plan.get(T.instance, "data-postgres-instance");
const replicas = (plan: Plan) => plan.ofType(T.instance).filter((r) => r.inputs.replicateSourceDb !== undefined);

describe("data tier: RDS PostgreSQL", () => {
    let dev: Plan;
    let prod: Plan;
    let variant: Plan;
    before(async () => {
        dev = await devPlan();
        prod = await prodPlan();
        variant = await variantPlan();
    });

    it("runs the pinned engine version with a parameter group of its family", () => {
        for (const plan of [dev, prod]) {
            const db = primary(plan);
            expect(db.inputs).to.include({ engine: "postgres", engineVersion: "17.9", instanceClass: plan === dev ? "db.t4g.small" : "db.r7g.large" });
            const group = plan.get(T.dbParameterGroup, "data-postgres-parameters");
            expect(group.inputs.family).to.equal("postgres17");
            expect(db.inputs.parameterGroupName).to.equal(group.outputs.name);
        }
    });

    it("is never publicly accessible and lives only in the database subnets", () => {
        for (const plan of [dev, prod]) {
            expect(primary(plan).inputs.publiclyAccessible).to.equal(false);
            const subnetGroup = plan.get(T.dbSubnetGroup, "data-postgres-subnets");
            expect(primary(plan).inputs.dbSubnetGroupName).to.equal(subnetGroup.outputs.name);
            const subnets = (subnetGroup.inputs.subnetIds as string[]).map((id) => plan.byId(id));
            expect(subnets).to.have.length(plan.ofType(T.subnet).length / 3);
            expect(subnets.map((s) => (s?.inputs.tags as Record<string, string>).tier)).to.satisfy((tiers: string[]) => tiers.every((t) => t === "database"));
        }
    });

    it("its security group admits 5432 from the EKS node security group only, and lets nothing out", () => {
        for (const plan of [dev, prod]) {
            const [groupId] = primary(plan).inputs.vpcSecurityGroupIds as string[];
            const group = plan.byId(groupId) as RecordedResource;
            expect(group.inputs.ingress ?? []).to.deep.equal([]);
            expect(group.inputs.egress ?? []).to.deep.equal([]);
            const { ingress, egress } = rulesOf(plan, group);
            expect(ingress.map((r) => ({ ...r.inputs, tags: undefined }))).to.deep.equal([
                {
                    securityGroupId: groupId,
                    referencedSecurityGroupId: nodeSecurityGroupId(plan),
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    description: "PostgreSQL platform-" + plan.run.stack + "-postgres clients",
                    tags: undefined,
                },
            ]);
            expect(egress).to.deep.equal([]);
        }
    });

    it("stores data on gp3, encrypted with the data key, autoscaling up to the configured ceiling", () => {
        expect(primary(dev).inputs).to.include({ storageType: "gp3", storageEncrypted: true, allocatedStorage: 20, maxAllocatedStorage: 50 });
        expect(primary(prod).inputs).to.include({ storageType: "gp3", storageEncrypted: true, allocatedStorage: 100, maxAllocatedStorage: 500 });
        expect(primary(prod).inputs.kmsKeyId).to.equal(keyArn(prod, "data"));
    });

    it("forces TLS, hashes passwords with SCRAM and logs DDL, slow statements, connections and lock waits", () => {
        const parameters = prod.get(T.dbParameterGroup, "data-postgres-parameters").inputs.parameters as { name: string; value: string }[];
        const byName = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
        expect(byName).to.include({
            "rds.force_ssl": "1",
            password_encryption: "scram-sha-256",
            log_statement: "ddl",
            log_min_duration_statement: "1000",
            log_connections: "1",
            log_disconnections: "1",
            log_lock_waits: "1",
        });
    });

    it("replaces its parameter group create-before-delete: a name prefix, never a fixed name", () => {
        const group = prod.get(T.dbParameterGroup, "data-postgres-parameters");
        expect(group.inputs.name).to.equal(undefined);
        expect(group.inputs.namePrefix).to.equal("platform-prod-postgres-postgres17-");
    });

    it("exports postgresql and upgrade logs to log groups declared first, with retention and the logs key", () => {
        for (const [plan, db] of [[prod, primary(prod)], ...replicas(variant).map((r) => [variant, r] as const)] as const) {
            expect(db.inputs.enabledCloudwatchLogsExports).to.deep.equal(["postgresql", "upgrade"]);
            for (const log of ["postgresql", "upgrade"]) {
                const group = plan.ofType(T.logGroup).find((g) => g.inputs.name === `/aws/rds/instance/${String(db.inputs.identifier)}/${log}`);
                expect(group, `${String(db.inputs.identifier)} ${log}`).to.not.equal(undefined);
                expect(group?.inputs).to.include({ retentionInDays: 400, kmsKeyId: keyArn(plan, "logs") });
                expect(plan.dependsOn(db, group as RecordedResource)).to.equal(true);
            }
        }
    });

    it("has Performance Insights under the data key, enhanced monitoring with its own role, IAM authentication and a current CA", () => {
        const db = primary(prod);
        expect(db.inputs).to.include({
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 7,
            monitoringInterval: 60,
            iamDatabaseAuthenticationEnabled: true,
        });
        expect(db.inputs.performanceInsightsKmsKeyId).to.equal(keyArn(prod, "data"));
        expect(RDS_CA_IDENTIFIERS).to.include(db.inputs.caCertIdentifier);
        const role = prod.ofType(T.role).find((r) => r.outputs.arn === db.inputs.monitoringRoleArn) as RecordedResource;
        expect(policyOf(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
            {
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ]);
        const attachment = prod.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "data-postgres-monitoring-policy");
        expect(attachment.inputs).to.deep.include({
            role: role.outputs.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        });
    });

    it("keeps backups for the configured days in its windows, copies tags to snapshots and takes minor upgrades", () => {
        expect(primary(dev).inputs).to.include({ backupRetentionPeriod: 3, backupWindow: "02:00-03:00", maintenanceWindow: "sun:03:30-sun:04:30" });
        expect(primary(prod).inputs).to.include({ backupRetentionPeriod: 14, backupWindow: "01:00-01:30", maintenanceWindow: "sun:02:00-sun:03:00" });
        for (const db of [primary(dev), primary(prod)]) {
            expect(db.inputs).to.include({ copyTagsToSnapshot: true, autoMinorVersionUpgrade: true });
        }
    });

    it("prod: Multi-AZ, deletion protection, a final snapshot, changes in the maintenance window and Pulumi protect", () => {
        const db = primary(prod);
        expect(db.inputs).to.include({
            multiAz: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "platform-prod-postgres-final",
            applyImmediately: false,
            deleteAutomatedBackups: false,
        });
        expect(db.protect).to.equal(true);
    });

    it("dev: single-AZ and disposable (no deletion protection, no final snapshot, not protected)", () => {
        const db = primary(dev);
        expect(db.inputs).to.include({ multiAz: false, deletionProtection: false, skipFinalSnapshot: true, applyImmediately: true });
        expect(db.inputs.finalSnapshotIdentifier).to.equal(undefined);
        expect(db.protect).to.equal(false);
    });

    it("lets RDS generate, hold (under the data key) and rotate the master password: no password in the program", () => {
        const db = primary(prod);
        expect(db.inputs).to.include({ manageMasterUserPassword: true, username: "platform_admin", dbName: "app" });
        expect(db.inputs.masterUserSecretKmsKeyId).to.equal(keyArn(prod, "data"));
        expect(db.inputs).to.not.have.property("password");
        expect(prod.ofType(T.password).map((p) => p.name)).to.not.include.members(["data-postgres-password"]);
    });

    it("exports host, port, database, user and secret ARN, and never the password (the program does not read it)", () => {
        const db = primary(prod);
        const secretArn = (db.outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn;
        expect(prod.outputs).to.deep.include({
            databaseHost: db.outputs.address,
            databasePort: 5432,
            databaseName: "app",
            databaseUser: "platform_admin",
            databaseSecretArn: secretArn,
        });
        expect(prod.outputs).to.not.have.property("databasePassword");
    });

    it("read replicas from config carry the primary's hardening; they skip the final snapshot RDS refuses for replicas", () => {
        expect(replicas(dev)).to.deep.equal([]);
        expect(replicas(prod)).to.deep.equal([]);
        expect(replicas(variant).map((r) => r.inputs.identifier)).to.deep.equal(["platform-prod-postgres-replica-1", "platform-prod-postgres-replica-2"]);
        const [replica] = replicas(variant);
        const db = primary(variant);
        expect(replica.inputs).to.include({ replicateSourceDb: "platform-prod-postgres", skipFinalSnapshot: true });
        for (const key of [
            "instanceClass",
            "storageType",
            "storageEncrypted",
            "kmsKeyId",
            "publiclyAccessible",
            "parameterGroupName",
            "caCertIdentifier",
            "iamDatabaseAuthenticationEnabled",
            "performanceInsightsEnabled",
            "performanceInsightsKmsKeyId",
            "monitoringInterval",
            "monitoringRoleArn",
            "backupRetentionPeriod",
            "copyTagsToSnapshot",
            "autoMinorVersionUpgrade",
            "deletionProtection",
            "dbSubnetGroupName",
        ]) {
            expect(replica.inputs[key], key).to.deep.equal(db.inputs[key]);
        }
        expect(replica.inputs.vpcSecurityGroupIds).to.deep.equal(db.inputs.vpcSecurityGroupIds);
        for (const key of ["username", "password", "manageMasterUserPassword", "dbName", "engineVersion"]) {
            expect(replica.inputs, key).to.not.have.property(key);
        }
        expect(replica.protect).to.equal(true);
    });

    describe("settings", () => {
        it("the family follows the major version", () => {
            expect(postgresFamily("17.9")).to.equal("postgres17");
            expect(postgresFamily("18.3")).to.equal("postgres18");
            expect(() => postgresFamily("9.6")).to.throw("no parameter-group family for PostgreSQL 9.6");
        });

        it("every parameter is dynamic, so no change waits for a reboot", () => {
            expect(postgresParameters().every((p) => p.applyMethod === "immediate")).to.equal(true);
            expect(postgresParameters({ slowStatementMs: 250 }).find((p) => p.name === "log_min_duration_statement")?.value).to.equal("250");
        });

        it("the default connection limit follows RDS's formula on the class's memory, capped at 5000", () => {
            expect(instanceClassMemoryGiB("db.t4g.medium")).to.equal(4);
            expect(instanceClassMemoryGiB("db.m7g.large")).to.equal(8);
            expect(instanceClassMemoryGiB("db.r7g.2xlarge")).to.equal(64);
            expect(instanceClassMemoryGiB("db.x2g.large")).to.equal(32);
            expect(estimatedMaxConnections("db.t4g.medium")).to.equal(450);
            expect(estimatedMaxConnections("db.r7g.large")).to.equal(1802);
            expect(estimatedMaxConnections("db.r7g.16xlarge")).to.equal(5000);
            expect(estimatedMaxConnections("db.m5.metal")).to.equal(5000);
        });
    });
});
