/**
 * Postgres with verify-full and Redis over TLS with AUTH, against the real servers of test/services.sh:
 * what connects, and what is refused (another CA, a name the certificate does not carry, a wrong token,
 * plain-text URLs).
 */
import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Dependencies } from "../src/dependencies";
import { createPool, parseDatabaseUrl, sessionTls } from "../src/postgres";
import { createCache, parseRedisUrl } from "../src/redis";
import { credentialFiles, databaseUrl, eventually, redisUrl, skipWithoutServices, testServices, testSettings } from "./helpers";

const services = testServices();

describe("credential URLs", () => {
    it("reads the platform's database URL, whatever its sslmode says", () => {
        for (const mode of ["require", "disable", "prefer"]) {
            assert.deepEqual(parseDatabaseUrl(`postgres://app%40x:p%2Fw@db.example.internal:6432/app?sslmode=${mode}\n`), {
                host: "db.example.internal",
                port: 6432,
                database: "app",
                user: "app@x",
                password: "p/w",
            });
        }
        assert.throws(() => parseDatabaseUrl("mysql://a:b@h/db"), /scheme mysql:; expected postgres:/);
        assert.throws(() => parseDatabaseUrl("postgres://h:5432/"), /lacks a host, user or database/);
    });

    it("refuses a Redis URL without TLS or without a token", () => {
        assert.deepEqual(parseRedisUrl("rediss://:t%40k@cache.example.internal:6380"), { host: "cache.example.internal", port: 6380, password: "t@k" });
        assert.throws(() => parseRedisUrl("redis://:token@cache:6379"), /scheme redis:; expected rediss: \(TLS\)/);
        assert.throws(() => parseRedisUrl("rediss://cache:6379"), /lacks a host or an AUTH token/);
    });
});

describe("Postgres with verify-full", { skip: skipWithoutServices(services) }, () => {
    const s = services!;
    const timeout = 2000;

    it("connects over TLS to the name in the server's certificate, with the CA it was given", async () => {
        const { env } = credentialFiles({ DATABASE_URL: databaseUrl(s) });
        const pool = createPool(env.DATABASE_URL_FILE, s.ca, timeout);
        try {
            const tls = await sessionTls(pool);
            assert.equal(tls.ssl, true);
            assert.match(String(tls.version), /^TLSv1\.[23]$/);
        } finally {
            await pool.end();
        }
    });

    it("refuses the server when its certificate does not chain to the CA (another CA)", async () => {
        const { env } = credentialFiles({ DATABASE_URL: databaseUrl(s) });
        const pool = createPool(env.DATABASE_URL_FILE, s.wrongCa, timeout);
        try {
            await assert.rejects(pool.query("SELECT 1"), /self[- ]signed certificate|unable to (get local issuer|verify)/);
        } finally {
            await pool.end();
        }
    });

    it("refuses the server when the host connected to is not a name of its certificate (the full of verify-full)", async () => {
        // The certificate names DNS:localhost only; 127.0.0.1 is the same server under another name.
        const { env } = credentialFiles({ DATABASE_URL: databaseUrl(s, { host: "127.0.0.1" }) });
        const pool = createPool(env.DATABASE_URL_FILE, s.ca, timeout);
        try {
            await assert.rejects(pool.query("SELECT 1"), /IP: 127\.0\.0\.1 is not in the cert's list|does not match certificate/);
        } finally {
            await pool.end();
        }
    });

    it("reads the password again for a new connection, so a rotated DATABASE_URL file is used without a restart", async () => {
        const { env } = credentialFiles({ DATABASE_URL: databaseUrl(s, { password: "not-the-password" }) });
        const pool = createPool(env.DATABASE_URL_FILE, s.ca, timeout);
        try {
            await assert.rejects(pool.query("SELECT 1"), /password authentication failed/);
            const fs = await import("node:fs");
            fs.chmodSync(env.DATABASE_URL_FILE, 0o640);
            fs.writeFileSync(env.DATABASE_URL_FILE, databaseUrl(s));
            const { rows } = await pool.query<{ one: number }>("SELECT 1 AS one");
            assert.equal(rows[0].one, 1);
        } finally {
            await pool.end();
        }
    });
});

describe("Redis over TLS with AUTH", { skip: skipWithoutServices(services) }, () => {
    const s = services!;
    const opened: ReturnType<typeof createCache>[] = [];
    after(async () => Promise.allSettled(opened.map((c) => (c.isOpen ? c.close() : c.destroy()))));

    it("answers PING over TLS with the token", async () => {
        const { env } = credentialFiles({ REDIS_URL: redisUrl(s) });
        const cache = createCache(env.REDIS_URL_FILE, s.ca, 2000);
        opened.push(cache);
        await cache.connect();
        assert.equal(await cache.ping(), "PONG");
    });

    /** The first error a client reports while it tries to connect. */
    async function firstError(url: string, ca: string): Promise<string> {
        const { env } = credentialFiles({ REDIS_URL: url });
        const cache = createCache(env.REDIS_URL_FILE, ca, 2000);
        opened.push(cache);
        const errors: string[] = [];
        cache.on("error", (error: Error) => errors.push(error.message));
        cache.connect().catch((error: Error) => errors.push(error.message));
        await eventually(async () => errors.length > 0, 5000, "a connection error");
        assert.equal(cache.isReady, false);
        await assert.rejects(cache.ping());
        return errors[0];
    }

    it("refuses a server whose certificate another CA signed", async () => {
        assert.match(await firstError(redisUrl(s), s.wrongCa), /self[- ]signed certificate|unable to (get local issuer|verify)/);
    });

    it("is refused with a wrong AUTH token", async () => {
        assert.match(await firstError(redisUrl(s, s.redis.port, "not-the-token"), s.ca), /WRONGPASS|invalid username-password/);
    });

    it("reports both dependencies through one readiness check", async () => {
        const deps = new Dependencies(testSettings(s, credentialFiles({ DATABASE_URL: databaseUrl(s), REDIS_URL: redisUrl(s) }).env));
        try {
            await deps.connect();
            const checks = await deps.check();
            assert.deepEqual(
                checks.map((c) => [c.name, c.ok]),
                [
                    ["postgres", true],
                    ["redis", true],
                ],
            );
            assert.match(checks[0].detail, /^TLSv1\.[23] /);
        } finally {
            await deps.close();
        }
    });
});
