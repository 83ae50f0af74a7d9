/**
 * The recovery stack of prod in eu-central-1, derived from Pulumi.prod.yaml by tools/recoveryStack.ts as
 * the disaster-recovery runbook derives it, for the config and plan tests of a restore.
 */
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { recoveryStackConfig } from "../../tools/recoveryStack";

/** What a recovery of prod into eu-central-1 is given (the shape of prod's outputs there). */
export const RECOVERY_SOURCES = {
    databaseBackupsArn: "arn:aws:rds:eu-central-1:123456789012:auto-backup:ab-3v7xkq2m5ynhz4c6w8r0tj9pfe1bsu",
    databaseKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/5f0e8d1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f",
    veleroBucket: "platform-prod-backups-replica-123456789012",
    veleroKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
} as const;

/** The config of prod's recovery stack in eu-central-1, the secrets set again as the runbook says. */
export function recoveryConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const source = readStackFile(stackFilePath("prod"));
    const { config, dropped } = recoveryStackConfig(source, {
        from: "prod",
        to: "prod-recovery",
        region: "eu-central-1",
        replicaRegion: "eu-north-1",
        restoreTime: "latest",
        veleroBackup: "velero-daily-20261202024500",
        force: false,
        ...RECOVERY_SOURCES,
    });
    for (const { key } of dropped.filter((d) => d.key.startsWith("platform:alerting."))) {
        config[key] = source[key];
    }
    const values: Record<string, unknown> = { ...config, ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete values[key];
        }
    }
    return values;
}
