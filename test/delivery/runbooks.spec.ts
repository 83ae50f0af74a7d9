/**
 * The runbooks: every alert the platform defines (Prometheus rules of the platform and of each
 * application, CloudWatch alarms of the data tier) has its section in docs/runbooks/alerts.md under
 * the anchor its runbook link uses, every runbook the brief names exists, and relative links resolve.
 * A new alert without a runbook section fails here.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PLATFORM_ALERT_NAMES, RUNBOOKS_PATH, runbookUrl } from "../../components/addons/platformAlerts";
import { CERT_MANAGER } from "../../components/addons/certManager";
import { CLUSTER_ISSUERS } from "../../components/addons/clusterIssuers";
import { dataAlarmSpecs } from "../../components/data/alarms";
import { BACKUP_REPLICATION_ALERT } from "../../components/data/databaseBackupReplication";

const ROOT = path.resolve(__dirname, "../..");
const RUNBOOKS = path.join(ROOT, "docs/runbooks");
const read = (file: string): string => fs.readFileSync(path.join(RUNBOOKS, file), "utf8");

/** GitHub's anchor of a Markdown heading: lowercased, punctuation other than - and _ dropped, spaces as -. */
const anchorOf = (heading: string): string =>
    heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");

/** The anchors of every heading of a Markdown file (code blocks skipped). */
function anchors(text: string): string[] {
    const withoutCode = text.replace(/```[\s\S]*?```/g, "");
    return [...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]));
}

/** Every TypeScript file under components/. */
function componentSources(dir = path.join(ROOT, "components")): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? componentSources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

/**
 * The alert names written in the components' source outside the platform list: each application rule is
 * a `rule("Name", …)` call (components/apps/monitoring.ts), and chart values carry `alert: "Name"`.
 */
function applicationAlertNames(): string[] {
    const names = componentSources().flatMap((file) => {
        const source = fs.readFileSync(file, "utf8");
        return [...source.matchAll(/\brule\(\s*"([A-Z][A-Za-z]+)"/g), ...source.matchAll(/\balert: "([A-Z][A-Za-z]+)"/g)].map((m) => m[1]);
    });
    return [...new Set(names)].filter((n) => !(PLATFORM_ALERT_NAMES as readonly string[]).includes(n));
}

/** The data tier's alarm kinds: alarm names with the replica number and cache node suffix taken out. */
function dataAlarmKinds(): string[] {
    const specs = dataAlarmSpecs(
        {
            databaseCpuPercent: 80,
            databaseFreeStoragePercent: 10,
            databaseConnectionsPercent: 80,
            replicaLagSeconds: 60,
            cacheMemoryPercent: 80,
            cacheCpuPercent: 80,
            cacheEvictions: 100,
        },
        {
            databaseIdentifier: "platform-prod-postgres",
            databaseInstanceClass: "db.r6g.large",
            databaseAllocatedStorageGiB: 100,
            replicaIdentifiers: ["platform-prod-postgres-replica-1"],
            cacheClusterIds: ["platform-prod-redis-001"],
        },
    );
    return [...new Set(specs.map((s) => s.name.replace(/^postgres-replica-\d+-/, "postgres-replica-").replace(/^redis-[^-]+-/, "redis-")))];
}

describe("delivery: runbooks", () => {
    const alerts = read("alerts.md");
    const alertAnchors = anchors(alerts);

    it("has the on-call runbooks, each with commands", () => {
        const expected = [
            "README.md",
            "alerts.md",
            "capacity.md",
            "destroy-stack.md",
            "disaster-recovery.md",
            "dns.md",
            "first-deploy.md",
            "game-days.md",
            "post-deploy-checks.md",
            "restore-namespace.md",
            "restore-postgres-pitr.md",
            "rotate-credentials.md",
            "upgrade-charts.md",
            "upgrade-kubernetes.md",
        ];
        expect(fs.readdirSync(RUNBOOKS).sort()).to.deep.equal(expected);
        for (const file of expected) {
            expect(read(file), file).to.match(/```sh\n/);
        }
    });

    it("the platform's alert links point at docs/runbooks/alerts.md", () => {
        expect(RUNBOOKS_PATH).to.equal("docs/runbooks/alerts.md");
        expect(runbookUrl("", "NodeNotReady")).to.equal("docs/runbooks/alerts.md#nodenotready");
    });

    it("every platform alert has a section under its lowercased name", () => {
        expect(PLATFORM_ALERT_NAMES.length).to.be.greaterThan(0);
        for (const alert of PLATFORM_ALERT_NAMES) {
            expect(alertAnchors, alert).to.include(alert.toLowerCase());
        }
    });

    it("every application alert has a section under its lowercased name", () => {
        const names = applicationAlertNames();
        expect(names).to.include.members(["AppHighErrorRate", "VeleroBackupFailing"]);
        for (const alert of names) {
            expect(alertAnchors, alert).to.include(alert.toLowerCase());
        }
    });

    it("every data-tier alarm has a section (replica and node suffixes folded)", () => {
        const kinds = dataAlarmKinds();
        expect(kinds).to.include.members(["postgres-cpu", "postgres-replica-lag", "redis-memory"]);
        for (const kind of kinds) {
            expect(alertAnchors, kind).to.include(kind);
        }
    });

    it("the database's backup-replication event rule has a section under its name", () => {
        expect(alertAnchors).to.include(BACKUP_REPLICATION_ALERT);
    });

    it("has no section for an alert that does not exist", () => {
        const sections = [...alerts.replace(/```[\s\S]*?```/g, "").matchAll(/^### (.+)$/gm)].map((m) => anchorOf(m[1]));
        const known = [
            ...PLATFORM_ALERT_NAMES.map((a) => a.toLowerCase()),
            ...applicationAlertNames().map((a) => a.toLowerCase()),
            ...dataAlarmKinds(),
            BACKUP_REPLICATION_ALERT,
        ];
        expect(sections.filter((s) => !known.includes(s))).to.deep.equal([]);
    });

    it("the post-deploy checks issue a certificate through the program's staging ClusterIssuer, with its real names, and clean up", () => {
        const checks = read("post-deploy-checks.md");
        for (const issuer of Object.values(CLUSTER_ISSUERS)) {
            expect(checks, issuer).to.include(issuer);
        }
        expect(checks).to.include(`issuerRef: { name: ${CLUSTER_ISSUERS.letsEncryptStaging}, kind: ClusterIssuer, group: cert-manager.io }`);
        expect(checks).to.include(`namespace: ${CERT_MANAGER.namespace}`);
        expect(checks).to.include(`get deployment ${CERT_MANAGER.releaseName} `);
        expect(checks).to.include("--dns01-recursive-nameservers-only=true");
        expect(checks).to.include("kubectl -n cert-manager delete certificate post-deploy-check");
        expect(checks).to.include("kubectl -n cert-manager delete secret post-deploy-check-tls");
        expect(read("first-deploy.md")).to.include("(post-deploy-checks.md)");
    });

    it("every relative link between runbooks resolves, anchors included", () => {
        for (const file of fs.readdirSync(RUNBOOKS)) {
            const text = read(file);
            for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^https?:/.test(target)) {
                    continue;
                }
                const [page, anchor] = target.split("#");
                const linked = page === "" ? file : page;
                expect(fs.existsSync(path.join(RUNBOOKS, linked)), `${file} -> ${target}`).to.equal(true);
                if (anchor) {
                    expect(anchors(read(linked)), `${file} -> ${target}`).to.include(anchor);
                }
            }
        }
    });
});
