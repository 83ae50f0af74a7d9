/**
 * The reference application as the platform ships it (reference-app/): its image (bases pinned as in
 * versions.ts, non-root with the platform's UID, the entrypoint the stack files' migration command
 * spells out), the RDS CA bundle it verifies Postgres against, its metrics names against the platform's
 * alerts, and how CI runs its tests. Its behaviour is tested in reference-app/test (npm run check).
 */
import { expect } from "chai";
import { createHash, X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { alertRules } from "../../components/apps/monitoring";
import { workloadDefaults } from "../../components/apps/workload";
import { referenceAppRepositoryName } from "../../components/apps/imageRepository";
import { RDS_CA_BUNDLE, RDS_CA_IDENTIFIERS, REFERENCE_APP_BASE_IMAGES } from "../../versions";
import { resolve } from "../config/resolve";

const ROOT = path.resolve(__dirname, "../..");
const APP = path.join(ROOT, "reference-app");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const dockerfile = read("reference-app/Dockerfile");
/** Dockerfile instructions (comments and continuation lines aside). */
const instructions = dockerfile.split("\n").filter((l) => /^[A-Z]+ /.test(l));

describe("delivery: the reference application", () => {
    it("builds from the two bases of versions.ts, pinned by digest, and runs the distroless one", () => {
        const froms = instructions.filter((l) => l.startsWith("FROM "));
        const { build, runtime } = REFERENCE_APP_BASE_IMAGES;
        expect(froms).to.deep.equal([
            `FROM ${build.repository}:${build.tag}@${build.digest} AS build`,
            `FROM ${runtime.repository}:${runtime.tag}@${runtime.digest}`,
        ]);
        expect(runtime.repository).to.match(/^gcr\.io\/distroless\/nodejs20-/);
        expect(build.tag.split("-")[0], "Node.js 20 builds what Node.js 20 runs").to.equal(runtime.repository.replace(/.*nodejs(\d+)-.*/, "$1"));
    });

    it("runs as the platform's UID, never root, with the entrypoint the stack files' migration command repeats", () => {
        const last = instructions.slice(instructions.findIndex((l) => l.startsWith("FROM gcr.io/distroless")));
        expect(last).to.include(`USER ${workloadDefaults.user}:${workloadDefaults.user}`);
        const entrypoint = JSON.parse(last.find((l) => l.startsWith("ENTRYPOINT "))!.slice("ENTRYPOINT ".length)) as string[];
        expect(entrypoint).to.deep.equal(["/nodejs/bin/node", "/app/dist/src/main.js"]);
        expect(JSON.parse(last.find((l) => l.startsWith("CMD "))!.slice("CMD ".length))).to.deep.equal(["serve"]);
        // tsconfig.build.json compiles src/ under rootDir "." into dist/, so src/main.ts is dist/src/main.js.
        expect(fs.existsSync(path.join(APP, "src/main.ts"))).to.equal(true);
        for (const stack of ["dev", "prod"] as const) {
            const config = resolve(stack);
            const apps = config.apps.filter((a) => a.image.includes(`/${referenceAppRepositoryName(config.namePrefix)}@sha256:`));
            expect(
                apps.map((a) => a.name),
                stack,
            ).to.deep.equal(["api"]);
            for (const app of apps) {
                expect(app.migrationCommand, `${stack} ${app.name}`).to.deep.equal([...entrypoint, "migrate"]);
                expect(app.env.HTTP_BASE_PATH, "the routes live under the ALB path").to.equal(app.paths[0].replace(/\/\*$/, ""));
                expect([app.livenessPath, app.readinessPath]).to.deep.equal([`${app.env.HTTP_BASE_PATH}/healthz`, `${app.env.HTTP_BASE_PATH}/readyz`]);
                expect(app.env.METRICS_PORT).to.equal(String(app.metricsPort));
                expect(app.image, "pinned by digest alone: the repository's tags are labels").to.match(
                    /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[^:@]+@sha256:[a-f0-9]{64}$/,
                );
            }
        }
    });

    it("writes no file, so the platform's read-only root filesystem is all it needs", () => {
        const sources = fs.readdirSync(path.join(APP, "src")).map((f) => read(`reference-app/src/${f}`));
        expect(sources.length).to.be.greaterThan(5);
        for (const source of sources) {
            expect(source).to.not.match(/\b(writeFile|appendFile|createWriteStream|mkdir|mkdtemp|rename|unlink|rm)(Sync)?\(/);
        }
    });

    it("copies into the image exactly the RDS bundle the application reads by default", () => {
        const copy = instructions.find((l) => l.startsWith("COPY certs/"))!;
        const [, source, destination] = copy.split(" ");
        expect(`reference-app/${source}`).to.equal(RDS_CA_BUNDLE.file);
        expect(destination).to.equal("./certs/rds-global-bundle.pem");
        expect(instructions).to.include("WORKDIR /app");
        expect(read("reference-app/src/settings.ts")).to.include('export const IMAGE_RDS_CA_FILE = "/app/certs/rds-global-bundle.pem";');
        expect(read("reference-app/.dockerignore").split("\n")).to.include.members(["node_modules", "dist", "test"]);
    });

    it("ships the pinned RDS global bundle: CA certificates of Amazon RDS, unexpired, with every G1 root of the stacks' regions", () => {
        const pem = read(RDS_CA_BUNDLE.file);
        expect(createHash("sha256").update(pem).digest("hex"), "the bundle changed: update RDS_CA_BUNDLE.sha256 in versions.ts").to.equal(RDS_CA_BUNDLE.sha256);
        const certs = pem.split(/(?<=-----END CERTIFICATE-----)\n?/).filter((c) => c.includes("BEGIN CERTIFICATE"));
        expect(certs.length).to.be.greaterThan(90);
        const parsed = certs.map((c) => new X509Certificate(c));
        const now = Date.now();
        for (const cert of parsed) {
            expect(cert.ca, cert.subject).to.equal(true);
            expect(cert.subject).to.include("OU=Amazon RDS");
            expect(cert.subject).to.match(/^O=Amazon Web Services\\?, Inc\.$/m);
            expect(Date.parse(cert.validTo), `${cert.subject} expired`).to.be.greaterThan(now);
            expect(cert.checkIssued(cert), `${cert.subject} is a self-signed root`).to.equal(true);
        }
        const names = parsed.map((c) => /CN=([^\n]+)/.exec(c.subject)?.[1]);
        // rds-ca-rsa2048-g1 -> "Root CA RSA2048 G1": the CA each instance may be given (versions.ts).
        const kinds = RDS_CA_IDENTIFIERS.map((id) =>
            id.replace(/^rds-ca-(rsa|ecc)(\d+)-g1$/, (_m, a: string, n: string) => `Root CA ${a.toUpperCase()}${n} G1`),
        );
        for (const stack of ["dev", "prod"] as const) {
            const config = resolve(stack);
            for (const region of [config.region, config.backups.replicaRegion].filter((r): r is string => r !== undefined)) {
                for (const kind of kinds) {
                    expect(names, `${stack}: ${region} ${kind}`).to.include(`Amazon RDS ${region} ${kind}`);
                }
            }
        }
    });

    it("exports the metrics the platform's alerts and dashboards query", () => {
        const source = read("reference-app/src/metrics.ts");
        const config = resolve("dev");
        const queried = new Set(alertRules(config.apps[0], "app-api").flatMap((r) => [...r.expr.matchAll(/\b(http_[a-z_]+?)(_bucket)?\{/g)].map((m) => m[1])));
        expect([...queried].sort()).to.deep.equal(["http_request_duration_seconds", "http_requests_total"]);
        for (const name of queried) {
            expect(source, name).to.include(`name: "${name}"`);
        }
        expect(source).to.match(/labelNames = \["method", "route", "code"\]/);
    });

    it("is its own package on the root's Node.js range, with a lock file, outside the root's typecheck and lock", () => {
        const pkg = JSON.parse(read("reference-app/package.json")) as {
            engines: { node: string };
            dependencies: Record<string, string>;
            scripts: Record<string, string>;
        };
        const root = JSON.parse(read("package.json")) as { engines: { node: string }; scripts: Record<string, string> };
        expect(pkg.engines).to.deep.equal(root.engines);
        const lock = JSON.parse(read("reference-app/package-lock.json")) as { packages: Record<string, { version?: string }> };
        for (const [name, range] of Object.entries(pkg.dependencies)) {
            expect(lock.packages[`node_modules/${name}`]?.version, name).to.equal(range, `${name} is pinned exactly`);
        }
        const tsconfig = JSON.parse(read("tsconfig.json")) as { exclude: string[] };
        expect(tsconfig.exclude).to.include("reference-app");
        const rootLock = JSON.parse(read("package-lock.json")) as { packages: Record<string, unknown> };
        expect(Object.keys(rootLock.packages).filter((p) => p.startsWith("reference-app"))).to.deep.equal([]);
        expect(root.scripts.check.split(" && ").pop()).to.equal("npm run reference-app");
        expect(root.scripts["reference-app"]).to.include("npm run --silent check");
    });

    it("CI installs Debian's PostgreSQL and Redis, starts the TLS test services before the README's test command and stops them however it ends", () => {
        const ci = read(".ci/run");
        const lines = ci.split("\n").map((l) => l.trim());
        const at = (pred: (l: string) => boolean) => lines.findIndex(pred);
        const install = at((l) => l.includes("apt-get install") && l.includes("postgresql") && l.includes("redis-server"));
        const trap = at((l) => l === "trap 'bash reference-app/test/services.sh stop' EXIT");
        const start = at((l) => l === "bash reference-app/test/services.sh start");
        const check = at((l) => l === "npm run check");
        const appInstall = at((l) => l === "npm --prefix reference-app ci --no-audit --no-fund");
        expect(
            [install, trap, start, check, appInstall].every((i) => i >= 0),
            ci,
        ).to.equal(true);
        expect(install < trap && trap < start && start < check && appInstall < check).to.equal(true);
        expect(lines[lines.length - 2] ?? lines[lines.length - 1]).to.equal("npm run check");
        const services = read("reference-app/test/services.sh");
        // TLS only: Postgres has no host/hostnossl line and Redis no plain port.
        expect(services).to.include("printf 'local all postgres scram-sha-256\\nhostssl all all 127.0.0.1/32 scram-sha-256\\n'");
        expect(services).to.include("redis-server --port 0 --bind 127.0.0.1 --tls-port");
        expect(services).to.include("--requirepass");
    });
});
