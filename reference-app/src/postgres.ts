/**
 * Postgres with `sslmode=verify-full`, whatever the mounted URL says: TLS only, the server's certificate
 * chained to the CA bundle of the image (the RDS global bundle) and issued for the host connected to.
 * The platform writes `sslmode=require` into DATABASE_URL (components/apps/credentials.ts) because images
 * that bring no RDS bundle cannot verify; this application has it and never settles for less.
 */
import * as fs from "node:fs";
import pg from "pg";

/** The parts of a `postgres://` URL a connection needs. */
export interface DatabaseEndpoint {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly password: string;
}

/** Parses `postgres[ql]://user:password@host:port/database?...` (query parameters, `sslmode` included, are ignored). */
export function parseDatabaseUrl(text: string): DatabaseEndpoint {
    let url: URL;
    try {
        url = new URL(text.trim());
    } catch {
        throw new Error("the database URL is not a URL; expected postgres://user:password@host:port/database");
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        throw new Error(`the database URL has the scheme ${url.protocol}; expected postgres:`);
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
    if (url.hostname === "" || url.username === "" || database === "") {
        throw new Error("the database URL lacks a host, user or database; expected postgres://user:password@host:port/database");
    }
    return {
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port === "" ? 5432 : Number(url.port),
        database,
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
    };
}

/** Reads the URL file; the platform rewrites it when the password rotates, so it is read for every new connection. */
export function readDatabaseUrl(file: string): DatabaseEndpoint {
    return parseDatabaseUrl(fs.readFileSync(file, "utf8"));
}

/**
 * Pool settings for verify-full: `rejectUnauthorized` with the bundle as the only roots; pg sets the
 * server name from the host, so Node.js checks the certificate's names against it. The password is a
 * function, so a connection opened after a rotation uses the new one.
 */
export function poolConfig(urlFile: string, caFile: string, timeoutMs: number): pg.PoolConfig {
    const endpoint = readDatabaseUrl(urlFile);
    return {
        host: endpoint.host,
        port: endpoint.port,
        database: endpoint.database,
        user: endpoint.user,
        password: async () => readDatabaseUrl(urlFile).password,
        ssl: { ca: fs.readFileSync(caFile, "utf8"), rejectUnauthorized: true },
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs * 4,
        idleTimeoutMillis: 30_000,
        max: 10,
        application_name: "reference-app",
    };
}

/** A pool whose idle-client errors (a server restart) are logged rather than crashing the process. */
export function createPool(urlFile: string, caFile: string, timeoutMs: number): pg.Pool {
    const pool = new pg.Pool(poolConfig(urlFile, caFile, timeoutMs));
    pool.on("error", (error) => console.error(`postgres: idle connection failed: ${error.message}`));
    return pool;
}

/** The TLS version and cipher of this session, from pg_stat_ssl (proof the link is encrypted). */
export async function sessionTls(client: pg.Pool | pg.PoolClient): Promise<{ ssl: boolean; version: string | null; cipher: string | null }> {
    const { rows } = await client.query<{ ssl: boolean; version: string | null; cipher: string | null }>(
        "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    );
    return rows[0] ?? { ssl: false, version: null, cipher: null };
}
