/**
 * Redis over TLS with AUTH, from the mounted `rediss://:<token>@host:port` (components/apps/credentials.ts).
 * A plain `redis://` URL is refused: ElastiCache has in-transit encryption on, and the AUTH token must
 * never cross the network in clear. The client reconnects by itself; while it is disconnected commands
 * fail at once (no offline queue), so readiness reports the outage instead of hanging.
 */
import * as fs from "node:fs";
import { createClient } from "@redis/client";

/** The parts of a `rediss://` URL a connection needs. */
export interface CacheEndpoint {
    readonly host: string;
    readonly port: number;
    /** ACL user; undefined: the default user (ElastiCache's AUTH token). */
    readonly username?: string;
    readonly password: string;
}

/** Parses `rediss://[user]:token@host:port`; refuses `redis://` and a URL without a token. */
export function parseRedisUrl(text: string): CacheEndpoint {
    let url: URL;
    try {
        url = new URL(text.trim());
    } catch {
        throw new Error("the Redis URL is not a URL; expected rediss://:<token>@host:port");
    }
    if (url.protocol !== "rediss:") {
        throw new Error(`the Redis URL has the scheme ${url.protocol}; expected rediss: (TLS), the AUTH token never goes over plain TCP`);
    }
    if (url.hostname === "" || url.password === "") {
        throw new Error("the Redis URL lacks a host or an AUTH token; expected rediss://:<token>@host:port");
    }
    return {
        host: url.hostname,
        port: url.port === "" ? 6379 : Number(url.port),
        ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
        password: decodeURIComponent(url.password),
    };
}

/** The client type this application uses. */
export type Cache = ReturnType<typeof createCache>;

/**
 * A client for the URL in `urlFile`: TLS with the server name checked (against `caFile`, or Node.js's
 * roots), AUTH, reconnects backing off to 2 s, no offline queue. Not connected yet: call `connect()`.
 */
export function createCache(urlFile: string, caFile: string | undefined, timeoutMs: number) {
    const endpoint = parseRedisUrl(fs.readFileSync(urlFile, "utf8"));
    const client = createClient({
        socket: {
            tls: true,
            host: endpoint.host,
            port: endpoint.port,
            servername: endpoint.host,
            rejectUnauthorized: true,
            ...(caFile !== undefined ? { ca: fs.readFileSync(caFile, "utf8") } : {}),
            connectTimeout: timeoutMs,
            reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
        },
        ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
        password: endpoint.password,
        disableOfflineQueue: true,
        RESP: 2,
    });
    // Without a listener an error event would end the process; the reconnect strategy handles it.
    let lastError = "";
    client.on("error", (error: Error) => {
        if (error.message !== lastError) {
            console.error(`redis: ${error.message}`);
            lastError = error.message;
        }
    });
    client.on("ready", () => {
        lastError = "";
    });
    return client;
}
