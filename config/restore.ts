/**
 * The typed settings of a stack created from another stack's backups (disaster recovery), built from
 * the parsed keys.
 */
import type { ConfigValues } from "./schema";

/** Where the database is restored from. */
export interface DatabaseRestoreConfig {
    /** ARN of the replicated automated backups (in this stack's region). */
    readonly automatedBackupsArn: string;
    /** KMS key of those backups: the restored instance keeps it. */
    readonly keyArn: string;
    /** `latest`, or the UTC instant to restore to. */
    readonly restoreTime: "latest" | string;
}

/** Where the application namespaces are restored from. */
export interface VeleroRestoreConfig {
    /** The replicated Velero bucket (in this stack's region). */
    readonly bucket: string;
    /** Prefix of the source cluster's objects in it. */
    readonly prefix: string;
    /** KMS key of the bucket. */
    readonly keyArn: string;
    /** The backup to restore; undefined: the read-only location only. */
    readonly backupName?: string;
}

/** A restore of a lost stack into this one. */
export interface RestoreConfig {
    /** The stack being recovered. */
    readonly sourceStack: string;
    /** The region that was lost. */
    readonly sourceRegion: string;
    /** The database's source; undefined in a stack without a database. */
    readonly database?: DatabaseRestoreConfig;
    /** The Velero source; undefined: no namespaces restored. */
    readonly velero?: VeleroRestoreConfig;
}

/** The restore section of the platform config. */
export interface RestoreSections {
    /** Set when this stack is created from backups (restore.enabled); undefined: the stack starts empty. */
    readonly restore?: RestoreConfig;
}

/** Builds the restore section from the parsed keys (config/rules/restore.ts has checked them). */
export function restoreSections(values: ConfigValues): RestoreSections {
    if (!values["restore.enabled"]) {
        return {};
    }
    const backupName = values["restore.veleroBackup"];
    return {
        restore: {
            sourceStack: values["restore.sourceStack"],
            sourceRegion: values["restore.sourceRegion"],
            database: values["database.enabled"]
                ? {
                      automatedBackupsArn: values["restore.databaseAutomatedBackupsArn"],
                      keyArn: values["restore.databaseKeyArn"],
                      restoreTime: values["restore.databaseRestoreTime"],
                  }
                : undefined,
            velero:
                values["restore.veleroBucket"] === ""
                    ? undefined
                    : {
                          bucket: values["restore.veleroBucket"],
                          prefix: values["restore.veleroPrefix"],
                          keyArn: values["restore.veleroKeyArn"],
                          backupName: backupName === "" ? undefined : backupName,
                      },
        },
    };
}
