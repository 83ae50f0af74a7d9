/**
 * The commands of the image (ENTRYPOINT node dist/src/main.js, CMD serve):
 * - `serve`: the HTTP server until SIGTERM/SIGINT, then a graceful shutdown;
 * - `migrate`: the migrations (the platform's migrations Job);
 * - `check`: one connection to each configured dependency, Postgres with verify-full and Redis PING over
 *   TLS with AUTH, one line each (`npm run verify`'s in-cluster data check, tools/verify/cluster.ts).
 * Exit codes: 0 done, 1 a dependency or migration failed, 2 bad usage or settings.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Dependencies } from "./dependencies";
import { createMetrics } from "./metrics";
import { migrate } from "./migrate";
import { startServer } from "./server";
import { loadSettings, SettingsError, type Settings } from "./settings";
import { startTracing } from "./tracing";

/** The commands. */
export const COMMANDS = ["serve", "migrate", "check"] as const;

/** The application's version (its package.json). */
export function appVersion(): string {
    const file = path.resolve(__dirname, "../../package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

async function check(settings: Settings): Promise<number> {
    if (settings.databaseUrlFile === undefined && settings.redisUrlFile === undefined) {
        console.log("check: neither DATABASE_URL_FILE nor REDIS_URL_FILE is set; nothing to check");
        return 1;
    }
    const deps = new Dependencies(settings);
    try {
        await deps.connect().catch(() => undefined);
        const results = await deps.check();
        for (const r of results) {
            console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name === "postgres" ? "postgres (verify-full)" : "redis (TLS, AUTH)"}: ${r.detail}`);
        }
        const failed = results.filter((r) => !r.ok).map((r) => r.name);
        console.log(failed.length === 0 ? `check passed: ${results.map((r) => r.name).join(" and ")}` : `check failed: ${failed.join(", ")}`);
        return failed.length === 0 ? 0 : 1;
    } finally {
        await deps.close();
    }
}

async function runMigrations(settings: Settings): Promise<number> {
    if (settings.databaseUrlFile === undefined) {
        console.error("migrate: DATABASE_URL_FILE is not set; expected the file the platform mounts (database: true)");
        return 2;
    }
    const deps = new Dependencies({ ...settings, redisUrlFile: undefined });
    try {
        const applied = await migrate(deps.pool!);
        console.log(applied.length === 0 ? "migrate: the schema is up to date" : `migrate: applied ${applied.join(", ")}`);
        return 0;
    } catch (error) {
        console.error(`migrate: ${(error as Error).message}`);
        return 1;
    } finally {
        await deps.close();
    }
}

async function serve(settings: Settings): Promise<number> {
    const version = appVersion();
    const tracing = startTracing(version);
    const deps = new Dependencies(settings);
    deps.start();
    const app = await startServer(settings, deps, createMetrics());
    console.log(
        `reference-app ${version} listening on :${settings.port}${settings.basePath} (metrics :${settings.metricsPort}/metrics, traces ${tracing.enabled ? "on" : "off"})`,
    );
    await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
            console.log(`${signal}: draining`);
            resolve();
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
    });
    app.drain();
    const forced = setTimeout(() => {
        console.error(`shutdown took longer than ${settings.shutdownTimeoutMs} ms; exiting`);
        process.exit(1);
    }, settings.shutdownTimeoutMs);
    forced.unref();
    await app.close();
    await Promise.allSettled([deps.close(), tracing.shutdown()]);
    return 0;
}

/** Runs one command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
    const command = argv[0] ?? "serve";
    if (!(COMMANDS as readonly string[]).includes(command) || argv.length > 1) {
        console.error(`usage: main.js [${COMMANDS.join("|")}] (got ${JSON.stringify(argv.join(" "))})`);
        return 2;
    }
    let settings: Settings;
    try {
        settings = loadSettings();
    } catch (error) {
        if (error instanceof SettingsError) {
            console.error(`settings: ${error.message}`);
            return 2;
        }
        throw error;
    }
    try {
        return await (command === "serve" ? serve(settings) : command === "migrate" ? runMigrations(settings) : check(settings));
    } catch (error) {
        console.error(`${command}: ${(error as Error).message}`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
