/**
 * The typed settings of the cluster add-ons (cert-manager, Velero, Fluent Bit, the trace pipeline), built from the parsed keys.
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

/** The log shipping settings (Fluent Bit to CloudWatch Logs). */
export interface LoggingConfig {
    /** Retention of the Kubernetes log groups (applications, platform, dataplane), in days. */
    readonly retentionDays: number;
}

/** The trace pipeline's settings (the OpenTelemetry collector's tail sampling). */
export interface TracingConfig {
    /** Percent of ordinary traces kept (errors and slow traces are always kept). */
    readonly samplingPercentage: number;
    /** A trace longer than this (ms) is always kept. */
    readonly slowTraceMs: number;
}

/** The add-on sections of the platform config. */
export interface AddonSections {
    /** cert-manager. */
    readonly certManager: CertManagerConfig;
    /** Velero. */
    readonly velero: VeleroConfig;
    /** Fluent Bit's log groups. */
    readonly logging: LoggingConfig;
    /** The OpenTelemetry collector's sampling. */
    readonly tracing: TracingConfig;
}

/** Builds the add-on sections from validated keys. */
export function addonSections(values: ConfigValues): AddonSections {
    const email = values["certManager.acmeEmail"];
    return {
        certManager: { acmeEmail: email === "" ? undefined : email },
        velero: { schedules: values["velero.schedules"] },
        logging: { retentionDays: values["logging.retentionDays"] },
        tracing: { samplingPercentage: values["tracing.samplingPercentage"], slowTraceMs: values["tracing.slowTraceMs"] },
    };
}
