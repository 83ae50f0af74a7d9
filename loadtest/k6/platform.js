// The platform's load test: a constant arrival rate of HTTPS GETs to one application host, through the
// WAF and the ALB, with thresholds on errors, latency and the rate actually sustained. Every number comes
// from the environment, which .github/workflows/load-test.yml fills from the stack config
// (loadTest.targetRps, loadTest.p95Ms, loadTest.maxErrorRate; tools/loadTestEnv.ts):
//   LOAD_TEST_HOST          host to load (one of the stack's application hosts)
//   LOAD_TEST_PATH          path and query to request (default "/")
//   LOAD_TEST_DURATION      how long to hold the rate, a k6 duration such as "5m" (default "5m")
//   LOAD_TEST_TARGET_RPS    requests per second
//   LOAD_TEST_P95_MS        95th-percentile latency budget, milliseconds
//   LOAD_TEST_MAX_ERROR_RATE  largest fraction of failed requests (status >= 400 or no answer)
//   LOAD_TEST_SUMMARY       where the JSON summary goes (default "summary.json")
// Run by hand: k6 run -e LOAD_TEST_HOST=app.dev.example.com -e LOAD_TEST_TARGET_RPS=50 ... loadtest/k6/platform.js
import http from "k6/http";
import { check } from "k6";
import { Counter } from "k6/metrics";

function required(name) {
    const value = __ENV[name];
    if (value === undefined || value === "") {
        throw new Error(`${name} is not set: the load test takes its target from the stack config (tools/loadTestEnv.ts)`);
    }
    return value;
}

/** A setting with a default; the workflow passes an empty input as "", which means the default too. */
function optional(name, fallback) {
    const value = __ENV[name];
    return value === undefined || value === "" ? fallback : value;
}

function positiveNumber(name) {
    const value = Number(required(name));
    if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`${name} is ${JSON.stringify(__ENV[name])}; expected a positive number`);
    }
    return value;
}

const host = required("LOAD_TEST_HOST");
const path = optional("LOAD_TEST_PATH", "/");
const duration = optional("LOAD_TEST_DURATION", "5m");
const targetRps = positiveNumber("LOAD_TEST_TARGET_RPS");
const p95Ms = positiveNumber("LOAD_TEST_P95_MS");
const maxErrorRate = Number(required("LOAD_TEST_MAX_ERROR_RATE"));
if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
    throw new Error(`LOAD_TEST_MAX_ERROR_RATE is ${JSON.stringify(__ENV.LOAD_TEST_MAX_ERROR_RATE)}; expected a fraction from 0 to 1`);
}
const summaryFile = optional("LOAD_TEST_SUMMARY", "summary.json");

// Enough virtual users to keep the rate when every request takes twice the latency budget.
const preAllocatedVUs = Math.max(10, Math.ceil(((targetRps * p95Ms) / 1000) * 2));

/** Requests the WAF's per-IP rate rule answered with 429 (they also count as failures). */
const rateLimited = new Counter("waf_rate_limited");

export const options = {
    scenarios: {
        platform: {
            executor: "constant-arrival-rate",
            rate: targetRps,
            timeUnit: "1s",
            duration,
            preAllocatedVUs,
            maxVUs: preAllocatedVUs * 4,
        },
    },
    thresholds: {
        http_req_failed: [`rate<=${maxErrorRate}`],
        http_req_duration: [`p(95)<${p95Ms}`],
        // The target was really held: at least 95% of the requested rate was sent.
        http_reqs: [`rate>=${targetRps * 0.95}`],
    },
    summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
    discardResponseBodies: true,
    userAgent: "platform-load-test/1 (k6)",
};

export default function () {
    const response = http.get(`https://${host}${path}`, { tags: { name: path } });
    if (response.status === 429) {
        rateLimited.add(1);
    }
    check(response, { "status below 400": (r) => r.status > 0 && r.status < 400 });
}

/** The summary: JSON to the artifact file, a few lines to the log. */
export function handleSummary(data) {
    const metric = (name, stat) => (data.metrics[name] === undefined ? 0 : (data.metrics[name].values[stat] ?? 0));
    const lines = [
        `load test of https://${host}${path}: target ${targetRps} rps for ${duration}`,
        `sent ${metric("http_reqs", "count")} requests, ${metric("http_reqs", "rate").toFixed(1)} rps`,
        `p95 ${metric("http_req_duration", "p(95)").toFixed(1)} ms (budget ${p95Ms} ms)`,
        `failed ${(metric("http_req_failed", "rate") * 100).toFixed(3)}% (budget ${(maxErrorRate * 100).toFixed(3)}%), WAF rate-limited ${metric("waf_rate_limited", "count")}`,
    ];
    return { [summaryFile]: JSON.stringify(data, null, 2), stdout: `${lines.join("\n")}\n` };
}
