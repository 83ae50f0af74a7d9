/**
 * The k6 load test (k6 cannot be installed here): the script parses as an ES module, imports only k6's
 * built-in modules, and evaluated with stubbed k6 modules its options take the rate, latency and error
 * budgets from the environment that tools/loadTestEnv.ts fills from the stack config.
 */
import { expect } from "chai";
import { buildSync, transformSync } from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../tools/loadTestEnv";
import { resolve } from "../config/resolve";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "loadtest/k6/platform.js");
/** k6's built-in modules (k6 documentation, "JavaScript API"). */
const K6_MODULES = [
    "k6",
    "k6/http",
    "k6/metrics",
    "k6/execution",
    "k6/crypto",
    "k6/encoding",
    "k6/data",
    "k6/html",
    "k6/ws",
    "k6/net/grpc",
    "k6/timers",
    "k6/secrets",
];

interface Script {
    options: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> };
    default: () => void;
    handleSummary: (data: unknown) => Record<string, string>;
}

/** Runs the script as k6 would load it, with stub k6 modules; returns its exports and what it requested. */
function load(env: Record<string, string>, status = 200): { script: Script; requests: string[]; counted: number[] } {
    const requests: string[] = [];
    const counted: number[] = [];
    const stubs: Record<string, unknown> = {
        // esbuild gives a CommonJS module without __esModule as the default import, as k6 does.
        "k6/http": { get: (url: string) => (requests.push(url), { status }) },
        k6: { check: () => true },
        "k6/metrics": {
            Counter: class {
                add(n: number) {
                    counted.push(n);
                }
            },
        },
    };
    const { code } = transformSync(fs.readFileSync(SCRIPT, "utf8"), { format: "cjs", loader: "js", target: "es2020" });
    const module = { exports: {} as Script };
    new Function("require", "module", "exports", "__ENV", code)((name: string) => stubs[name], module, module.exports, env);
    return { script: module.exports, requests, counted };
}

const ENV = { LOAD_TEST_HOST: "app.dev.example.com", LOAD_TEST_TARGET_RPS: "1000", LOAD_TEST_P95_MS: "300", LOAD_TEST_MAX_ERROR_RATE: "0.01" };

describe("delivery: the k6 load test", () => {
    it("is an ES module that imports only k6's built-in modules", () => {
        const result = buildSync({
            entryPoints: [SCRIPT],
            bundle: true,
            format: "esm",
            platform: "neutral",
            external: ["k6", "k6/*"],
            write: false,
            metafile: true,
            logLevel: "silent",
        });
        const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
        expect(imports.length).to.be.greaterThan(0);
        for (const name of imports) {
            expect(K6_MODULES, name).to.include(name);
        }
        expect(Object.keys(result.metafile.inputs), "no local or remote modules bundled in").to.deep.equal(["loadtest/k6/platform.js"]);
    });

    it("its thresholds and rate are the config's: errors, p95 latency, and at least 95% of the target rate held", () => {
        const { script } = load({
            ...ENV,
            LOAD_TEST_TARGET_RPS: "1200",
            LOAD_TEST_P95_MS: "250",
            LOAD_TEST_MAX_ERROR_RATE: "0.001",
            LOAD_TEST_DURATION: "10m",
        });
        expect(script.options.thresholds).to.deep.equal({ http_req_failed: ["rate<=0.001"], http_req_duration: ["p(95)<250"], http_reqs: ["rate>=1140"] });
        expect(script.options.scenarios.platform).to.deep.include({ executor: "constant-arrival-rate", rate: 1200, timeUnit: "1s", duration: "10m" });
    });

    it("the stack config's values reach the script through tools/loadTestEnv.ts", () => {
        const lines: string[] = [];
        expect(
            main(
                ["--stack", "dev"],
                () => resolve("dev"),
                (s) => lines.push(s),
            ),
        ).to.equal(0);
        const env = Object.fromEntries(
            lines
                .join("\n")
                .split("\n")
                .map((l) => l.split("=") as [string, string]),
        );
        const config = resolve("dev").loadTest;
        expect(env).to.deep.equal({
            LOAD_TEST_HOST: "app.dev.example.com",
            LOAD_TEST_TARGET_RPS: String(config.targetRps),
            LOAD_TEST_P95_MS: String(config.p95Ms),
            LOAD_TEST_MAX_ERROR_RATE: String(config.maxErrorRate),
        });
        const { script } = load(env);
        expect(script.options.thresholds.http_req_duration).to.deep.equal([`p(95)<${config.p95Ms}`]);
        expect(script.options.thresholds.http_req_failed).to.deep.equal([`rate<=${config.maxErrorRate}`]);
    });

    it("loadTestEnv refuses a host that is not the stack's, on stderr with exit 2", () => {
        const [out, err]: [string[], string[]] = [[], []];
        expect(
            main(
                ["--stack", "dev", "--host", "example.org"],
                () => resolve("dev"),
                (s) => out.push(s),
                (s) => err.push(s),
            ),
        ).to.equal(2);
        expect(out).to.deep.equal([]);
        expect(err).to.deep.equal(["--host example.org is not an application host of stack dev; expected one of: app.dev.example.com"]);
    });

    it("refuses to run without its settings, naming the missing one", () => {
        const { LOAD_TEST_P95_MS: _dropped, ...rest } = ENV;
        expect(() => load(rest)).to.throw("LOAD_TEST_P95_MS is not set: the load test takes its target from the stack config (tools/loadTestEnv.ts)");
        expect(() => load({ ...ENV, LOAD_TEST_MAX_ERROR_RATE: "5" })).to.throw('LOAD_TEST_MAX_ERROR_RATE is "5"; expected a fraction from 0 to 1');
    });

    it("requests the host over HTTPS, counts WAF rate limiting, and writes the JSON summary where the workflow uploads it", () => {
        const { script, requests, counted } = load({ ...ENV, LOAD_TEST_PATH: "/api/health", LOAD_TEST_SUMMARY: "out.json" }, 429);
        script.default();
        expect(requests).to.deep.equal(["https://app.dev.example.com/api/health"]);
        expect(counted).to.deep.equal([1]);
        const data = {
            metrics: {
                http_reqs: { values: { count: 10, rate: 990 } },
                http_req_duration: { values: { "p(95)": 120 } },
                http_req_failed: { values: { rate: 0 } },
            },
        };
        const files = script.handleSummary(data);
        expect(Object.keys(files)).to.deep.equal(["out.json", "stdout"]);
        expect(JSON.parse(files["out.json"])).to.deep.equal(data);
        expect(files.stdout).to.include("p95 120.0 ms (budget 300 ms)");
    });
});
