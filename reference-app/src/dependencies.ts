/**
 * The data tier as the application sees it: the Postgres pool and the Redis client it was given
 * credentials for, each checked within a time limit (readiness and the `check` command).
 */
import type pg from "pg";
import { createPool, sessionTls } from "./postgres";
import { createCache, type Cache } from "./redis";
import type { Settings } from "./settings";
import { inSpan } from "./tracing";

/** The result of one dependency check. */
export interface DependencyStatus {
    readonly name: "postgres" | "redis";
    readonly ok: boolean;
    /** What was seen: the TLS version on success, the error otherwise. */
    readonly detail: string;
}

/** Rejects after `ms` unless `promise` settles first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/** The configured dependencies. */
export class Dependencies {
    /** The pool, when the application has a database. */
    readonly pool?: pg.Pool;
    /** The client, when the application has a cache. */
    readonly cache?: Cache;

    constructor(private readonly settings: Settings) {
        if (settings.databaseUrlFile !== undefined) {
            this.pool = createPool(settings.databaseUrlFile, settings.databaseCaFile, settings.dependencyTimeoutMs);
        }
        if (settings.redisUrlFile !== undefined) {
            this.cache = createCache(settings.redisUrlFile, settings.redisCaFile, settings.dependencyTimeoutMs);
        }
    }

    /** Starts the Redis client's connection loop; it keeps retrying, so an outage at start only delays readiness. */
    start(): void {
        this.cache?.connect().catch((error: Error) => console.error(`redis: ${error.message}`));
    }

    /** Connects Redis now, failing after the time limit (the `check` and `migrate` commands). */
    async connect(): Promise<void> {
        if (this.cache !== undefined) {
            await within(this.cache.connect(), this.settings.dependencyTimeoutMs * 2, "redis");
        }
    }

    /** Checks every configured dependency at once. */
    async check(): Promise<DependencyStatus[]> {
        const checks: Promise<DependencyStatus>[] = [];
        const limit = this.settings.dependencyTimeoutMs;
        const pool = this.pool;
        if (pool !== undefined) {
            checks.push(
                inSpan("postgres check", { "db.system.name": "postgresql" }, () => within(sessionTls(pool), limit, "postgres")).then(
                    (tls): DependencyStatus =>
                        tls.ssl
                            ? { name: "postgres", ok: true, detail: `${tls.version} ${tls.cipher}` }
                            : { name: "postgres", ok: false, detail: "the session is not encrypted" },
                    (error: Error): DependencyStatus => ({ name: "postgres", ok: false, detail: error.message }),
                ),
            );
        }
        const cache = this.cache;
        if (cache !== undefined) {
            checks.push(
                inSpan("redis PING", { "db.system.name": "redis", "db.operation.name": "PING" }, () => within(cache.ping(), limit, "redis")).then(
                    (reply): DependencyStatus => ({
                        name: "redis",
                        ok: reply === "PONG",
                        detail: reply === "PONG" ? "PONG over TLS" : `answered ${String(reply)}`,
                    }),
                    (error: Error): DependencyStatus => ({ name: "redis", ok: false, detail: error.message }),
                ),
            );
        }
        return Promise.all(checks);
    }

    /** Closes the pool and the client. */
    async close(): Promise<void> {
        await Promise.allSettled([this.pool?.end(), this.cache?.isOpen ? this.cache.close() : this.cache?.destroy()]);
    }
}
