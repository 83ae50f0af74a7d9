/**
 * The server against the real services: readiness fails while Redis is stopped and recovers when it is
 * back, `/metrics` carries the request-duration histogram the platform's alerts query, and a request's
 * trace reaches an OTLP/HTTP receiver with the data tier's spans under the server span.
 */
import * as assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Dependencies } from "../src/dependencies";
import { createMetrics } from "../src/metrics";
import { migrate } from "../src/migrate";
import { startServer, type AppServer } from "../src/server";
import { startTracing, tracingEnabled } from "../src/tracing";
import {
    credentialFiles,
    databaseUrl,
    eventually,
    freePort,
    OtlpReceiver,
    OwnRedis,
    redisUrl,
    skipWithoutServices,
    testServices,
    testSettings,
} from "./helpers";

const services = testServices();

const urlOf = (server: { address(): AddressInfo | string | null }, path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

describe("tracing settings", () => {
    it("exports only when an OTLP endpoint is set, and honours OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER", () => {
        assert.equal(tracingEnabled({}), false);
        assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }), true);
        assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }), true);
        assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" }), false);
        assert.equal(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" }), false);
    });
});

describe("the server", { skip: skipWithoutServices(services) }, () => {
    const s = services!;
    let redis: OwnRedis;
    let deps: Dependencies;
    let app: AppServer;
    const metrics = createMetrics(false);
    const receiver = new OtlpReceiver();
    let tracing: ReturnType<typeof startTracing>;

    before(async () => {
        const endpoint = await receiver.start();
        // The SDK reads the standard variables from the process environment, as in a pod.
        Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: "refapp-test" });
        tracing = startTracing("9.9.9");
        redis = new OwnRedis(s, await freePort());
        await redis.start();
        const { env } = credentialFiles({ DATABASE_URL: databaseUrl(s), REDIS_URL: redisUrl(s, redis.port) });
        const settings = testSettings(s, { ...env, HTTP_BASE_PATH: "/api", PORT: String(await freePort()), METRICS_PORT: String(await freePort()) });
        deps = new Dependencies(settings);
        deps.start();
        await migrate(deps.pool!);
        app = await startServer(settings, deps, metrics);
    });

    after(async () => {
        await app?.close();
        await deps?.close();
        await redis?.stop();
        await tracing?.shutdown();
        await receiver.stop();
        delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
        delete process.env.OTEL_SERVICE_NAME;
    });

    const readiness = async () => fetch(urlOf(app.server, "/api/readyz"));

    it("is live and ready under its base path once Postgres and Redis answer", async () => {
        assert.equal((await fetch(urlOf(app.server, "/api/healthz"))).status, 200);
        await eventually(async () => (await readiness()).status === 200, 10_000, "readiness");
        assert.equal((await fetch(urlOf(app.server, "/readyz"))).status, 404, "routes live under HTTP_BASE_PATH only");
    });

    it("fails readiness while Redis is stopped, stays live, and is ready again when Redis is back", async () => {
        await eventually(async () => (await readiness()).status === 200, 10_000, "readiness before the outage");
        await redis.stop();
        await eventually(async () => (await readiness()).status === 503, 10_000, "readiness failing");
        const down = (await (await readiness()).json()) as { checks: { name: string; ok: boolean }[] };
        assert.deepEqual(
            down.checks.map((c) => [c.name, c.ok]),
            [
                ["postgres", true],
                ["redis", false],
            ],
        );
        assert.equal((await fetch(urlOf(app.server, "/api/healthz"))).status, 200, "liveness does not depend on Redis");
        await redis.start();
        await eventually(async () => (await readiness()).status === 200, 15_000, "readiness after Redis came back");
    });

    it("serves notes from Postgres, then from the Redis cache until a new note invalidates it", async () => {
        const post = await fetch(urlOf(app.server, "/api/notes"), { method: "POST", body: JSON.stringify({ body: "hello" }) });
        assert.equal(post.status, 201);
        const first = (await (await fetch(urlOf(app.server, "/api/notes"))).json()) as { cached: boolean; notes: { body: string }[] };
        const second = (await (await fetch(urlOf(app.server, "/api/notes"))).json()) as { cached: boolean; notes: { body: string }[] };
        assert.equal(first.cached, false);
        assert.equal(second.cached, true);
        assert.equal(second.notes[0].body, "hello");
        assert.equal((await fetch(urlOf(app.server, "/api/notes"), { method: "POST", body: "{}" })).status, 400);
    });

    it("exposes http_requests_total and the http_request_duration_seconds histogram on the metrics port, by route template", async () => {
        await fetch(urlOf(app.server, "/api/no-such-route/123"));
        const text = await (await fetch(urlOf(app.metricsServer!, "/metrics"))).text();
        assert.match(text, /# TYPE http_request_duration_seconds histogram/);
        assert.match(text, /http_request_duration_seconds_bucket\{le="0\.3",method="GET",route="\/api\/healthz",code="200"\} [1-9]/);
        assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/api\/readyz",code="503"\} [1-9]/);
        assert.match(text, /http_requests_total\{method="POST",route="\/api\/notes",code="201"\} [1-9]/);
        assert.match(text, /http_requests_total\{method="GET",route="unmatched",code="404"\} [1-9]/);
        assert.doesNotMatch(text, /no-such-route/, "raw paths never become label values");
        assert.equal((await fetch(urlOf(app.server, "/metrics"))).status, 404, "metrics are not on the public port");
    });

    it("exports a request's trace over OTLP/HTTP: the server span continues the caller's traceparent, the data tier's spans are its children", async () => {
        const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        const res = await fetch(urlOf(app.server, "/api/notes"), {
            method: "POST",
            body: JSON.stringify({ body: "traced" }),
            headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        });
        assert.equal(res.status, 201);
        await tracing.flush();
        await eventually(async () => receiver.spans.some((sp) => sp.traceId === traceId && sp.name === "POST /api/notes"), 5000, "the server span");
        const spans = receiver.spans.filter((sp) => sp.traceId === traceId);
        const server = spans.find((sp) => sp.name === "POST /api/notes")!;
        assert.equal(server.parentSpanId, "00f067aa0ba902b7");
        assert.equal(server.kind, 2, "SPAN_KIND_SERVER");
        assert.equal(server.attributes["http.response.status_code"], 201);
        assert.equal(server.attributes["http.route"], "/api/notes");
        assert.equal(server.resource["service.name"], "refapp-test", "OTEL_SERVICE_NAME names the service");
        const insert = spans.find((sp) => sp.name === "INSERT notes")!;
        assert.equal(insert.parentSpanId, server.spanId);
        assert.equal(insert.attributes["db.system.name"], "postgresql");
        assert.ok(
            receiver.paths.every((p) => p.startsWith("POST /v1/traces application/json")),
            receiver.paths.join(", "),
        );
    });
});
