import { expect } from "chai";
import { VELERO_RECOVERY_RESTORE } from "../../../components/addons/veleroRecovery";
import { replicationEventPattern } from "../../../components/data/databaseBackupReplication";
import { evaluatePolicies, readPolicyConfig, type PolicyPackConfig } from "../../../tools/offline/policyRunner";
import { recoveryPolicyConfig } from "../../../tools/recoveryStack";
import { planConfig, policyOf, type Plan, type RecordedResource } from "../../harness";
import { RECOVERY_SOURCES, recoveryConfig } from "../../config/recovery";
import { T, devPlan, prodPlan } from "./plans";

const REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const RESTORE = "kubernetes:velero.io/v1:Restore";

function instanceOf(plan: Plan): RecordedResource {
    return plan.get(T.instance, "data-postgres-instance");
}

describe("disaster recovery", () => {
    describe("prod replicates its database's automated backups to the replica region", () => {
        let prod: Plan;
        before(async () => {
            prod = await prodPlan();
        });

        it("through the replica region's provider, for 7 days, under a key made there", () => {
            const replication = prod.get(REPLICATION, "data-postgres-backup-replication-replication");
            expect(replication.inputs.retentionPeriod).to.equal(7);
            expect(replication.inputs.sourceDbInstanceArn).to.equal(instanceOf(prod).outputs.arn);
            expect(prod.providerOf(replication)?.inputs.region).to.equal("eu-central-1");
            const key = prod.byArn(replication.inputs.kmsKeyId) as RecordedResource;
            expect(key.name).to.equal("data-postgres-backup-replication-key");
            expect(prod.providerOf(key)?.inputs.region).to.equal("eu-central-1");
            expect(replication.protect && key.protect).to.equal(true);
        });

        it("whose key policy is as tight as the home keys': the account, delegating to IAM, and nothing else", () => {
            const key = prod.get(T.key, "data-postgres-backup-replication-key");
            expect(policyOf(key.inputs.policy).Statement).to.deep.equal([
                {
                    Sid: "EnableIamPoliciesOfThisAccount",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::123456789012:root" },
                    Action: "kms:*",
                    Resource: "*",
                },
            ]);
        });

        it("and pages the alarm topic on the instance's backup-replication events, which EventBridge may publish (topic and key)", () => {
            const rule = prod.get("aws:cloudwatch/eventRule:EventRule", "data-postgres-backup-replication-events");
            expect(JSON.parse(String(rule.inputs.eventPattern))).to.deep.equal(replicationEventPattern("platform-prod-postgres"));
            const target = prod.get("aws:cloudwatch/eventTarget:EventTarget", "data-postgres-backup-replication-events-to-alarms");
            const topic = prod.get(T.topic, "data-alarms-topic");
            expect(target.inputs.arn).to.equal(topic.outputs.arn);
            const topicPolicy = policyOf(prod.get("aws:sns/topicPolicy:TopicPolicy", "data-alarms-topic-policy").inputs.policy);
            expect(topicPolicy.Statement.find((s) => s.Sid === "EventBridgeRulesOfThisAccountPublish")).to.deep.include({
                Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish",
            });
            const keyStatement = policyOf(prod.get(T.key, "keys-data").inputs.policy).Statement.find(
                (s) => s.Sid === "AllowEventBridgeRulesToPublishToEncryptedTopics",
            );
            expect(keyStatement).to.deep.include({
                Principal: { Service: "events.amazonaws.com" },
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            });
        });

        it("the outputs name what a recovery stack restores from", () => {
            const replication = prod.get(REPLICATION, "data-postgres-backup-replication-replication");
            expect(prod.outputs.databaseBackupReplicaArn).to.equal(replication.id);
            expect(prod.outputs.databaseBackupReplicaKeyArn).to.equal(prod.get(T.key, "data-postgres-backup-replication-key").outputs.arn);
            expect(prod.outputs.backupReplicaKeyArn).to.equal(prod.get(T.key, "data-backups-replica-key").outputs.arn);
        });

        it("dev replicates nothing (and has no replica region)", async () => {
            const dev = await devPlan();
            expect(dev.ofType(REPLICATION)).to.deep.equal([]);
            expect(dev.outputs.databaseBackupReplicaArn).to.equal(null);
        });

        it("the pattern keeps the instance's daily backup events out: only replication messages of its backup category", () => {
            expect(replicationEventPattern("db-1")).to.deep.equal({
                source: ["aws.rds"],
                "detail-type": ["RDS DB Instance Event"],
                detail: { SourceIdentifier: ["db-1"], EventCategories: ["backup"], Message: [{ wildcard: "*eplicat*" }] },
            });
        });
    });

    describe("a recovery stack of prod in eu-central-1", () => {
        let recovery: Plan;
        before(async () => {
            recovery = await planConfig(recoveryConfig(), "prod-recovery");
        });

        it("restores the database from the replicated backups: no empty database, the backups' key kept", () => {
            const instance = instanceOf(recovery);
            expect(instance.inputs.restoreToPointInTime).to.deep.equal({
                sourceDbInstanceAutomatedBackupsArn: RECOVERY_SOURCES.databaseBackupsArn,
                useLatestRestorableTime: true,
            });
            expect(instance.inputs.kmsKeyId).to.equal(RECOVERY_SOURCES.databaseKeyArn);
            // The data, the database and the master user come from the backups; RDS manages a new password.
            expect(instance.inputs).to.not.have.any.keys("dbName", "username", "allocatedStorage");
            expect(instance.inputs.manageMasterUserPassword).to.equal(true);
            expect(instance.protect).to.equal(true);
        });

        it("a restore time from config is sent as the restore time", async () => {
            const at = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
            const plan = await planConfig(recoveryConfig({ "platform:restore.databaseRestoreTime": at }), "prod-recovery");
            expect(instanceOf(plan).inputs.restoreToPointInTime).to.deep.equal({
                sourceDbInstanceAutomatedBackupsArn: RECOVERY_SOURCES.databaseBackupsArn,
                restoreTime: at,
            });
        });

        it("gives Velero the replicated bucket as a read-only location, and read access to it only", () => {
            const values = recovery.get(RELEASE, "velero-release").inputs.values as { configuration: { backupStorageLocation: Record<string, unknown>[] } };
            expect(values.configuration.backupStorageLocation[1]).to.deep.equal({
                name: "recovery",
                provider: "aws",
                bucket: RECOVERY_SOURCES.veleroBucket,
                prefix: "platform-prod-eks",
                default: false,
                accessMode: "ReadOnly",
                backupSyncPeriod: "1m0s",
                config: { region: "eu-central-1" },
            });
            const policy = recovery.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => String(p.name).startsWith("velero-identity"));
            const statements = policyOf(policy?.inputs.policy).Statement.filter((s) => String(s.Sid).includes("Recovery") || String(s.Sid).includes("Lost"));
            expect(statements).to.deep.equal([
                {
                    Sid: "ReadTheLostClustersBackups",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::${RECOVERY_SOURCES.veleroBucket}/platform-prod-eks/*`,
                },
                { Sid: "ListTheRecoveryBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${RECOVERY_SOURCES.veleroBucket}` },
                {
                    Sid: "DecryptTheRecoveryBucketThroughS3",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: RECOVERY_SOURCES.veleroKeyArn,
                    Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } },
                },
            ]);
        });

        it("restores the application namespaces of the named backup after the applications exist, without volumes", () => {
            const restore = recovery.get(RESTORE, "velero-recovery-restore");
            expect(restore.inputs.metadata).to.deep.equal({ name: VELERO_RECOVERY_RESTORE, namespace: "velero" });
            expect(restore.inputs.spec).to.deep.equal({
                backupName: "velero-daily-20261202024500",
                includedNamespaces: ["app-api", "app-web"],
                includeClusterResources: false,
                restorePVs: false,
                existingResourcePolicy: "none",
            });
            expect(recovery.dependsOn(restore, recovery.get(RELEASE, "velero-release"))).to.equal(true);
            for (const app of ["app-api", "app-web"]) {
                expect(recovery.dependsOn(restore, recovery.get("kubernetes:apps/v1:Deployment", `${app}-deployment`))).to.equal(true);
            }
        });

        it("adopts the certificate validation records prod made (same domain, same account), and never deletes them", async () => {
            const prod = await prodPlan();
            for (const record of recovery.ofType("aws:route53/record:Record").filter((r) => r.name.startsWith("edge-tls-validation"))) {
                expect(record.inputs.allowOverwrite, record.name).to.equal(true);
                expect(record.retainOnDelete, record.name).to.equal(true);
            }
            for (const record of prod.ofType("aws:route53/record:Record").filter((r) => r.name.startsWith("edge-tls-validation"))) {
                expect(record.inputs.allowOverwrite, record.name).to.equal(undefined);
                expect(record.retainOnDelete, record.name).to.not.equal(true);
            }
        });

        it("without a backup name it makes the read-only location only", async () => {
            const plan = await planConfig(recoveryConfig({ "platform:restore.veleroBackup": undefined }), "prod-recovery");
            expect(plan.ofType(RESTORE)).to.deep.equal([]);
        });

        it("replicates its own backups onwards (to eu-north-1) and plans with no policy violation", async () => {
            const replication = recovery.get(REPLICATION, "data-postgres-backup-replication-replication");
            expect(recovery.providerOf(replication)?.inputs.region).to.equal("eu-north-1");
            // The policy config the recovery-stack tool writes: prod's, with the restored instance's key reviewed.
            const config = recoveryPolicyConfig(readPolicyConfig("prod"), RECOVERY_SOURCES.databaseKeyArn) as PolicyPackConfig;
            const violations = await evaluatePolicies(recovery.resources, { config });
            expect(violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).to.deep.equal([]);
        });
    });
});
