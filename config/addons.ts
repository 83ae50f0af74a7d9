/**
 * The typed settings of the cluster add-ons (cert-manager, Velero), built from the parsed keys.
 */
import type { BackupSchedule } from "./keys/addons";
import type { ConfigValues } from "./schema";

export type { BackupSchedule } from "./keys/addons";

/** The cert-manager settings. */
export interface CertManagerConfig {
    /** Contact email of the Let's Encrypt account; undefined when the stack has no public domain. */
    readonly acmeEmail?: string;
}

/** The Velero settings. */
export interface VeleroConfig {
    /** Backup schedules (cron in UTC, TTL in days, extra namespaces). */
    readonly schedules: readonly BackupSchedule[];
}

/** The add-on sections of the platform config. */
export interface AddonSections {
    /** cert-manager. */
    readonly certManager: CertManagerConfig;
    /** Velero. */
    readonly velero: VeleroConfig;
}

/** Builds the add-on sections from validated keys. */
export function addonSections(values: ConfigValues): AddonSections {
    const email = values["certManager.acmeEmail"];
    return {
        certManager: { acmeEmail: email === "" ? undefined : email },
        velero: { schedules: values["velero.schedules"] },
    };
}
