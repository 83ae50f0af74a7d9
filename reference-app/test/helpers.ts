/**
 * What the tests share: the services test/services.sh started (or the reason they are skipped), the
 * credential files the platform would mount, a Redis server of a test's own, and an OTLP/HTTP receiver.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { loadSettings, type Settings } from "../src/settings";

/** services.json of test/services.sh. */
export interface TestServices {
    readonly postgres: { host: string; port: number; database: string; user: string; password: string };
    readonly redis: { host: string; port: number; password: string };
    readonly ca: string;
    readonly wrongCa: string;
    readonly serverCert: string;
    readonly serverKey: string;
    readonly redisServer: string;
}

/** Where test/services.sh keeps its files. */
export const SERVICES_DIR = process.env.REFERENCE_APP_SERVICES_DIR ?? path.join(os.tmpdir(), "reference-app-services");

/**
 * The running services; undefined (the caller skips) when test/services.sh has not started them. Under
 * CI=true their absence is an error: .ci/run starts them, so a skip there would hide a broken setup.
 */
export function testServices(): TestServices | undefined {
    const file = path.join(SERVICES_DIR, "services.json");
    if (!fs.existsSync(file)) {
        if (process.env.CI === "true") {
            throw new Error(`CI=true but ${file} does not exist: .ci/run must run test/services.sh start before the tests`);
        }
        return undefined;
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as TestServices;
}

/** The `skip` option of a suite that needs the services. */
export function skipWithoutServices(services: TestServices | undefined): string | false {
    return services === undefined ? `no test services (run test/services.sh start; they need Debian's postgresql and redis-server)` : false;
}

/** The database URL as components/apps/credentials.ts writes it (sslmode=require, which the app upgrades). */
export function databaseUrl(s: TestServices, overrides: { host?: string; password?: string } = {}): string {
    const p = s.postgres;
    return `postgres://${encodeURIComponent(p.user)}:${encodeURIComponent(overrides.password ?? p.password)}@${overrides.host ?? p.host}:${p.port}/${p.database}?sslmode=require`;
}

/** The Redis URL as the platform writes it. */
export function redisUrl(s: TestServices, port = s.redis.port, password = s.redis.password): string {
    return `rediss://:${encodeURIComponent(password)}@${s.redis.host}:${port}`;
}

/** A directory with DATABASE_URL and REDIS_URL files, like the mounted credentials Secret. */
export function credentialFiles(files: { DATABASE_URL?: string; REDIS_URL?: string }): { dir: string; env: Record<string, string> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refapp-credentials-"));
    const env: Record<string, string> = { APP_FILES_DIR: dir };
    for (const [key, value] of Object.entries(files)) {
        if (value !== undefined) {
            fs.writeFileSync(path.join(dir, key), value, { mode: 0o440 });
            env[`${key}_FILE`] = path.join(dir, key);
        }
    }
    return { dir, env };
}

/** Settings for the test's credentials, with the test CA in place of the image's RDS bundle. */
export function testSettings(s: TestServices, env: Record<string, string>): Settings {
    return loadSettings({ PORT: "0", METRICS_PORT: "0", DATABASE_CA_FILE: s.ca, REDIS_CA_FILE: s.ca, DEPENDENCY_TIMEOUT_MS: "1000", ...env });
}

/** A free loopback TCP port. */
export async function freePort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** A Redis server of the test's own (same binary, certificates and token as the shared one), to stop and start. */
export class OwnRedis {
    private process?: ChildProcess;
    constructor(
        private readonly s: TestServices,
        readonly port: number,
    ) {}

    async start(): Promise<void> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "refapp-redis-"));
        const args = ["--port", "0", "--bind", "127.0.0.1", "--tls-port", String(this.port), "--tls-cert-file", this.s.serverCert];
        args.push("--tls-key-file", this.s.serverKey, "--tls-ca-cert-file", this.s.ca, "--tls-auth-clients", "no");
        args.push("--requirepass", this.s.redis.password, "--save", "", "--appendonly", "no", "--dir", dir);
        const child = spawn(this.s.redisServer, args, { stdio: ["ignore", "pipe", "inherit"] });
        this.process = child;
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("redis-server did not start within 10 s")), 10_000);
            child.stdout!.on("data", (chunk: Buffer) => {
                if (chunk.toString().includes("Ready to accept connections")) {
                    clearTimeout(timer);
                    resolve();
                }
            });
            child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
        });
        child.stdout!.resume();
    }

    async stop(): Promise<void> {
        const child = this.process;
        if (child === undefined || child.exitCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
        });
        this.process = undefined;
    }
}

/** One span as the OTLP/HTTP JSON encoding carries it. */
export interface ReceivedSpan {
    readonly traceId: string;
    readonly spanId: string;
    readonly parentSpanId?: string;
    readonly name: string;
    readonly kind: number;
    readonly attributes: Record<string, unknown>;
    readonly resource: Record<string, unknown>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const valueOf = (v: OtlpValue): unknown => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const attributesOf = (list: { key: string; value: OtlpValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** An OTLP/HTTP trace receiver on loopback that keeps every span it is sent. */
export class OtlpReceiver {
    readonly spans: ReceivedSpan[] = [];
    readonly paths: string[] = [];
    private readonly server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            this.paths.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
                resourceSpans: { resource: { attributes: [] }; scopeSpans: { spans: (ReceivedSpan & { attributes: [] })[] }[] }[];
            };
            for (const rs of body.resourceSpans) {
                const resource = attributesOf(rs.resource.attributes);
                for (const ss of rs.scopeSpans) {
                    for (const span of ss.spans) {
                        this.spans.push({ ...span, attributes: attributesOf(span.attributes), resource });
                    }
                }
            }
            res.writeHead(200, { "content-type": "application/json" });
            res.end("{}");
        });
    });

    /** Starts listening; returns the base URL (the value of OTEL_EXPORTER_OTLP_ENDPOINT). */
    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}

/** Polls `condition` every 100 ms until it holds or `ms` pass. */
export async function eventually(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        if (await condition()) {
            return;
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what} did not happen within ${ms} ms`);
}
