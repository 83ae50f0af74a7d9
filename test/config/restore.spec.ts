import { expect } from "chai";
import { ConfigValidationError, resolveConfig, type PlatformConfig } from "../../config";
import { checkRestore } from "../../config/rules/restore";
import { ProblemList } from "../../config/rules";
import type { ConfigValues } from "../../config/schema";
import { readOtherStackFiles } from "../../config/stackFiles";
import { REPO_ROOT, buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { RECOVERY_SOURCES, recoveryConfig } from "./recovery";
import { problems } from "./resolve";

function resolveRecovery(overrides: Record<string, unknown> = {}): PlatformConfig {
    return resolveConfig({ stack: "prod-recovery", values: buildStackConfig(readProjectFile(), recoveryConfig(overrides)).values });
}

function recoveryProblems(overrides: Record<string, unknown>): string[] {
    try {
        resolveRecovery(overrides);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigValidationError);
        return (error as ConfigValidationError).problems.map((p) => p.message);
    }
    throw new Error("expected the config to be rejected");
}

describe("stack configuration: disaster recovery", () => {
    it("prod replicates its automated backups for 7 days; dev does not replicate", () => {
        const prod = resolveConfig({ stack: "prod", values: buildStackConfig(readProjectFile(), readStackFile(stackFilePath("prod"))).values });
        expect(prod.database.backupReplicationRetentionDays).to.equal(7);
        expect(prod.restore).to.equal(undefined);
        const dev = resolveConfig({ stack: "dev", values: buildStackConfig(readProjectFile(), readStackFile(stackFilePath("dev"))).values });
        expect(dev.database.backupReplicationRetentionDays).to.equal(0);
    });

    it("prod refuses less than a week of replicated backups", () => {
        expect(problems("prod", { "platform:database.backupReplicationRetentionDays": 3 })).to.deep.equal([
            "platform:database.backupReplicationRetentionDays: 3 is too short for prod; expected at least 7 (a week of point-in-time restores in backups.replicaRegion when eu-west-1 is lost)",
        ]);
    });

    it("replication needs a replica region, and the replica region must exist in the partition", () => {
        expect(problems("dev", { "platform:database.backupReplicationRetentionDays": 7 })).to.deep.equal([
            "platform:database.backupReplicationRetentionDays: 7 needs a region to replicate to, but platform:backups.replicaRegion is empty; expected 0 or a backups.replicaRegion",
        ]);
        expect(problems("prod", { "platform:backups.replicaRegion": "eu-cental-1" })).to.deep.equal([
            'platform:backups.replicaRegion: "eu-cental-1" is not a region of the aws partition; expected an existing region such as "eu-central-1" (the AWS provider\'s region list)',
        ]);
    });

    it("the recovery stack derived from prod resolves: in eu-central-1, restoring from prod's replicas", () => {
        const recovery = resolveRecovery();
        expect(recovery.region).to.equal("eu-central-1");
        expect(recovery.network.availabilityZones).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        expect(recovery.backups.replicaRegion).to.equal("eu-north-1");
        expect(recovery.restore).to.deep.equal({
            sourceStack: "prod",
            sourceRegion: "eu-west-1",
            database: { automatedBackupsArn: RECOVERY_SOURCES.databaseBackupsArn, keyArn: RECOVERY_SOURCES.databaseKeyArn, restoreTime: "latest" },
            velero: {
                bucket: RECOVERY_SOURCES.veleroBucket,
                prefix: "platform-prod-eks",
                keyArn: RECOVERY_SOURCES.veleroKeyArn,
                backupName: "velero-daily-20261202024500",
            },
        });
    });

    it("refuses a restore without the backups' ARN, naming the key", () => {
        expect(recoveryProblems({ "platform:restore.databaseAutomatedBackupsArn": undefined })).to.deep.equal([
            "platform:restore.databaseAutomatedBackupsArn: is required with restore.enabled and not set; expected the ARN of the source database's replicated automated backups in eu-central-1",
        ]);
    });

    it("refuses a restore into the home region", () => {
        expect(recoveryProblems({ "platform:restore.sourceRegion": "eu-central-1" })).to.deep.equal([
            'platform:restore.sourceRegion: "eu-central-1" is this stack\'s own aws:region: a restore into the home region is not a disaster recovery; expected aws:region to be the recovery region (where the replicas are), not eu-central-1',
        ]);
    });

    it("refuses replicated backups in another region than the stack's", () => {
        const elsewhere = "arn:aws:rds:eu-north-1:123456789012:auto-backup:ab-3v7xkq2m5ynhz4c6w8r0tj9pfe1bsu";
        expect(recoveryProblems({ "platform:restore.databaseAutomatedBackupsArn": elsewhere })).to.deep.equal([
            `platform:restore.databaseAutomatedBackupsArn: "${elsewhere}" is in eu-north-1, but this stack restores in aws:region "eu-central-1"; expected the source database's replicated automated backups in eu-central-1 (a restore runs where the replicated backups are: make this stack's aws:region eu-north-1, or name the copy in eu-central-1)`,
        ]);
    });

    it("refuses a malformed ARN and restore time at the key", () => {
        expect(
            recoveryProblems({ "platform:restore.databaseAutomatedBackupsArn": "arn:aws:rds:eu-central-1:123456789012:db:platform-prod-postgres" }),
        ).to.deep.equal([
            'platform:restore.databaseAutomatedBackupsArn: "arn:aws:rds:eu-central-1:123456789012:db:platform-prod-postgres" is not the ARN of replicated automated backups; expected arn:<partition>:rds:<region>:<account>:auto-backup:ab-<id>',
        ]);
        expect(recoveryProblems({ "platform:restore.databaseRestoreTime": "yesterday" })).to.deep.equal([
            'platform:restore.databaseRestoreTime: "yesterday" is not valid; expected latest or a UTC time such as "2026-12-01T09:30:00Z"',
        ]);
    });

    describe("the restore time", () => {
        const NOW = Date.parse("2026-12-03T12:00:00Z");
        const check = (time: string): string[] => {
            // Only the keys the rule reads: a restore of prod's replicas into eu-central-1, 7 days of them.
            const values = {
                environment: "prod",
                "database.enabled": true,
                "restore.enabled": true,
                "restore.sourceStack": "prod",
                "restore.sourceRegion": "eu-west-1",
                "restore.databaseAutomatedBackupsArn": RECOVERY_SOURCES.databaseBackupsArn,
                "restore.databaseKeyArn": RECOVERY_SOURCES.databaseKeyArn,
                "restore.databaseRestoreTime": time,
                "restore.windowDays": 7,
                "restore.veleroBucket": "",
                "restore.veleroPrefix": "",
                "restore.veleroKeyArn": "",
                "restore.veleroBackup": "",
            } as unknown as ConfigValues;
            const list = new ProblemList();
            checkRestore(values, "eu-central-1", list, NOW);
            return list.items.map((p) => p.message);
        };

        it("inside the window is accepted", () => {
            expect(check("2026-12-01T09:30:00Z")).to.deep.equal([]);
            expect(check("latest")).to.deep.equal([]);
        });

        it("outside the window (older than restore.windowDays) is refused with the earliest valid time", () => {
            expect(check("2026-11-20T00:00:00Z")).to.deep.equal([
                'platform:restore.databaseRestoreTime: "2026-11-20T00:00:00Z" is outside the replicated backups\' window of 7 days (restore.windowDays); expected latest or a time after 2026-11-26T12:00:00.000Z',
            ]);
        });

        it("in the future is refused", () => {
            expect(check("2026-12-04T00:00:00Z")).to.deep.equal([
                'platform:restore.databaseRestoreTime: "2026-12-04T00:00:00Z" is in the future; expected latest or a time before now (2026-12-03T12:00:00.000Z)',
            ]);
        });
    });

    it("the DNS cutover: the recovery stack may take prod's owner id, beside Pulumi.prod.yaml", () => {
        const values = buildStackConfig(readProjectFile(), recoveryConfig({ "platform:externalDns.txtOwnerId": "platform-prod-eks" })).values;
        const otherStacks = readOtherStackFiles(REPO_ROOT, "prod-recovery");
        expect(otherStacks.map((o) => o.stack)).to.include("prod");
        expect(() => resolveConfig({ stack: "prod-recovery", values, otherStacks })).to.not.throw();
        // dev's owner id stays refused: dev is not the stack it recovers.
        const devs = buildStackConfig(readProjectFile(), recoveryConfig({ "platform:externalDns.txtOwnerId": "platform-dev-eks" })).values;
        expect(() => resolveConfig({ stack: "prod-recovery", values: devs, otherStacks })).to.throw(/Pulumi\.dev\.yaml/);
    });

    it("refuses restore keys on a stack that does not restore", () => {
        expect(problems("dev", { "platform:restore.veleroBucket": "platform-prod-backups-replica-123456789012" })).to.deep.equal([
            'platform:restore.veleroBucket: "platform-prod-backups-replica-123456789012" is set, but platform:restore.enabled is false; expected restore.enabled: true to restore from it, or no restore.veleroBucket',
        ]);
    });

    it("refuses a Velero source without its key", () => {
        expect(recoveryProblems({ "platform:restore.veleroKeyArn": undefined })).to.deep.equal([
            "platform:restore.veleroKeyArn: is required with restore.enabled and not set; expected the ARN of the replicated Velero bucket's KMS key in eu-central-1",
        ]);
    });
});
