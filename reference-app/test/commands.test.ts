/**
 * The image's commands as the platform runs them (a child process with the pod's environment and the
 * mounted credential files): `migrate` (the migrations Job) creates the schema once however often and
 * however concurrently it runs, `check` (npm run verify's data check) passes or names what failed,
 * `serve` shuts down cleanly on SIGTERM, and bad settings exit 2.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import { describe, it } from "node:test";
import pg from "pg";
import { loadMigrations, migrate } from "../src/migrate";
import { createPool } from "../src/postgres";
import { credentialFiles, databaseUrl, eventually, freePort, redisUrl, skipWithoutServices, testServices, type TestServices } from "./helpers";

const services = testServices();
const MAIN = path.resolve(__dirname, "../src/main.js");

function run(args: string[], env: Record<string, string>) {
    const result = spawnSync(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 30_000 });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("bad usage", () => {
    it("exits 2 naming the variable, its value and what is valid", () => {
        const bad = run(["check"], { PORT: "http" });
        assert.equal(bad.code, 2);
        assert.match(bad.out, /settings: PORT="http" is not a port; expected a whole number from 1 to 65535/);
        const unknown = run(["seed"], {});
        assert.equal(unknown.code, 2);
        assert.match(unknown.out, /usage: main\.js \[serve\|migrate\|check\]/);
    });
});

describe("the commands", { skip: skipWithoutServices(services) }, () => {
    const s = services as TestServices;
    const both = () => credentialFiles({ DATABASE_URL: databaseUrl(s), REDIS_URL: redisUrl(s) }).env;
    const tlsEnv = { DATABASE_CA_FILE: s?.ca, REDIS_CA_FILE: s?.ca } as Record<string, string>;

    async function withPool<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
        const pool = createPool(credentialFiles({ DATABASE_URL: databaseUrl(s) }).env.DATABASE_URL_FILE, s.ca, 2000);
        try {
            return await fn(pool);
        } finally {
            await pool.end();
        }
    }
    const resetSchema = () => withPool((pool) => pool.query("DROP TABLE IF EXISTS notes, schema_migrations"));
    const tables = () =>
        withPool(async (pool) =>
            (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t),
        );

    it("migrate creates the schema, and a second run changes nothing", async () => {
        await resetSchema();
        const first = run(["migrate"], { ...both(), ...tlsEnv });
        assert.equal(first.code, 0, first.out);
        assert.match(first.out, /migrate: applied 001_notes/);
        assert.deepEqual(await tables(), ["notes", "schema_migrations"]);
        const again = run(["migrate"], { ...both(), ...tlsEnv });
        assert.equal(again.code, 0, again.out);
        assert.match(again.out, /migrate: the schema is up to date/);
        const versions = await withPool(async (pool) => (await pool.query<{ version: string }>("SELECT version FROM schema_migrations")).rows);
        assert.deepEqual(versions, [{ version: "001_notes" }]);
    });

    it("concurrent migrations apply each file once (the advisory lock), and an edited migration is refused", async () => {
        await resetSchema();
        const applied = await withPool((pool) => Promise.all([migrate(pool), migrate(pool), migrate(pool)]));
        assert.deepEqual(applied.flat(), ["001_notes"]);
        const [original] = loadMigrations();
        await assert.rejects(
            withPool((pool) => migrate(pool, [{ ...original, checksum: "0".repeat(64) }])),
            /migration 001_notes was applied with other content .* add a new migration instead of editing it/,
        );
    });

    it("check passes over TLS with the mounted credentials, and fails naming Postgres when its CA is another", () => {
        const ok = run(["check"], { ...both(), ...tlsEnv });
        assert.equal(ok.code, 0, ok.out);
        assert.match(ok.out, /ok {3}postgres \(verify-full\): TLSv1\.[23] /);
        assert.match(ok.out, /ok {3}redis \(TLS, AUTH\): PONG over TLS/);
        assert.match(ok.out, /check passed: postgres and redis\n$/);
        const refused = run(["check"], { ...both(), ...tlsEnv, DATABASE_CA_FILE: s.wrongCa });
        assert.equal(refused.code, 1, refused.out);
        assert.match(refused.out, /FAIL postgres \(verify-full\): .*(self[- ]signed|unable to verify)/);
        assert.match(refused.out, /check failed: postgres\n$/);
    });

    it("serve becomes ready, then drains and exits 0 on SIGTERM", async () => {
        const port = await freePort();
        const child = spawn(process.execPath, [MAIN, "serve"], {
            env: { PATH: process.env.PATH ?? "", ...both(), ...tlsEnv, PORT: String(port), SHUTDOWN_TIMEOUT_MS: "5000" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr.on("data", (c: Buffer) => (output += c.toString()));
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        try {
            await eventually(
                async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200,
                10_000,
                `readiness of the served process (${output})`,
            );
            // A client that keeps its connection open (as the ALB does) does not hold the shutdown up.
            const agent = new http.Agent({ keepAlive: true });
            await new Promise<void>((resolve, reject) =>
                http.get(`http://127.0.0.1:${port}/healthz`, { agent }, (res) => res.resume().on("end", resolve)).on("error", reject),
            );
            const stopping = Date.now();
            child.kill("SIGTERM");
            assert.equal(await exited, 0, output);
            assert.ok(Date.now() - stopping < 3000, `exited ${Date.now() - stopping} ms after SIGTERM with a keep-alive connection open`);
            agent.destroy();
            assert.match(output, /listening on :\d+ \(metrics :\d+\/metrics, traces off\)/);
            assert.match(output, /SIGTERM: draining/);
        } finally {
            child.kill("SIGKILL");
        }
    });
});
