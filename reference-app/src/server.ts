/**
 * The HTTP server: liveness (`<base>/healthz`, the process answers), readiness (`<base>/readyz`, every
 * configured dependency answers within its limit, and the server is not shutting down), a small notes API
 * on Postgres with a Redis cache, and `/metrics` on the metrics port. Every request is counted, timed
 * and traced (a server span, child spans for the data tier).
 */
import * as http from "node:http";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Dependencies } from "./dependencies";
import type { Metrics } from "./metrics";
import type { Settings } from "./settings";
import { extractContext, inSpan, tracer } from "./tracing";

/** Seconds the notes list stays in Redis. */
export const NOTES_CACHE_SECONDS = 30;
const NOTES_KEY = "reference-app:notes:latest";
const MAX_BODY_BYTES = 4096;

type Reply = { status: number; body: unknown };
type Handler = (req: http.IncomingMessage, body: string) => Promise<Reply>;

/** The running servers. */
export interface AppServer {
    readonly server: http.Server;
    /** The metrics server, when metrics have a port of their own. */
    readonly metricsServer?: http.Server;
    /** Fails readiness from now on (SIGTERM), so no new traffic is routed here. */
    drain(): void;
    /** Stops accepting connections and waits for open ones. */
    close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
            throw Object.assign(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`), { status: 413 });
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString("utf8");
}

/** The route table: `METHOD path` (path without the base) to handler. */
function routes(deps: Dependencies, isDraining: () => boolean): Record<string, Handler> {
    const needsDatabase = (): Reply | undefined => (deps.pool === undefined ? { status: 503, body: { error: "no database configured" } } : undefined);
    return {
        "GET /healthz": async () => ({ status: 200, body: { status: "ok" } }),
        "GET /readyz": async () => {
            if (isDraining()) {
                return { status: 503, body: { status: "shutting down" } };
            }
            const checks = await deps.check();
            const ready = checks.every((c) => c.ok);
            return { status: ready ? 200 : 503, body: { status: ready ? "ready" : "not ready", checks } };
        },
        "GET /notes": async () => {
            const missing = needsDatabase();
            if (missing) {
                return missing;
            }
            const cached = deps.cache?.isReady
                ? await inSpan("redis GET", { "db.system.name": "redis", "db.operation.name": "GET" }, () => deps.cache!.get(NOTES_KEY))
                : null;
            if (typeof cached === "string") {
                return { status: 200, body: { notes: JSON.parse(cached) as unknown, cached: true } };
            }
            const { rows } = await inSpan("SELECT notes", { "db.system.name": "postgresql", "db.operation.name": "SELECT" }, () =>
                deps.pool!.query("SELECT id, body, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT 20"),
            );
            if (deps.cache?.isReady) {
                await inSpan("redis SET", { "db.system.name": "redis", "db.operation.name": "SET" }, () =>
                    deps.cache!.set(NOTES_KEY, JSON.stringify(rows), { expiration: { type: "EX", value: NOTES_CACHE_SECONDS } }),
                );
            }
            return { status: 200, body: { notes: rows, cached: false } };
        },
        "POST /notes": async (_req, raw) => {
            const missing = needsDatabase();
            if (missing) {
                return missing;
            }
            let text: unknown;
            try {
                text = (JSON.parse(raw) as { body?: unknown }).body;
            } catch {
                text = undefined;
            }
            if (typeof text !== "string" || text.length < 1 || text.length > 500) {
                return { status: 400, body: { error: 'expected JSON {"body": "<1 to 500 characters>"}' } };
            }
            const { rows } = await inSpan("INSERT notes", { "db.system.name": "postgresql", "db.operation.name": "INSERT" }, () =>
                deps.pool!.query("INSERT INTO notes (body) VALUES ($1) RETURNING id, body, created_at", [text]),
            );
            if (deps.cache?.isReady) {
                await inSpan("redis DEL", { "db.system.name": "redis", "db.operation.name": "DEL" }, () => deps.cache!.del(NOTES_KEY));
            }
            return { status: 201, body: rows[0] };
        },
    };
}

function send(res: http.ServerResponse, status: number, body: unknown, type = "application/json"): void {
    const text = type === "application/json" ? JSON.stringify(body) : String(body);
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
    res.end(text);
}

/** The route path of a request under the base path, or undefined when it is outside it. */
export function localPath(basePath: string, path: string): string | undefined {
    if (basePath === "") {
        return path;
    }
    return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
}

/** Starts the servers on the settings' ports (0: any free port, for tests). */
export async function startServer(settings: Settings, deps: Dependencies, metrics: Metrics): Promise<AppServer> {
    let draining = false;
    const table = routes(deps, () => draining);
    const metricsHandler = async (res: http.ServerResponse) => send(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);

    const handle = (req: http.IncomingMessage, res: http.ServerResponse, sameServerMetrics: boolean) => {
        const start = process.hrtime.bigint();
        const method = req.method ?? "GET";
        const path = (req.url ?? "/").split("?")[0];
        const local = localPath(settings.basePath, path);
        const isMetrics = sameServerMetrics && path === "/metrics" && method === "GET";
        const key = `${method} ${local ?? ""}`;
        const handler = local !== undefined ? table[key] : undefined;
        // The route label is the template, never the raw path, so the metrics' cardinality stays bounded.
        const route = isMetrics ? "/metrics" : handler !== undefined ? `${settings.basePath}${local}` : "unmatched";
        const span = tracer().startSpan(
            `${method} ${route}`,
            { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": path, "http.route": route } },
            extractContext(req.headers),
        );
        if (draining) {
            // Keep-alive connections end with this response, so the server can close while the pod drains.
            res.setHeader("connection", "close");
        }
        res.on("finish", () => {
            const code = String(res.statusCode);
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            metrics.requests.inc({ method, route, code });
            metrics.duration.observe({ method, route, code }, seconds);
            span.setAttribute("http.response.status_code", res.statusCode);
            if (res.statusCode >= 500) {
                span.setStatus({ code: SpanStatusCode.ERROR });
            }
            span.end();
        });
        context.with(trace.setSpan(context.active(), span), async () => {
            try {
                if (isMetrics) {
                    await metricsHandler(res);
                    return;
                }
                if (handler === undefined) {
                    send(res, 404, { error: "not found" });
                    return;
                }
                const reply = await handler(req, method === "POST" ? await readBody(req) : "");
                send(res, reply.status, reply.body);
            } catch (error) {
                const status = (error as { status?: number }).status ?? 500;
                span.recordException(error as Error);
                send(res, status, { error: status === 500 ? "internal error" : (error as Error).message });
                if (status === 500) {
                    console.error(`${method} ${route}: ${(error as Error).message}`);
                }
            }
        });
    };

    const separateMetrics = settings.metricsPort !== settings.port;
    const server = http.createServer((req, res) => handle(req, res, !separateMetrics));
    const metricsServer = separateMetrics
        ? http.createServer((req, res) => {
              if ((req.url ?? "").split("?")[0] === "/metrics" && req.method === "GET") {
                  metricsHandler(res).catch((error: Error) => send(res, 500, { error: error.message }));
              } else {
                  send(res, 404, { error: "not found" });
              }
          })
        : undefined;
    // Longer than the ALB's idle timeout (60 s), so the ALB closes idle connections first, never us mid-request.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(settings.port, resolve));
    if (metricsServer !== undefined) {
        await new Promise<void>((resolve) => metricsServer.listen(settings.metricsPort, resolve));
    }
    // close() waits for open connections; a keep-alive connection that goes idle later is closed at the
    // next tick of the interval rather than at its keep-alive timeout.
    const closeOne = (s: http.Server) =>
        new Promise<void>((resolve) => {
            const idle = setInterval(() => s.closeIdleConnections(), 250);
            s.close(() => {
                clearInterval(idle);
                resolve();
            });
            s.closeIdleConnections();
        });
    return {
        server,
        metricsServer,
        drain: () => {
            draining = true;
        },
        close: async () => {
            draining = true;
            await Promise.all([closeOne(server), ...(metricsServer ? [closeOne(metricsServer)] : [])]);
        },
    };
}
