/**
 * The application's settings, read once from the environment the platform gives every application pod
 * (components/apps/workload.ts: PORT, APP_FILES_DIR, DATABASE_URL_FILE, REDIS_URL_FILE) plus its own
 * variables. Defaults live here; a bad value is a {@link SettingsError} naming the variable, the value and
 * what would be valid.
 */

/** Where the Dockerfile puts the RDS global CA bundle (certs/rds-global-bundle.pem). */
export const IMAGE_RDS_CA_FILE = "/app/certs/rds-global-bundle.pem";

/** Defaults of the optional variables. */
export const SETTINGS_DEFAULTS = {
    port: 8080,
    basePath: "",
    databaseCaFile: IMAGE_RDS_CA_FILE,
    /** Below the readiness probe's 2 s timeout (components/apps/workload.ts), so the probe sees our answer. */
    dependencyTimeoutMs: 1500,
    /** Seconds the server keeps draining connections after SIGTERM before it exits anyway. */
    shutdownTimeoutMs: 20_000,
} as const;

/** The typed settings. */
export interface Settings {
    /** HTTP port of the API, health and readiness. */
    readonly port: number;
    /** Port of `/metrics` (the platform scrapes `metricsPort`); the same as `port` when unset. */
    readonly metricsPort: number;
    /** Prefix of every HTTP route (`/api` when the ALB routes `/api/*` here); "" for none. */
    readonly basePath: string;
    /** File holding `postgres://user:password@host:port/db?...`; undefined: no database. */
    readonly databaseUrlFile?: string;
    /** File holding `rediss://:token@host:port`; undefined: no cache. */
    readonly redisUrlFile?: string;
    /** CA bundle Postgres is verified against (verify-full): the RDS global bundle in the image. */
    readonly databaseCaFile: string;
    /** CA bundle Redis is verified against; undefined: Node.js's own roots (ElastiCache's certificates chain to Amazon's public roots). */
    readonly redisCaFile?: string;
    /** Limit of one dependency check (readiness, `check`), milliseconds. */
    readonly dependencyTimeoutMs: number;
    /** Limit of the graceful shutdown, milliseconds. */
    readonly shutdownTimeoutMs: number;
}

/** A variable with a value the application cannot use. */
export class SettingsError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function port(env: Env, name: string, fallback: number): number {
    const raw = env[name];
    if (raw === undefined || raw === "") {
        return fallback;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > 65535) {
        throw new SettingsError(`${name}=${JSON.stringify(raw)} is not a port; expected a whole number from 1 to 65535 (0: any free port)`);
    }
    return value;
}

function milliseconds(env: Env, name: string, fallback: number): number {
    const raw = env[name];
    if (raw === undefined || raw === "") {
        return fallback;
    }
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
        throw new SettingsError(`${name}=${JSON.stringify(raw)} is not a duration; expected milliseconds, a whole number from 1`);
    }
    return Number(raw);
}

function optional(env: Env, name: string): string | undefined {
    const raw = env[name];
    return raw === undefined || raw === "" ? undefined : raw;
}

/** Reads and checks the settings. */
export function loadSettings(env: Env = process.env): Settings {
    const appPort = port(env, "PORT", SETTINGS_DEFAULTS.port);
    const basePath = env.HTTP_BASE_PATH ?? SETTINGS_DEFAULTS.basePath;
    if (basePath !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
        throw new SettingsError(`HTTP_BASE_PATH=${JSON.stringify(basePath)} is not a path prefix; expected "" or segments such as "/api" (no trailing slash)`);
    }
    return {
        port: appPort,
        metricsPort: port(env, "METRICS_PORT", appPort),
        basePath,
        databaseUrlFile: optional(env, "DATABASE_URL_FILE"),
        redisUrlFile: optional(env, "REDIS_URL_FILE"),
        databaseCaFile: optional(env, "DATABASE_CA_FILE") ?? SETTINGS_DEFAULTS.databaseCaFile,
        redisCaFile: optional(env, "REDIS_CA_FILE"),
        dependencyTimeoutMs: milliseconds(env, "DEPENDENCY_TIMEOUT_MS", SETTINGS_DEFAULTS.dependencyTimeoutMs),
        shutdownTimeoutMs: milliseconds(env, "SHUTDOWN_TIMEOUT_MS", SETTINGS_DEFAULTS.shutdownTimeoutMs),
    };
}
