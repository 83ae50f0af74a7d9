import { expect } from "chai";
import { hardenDatabase } from "../../../policies/rules/rds/hardenDatabase";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { rdsInstance } from "../fixtures";

const INSTANCE = "aws:rds/instance:Instance";
const run = (props: unknown, stack: "dev" | "prod" = "prod") =>
    messages(hardenDatabase, [resource(INSTANCE, "db", props as Record<string, unknown>)], stackConfig(hardenDatabase, stack));
const d = 'aws:rds/instance:Instance "db"';

describe("policy platform-rds-instance-hardening (RDS-02 CMK, RDS-03, 04, 05, 07, 09, 10, 12)", () => {
    it("passes the compliant instance, in prod and in dev", async () => {
        expect(await run(rdsInstance)).to.deep.equal([]);
        expect(await run(rdsInstance, "dev")).to.deep.equal([]);
    });
    it("fails the AWS-managed key (kmsKeyId omitted or an aws/ alias); an unknown key ARN counts as the stack's", async () => {
        const message = `${d} is encrypted with the AWS-managed key aws/rds. Set kmsKeyId to the stack's data key ARN.`;
        expect(await run(withValue(rdsInstance, "kmsKeyId", REMOVE))).to.deep.equal([message]);
        expect(await run({ ...rdsInstance, kmsKeyId: "alias/aws/rds" })).to.deep.equal([message]);
        expect(await run({ ...rdsInstance, kmsKeyId: Unknown.instance })).to.deep.equal([]);
    });
    it("fails backups shorter than the stack's minimum (7 days in prod, 1 in dev) and unset", async () => {
        expect(await run({ ...rdsInstance, backupRetentionPeriod: 3 })).to.deep.equal([
            `${d} keeps 3 days of automated backups; at least 7 are required. Raise backupRetentionPeriod.`,
        ]);
        expect(await run({ ...rdsInstance, backupRetentionPeriod: 3 }, "dev")).to.deep.equal([]);
        expect(await run(withValue(rdsInstance, "backupRetentionPeriod", REMOVE), "dev")).to.deep.equal([
            `${d} does not set backupRetentionPeriod; at least 1 days of automated backups are required. Set backupRetentionPeriod to 1 or more.`,
        ]);
    });
    it("fails a single-AZ instance, no deletion protection and a skipped final snapshot in prod only", async () => {
        const fragile = { ...rdsInstance, multiAz: false, deletionProtection: false, skipFinalSnapshot: true };
        expect(await run(fragile)).to.deep.equal([
            `${d} has no Multi-AZ standby, so an AZ outage takes the database down. Set multiAz: true.`,
            `${d} has no deletion protection. Set deletionProtection: true.`,
            `${d} is deleted without a final snapshot. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
        ]);
        expect(await run(fragile, "dev")).to.deep.equal([]);
    });
    it("fails a literal master password and the postgres user name", async () => {
        const { manageMasterUserPassword: _managed, ...literal } = rdsInstance;
        expect(await run({ ...literal, password: "hunter22hunter22", username: "postgres" })).to.deep.equal([
            `${d} does not let RDS manage the master password. Set manageMasterUserPassword: true (the password then lives in Secrets Manager, rotated) and remove password.`,
            `${d} uses the well-known master user name "postgres". Choose another username.`,
        ]);
    });
    it("fails missing log exports, disabled minor upgrades and an old CA", async () => {
        expect(
            await run({ ...rdsInstance, enabledCloudwatchLogsExports: ["postgresql"], autoMinorVersionUpgrade: false, caCertIdentifier: "rds-ca-2019" }),
        ).to.deep.equal([
            `${d} does not export the upgrade logs to CloudWatch. Add them to enabledCloudwatchLogsExports.`,
            `${d} does not take minor version upgrades (security fixes). Set autoMinorVersionUpgrade: true.`,
            `${d} uses the certificate authority rds-ca-2019. Set caCertIdentifier to one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1.`,
        ]);
        expect(await run(withValue(rdsInstance, "caCertIdentifier", REMOVE))).to.deep.equal([]);
    });
    it("leaves cluster-level settings of Aurora instances, and credentials and backups of read replicas, to their cluster and source", async () => {
        expect(await run({ engine: "aurora-postgresql", instanceClass: "db.r6g.large" })).to.deep.equal([]);
        const replica = {
            instanceClass: "db.m6g.large",
            replicateSourceDb: "db",
            storageEncrypted: true,
            kmsKeyId: Unknown.instance,
            multiAz: false,
            deletionProtection: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        };
        expect(await run(replica)).to.deep.equal([]);
        // RDS refuses a final snapshot when a replica is deleted: skipping it is the only valid setting.
        expect(await run({ ...replica, skipFinalSnapshot: true })).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the retention is unknown", async () => {
        await expectCannotDecide(
            hardenDatabase,
            [resource(INSTANCE, "db", { ...rdsInstance, backupRetentionPeriod: Unknown.instance })],
            stackConfig(hardenDatabase, "prod"),
        );
    });
});
