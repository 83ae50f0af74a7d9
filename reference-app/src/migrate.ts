/**
 * The migration command of the migrations Job (components/apps/application.ts runs it before each
 * rollout): applies `migrations/NNN_name.sql` in order, each once, each in its own transaction, recorded
 * in `schema_migrations`. A session advisory lock serialises concurrent runs, so two Jobs (or a rerun)
 * never apply one file twice. A file already applied whose content changed is refused: migrations are
 * append-only.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type pg from "pg";

/** Where the image keeps the migrations (next to dist/). */
export const MIGRATIONS_DIR = path.resolve(__dirname, "../../migrations");
/** Key of the advisory lock (any constant shared by every run of this application). */
const LOCK_KEY = 727_110_017;

/** One migration file. */
export interface Migration {
    readonly version: string;
    readonly sql: string;
    readonly checksum: string;
}

/** The migrations of a directory, by version (the file name up to `.sql`), in order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
    return fs
        .readdirSync(dir)
        .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
        .sort()
        .map((f) => {
            const sql = fs.readFileSync(path.join(dir, f), "utf8");
            return { version: f.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
        });
}

/** Applies what is not applied yet; returns the versions applied by this run. */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = loadMigrations()): Promise<string[]> {
    const client = await pool.connect();
    try {
        await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
        await client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        );
        const { rows } = await client.query<{ version: string; checksum: string }>("SELECT version, checksum FROM schema_migrations");
        const applied = new Map(rows.map((r) => [r.version, r.checksum]));
        const done: string[] = [];
        for (const m of migrations) {
            const previous = applied.get(m.version);
            if (previous !== undefined) {
                if (previous !== m.checksum) {
                    throw new Error(
                        `migration ${m.version} was applied with other content (checksum ${previous.slice(0, 12)}); add a new migration instead of editing it`,
                    );
                }
                continue;
            }
            await client.query("BEGIN");
            try {
                await client.query(m.sql);
                await client.query("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", [m.version, m.checksum]);
                await client.query("COMMIT");
            } catch (error) {
                await client.query("ROLLBACK");
                throw new Error(`migration ${m.version} failed: ${(error as Error).message}`, { cause: error });
            }
            done.push(m.version);
        }
        return done;
    } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
        client.release();
    }
}
