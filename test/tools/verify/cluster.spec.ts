/**
 * The in-cluster checks against a fake Kubernetes API: the check Job copies the application's Deployment
 * (rendered by the program's own workload specs) and is restricted; data, backup and Let's Encrypt
 * checks pass and fail as the cluster's state says.
 */
import { expect } from "chai";
import { appLabels, deploymentSpec } from "../../../components/apps/workload";
import { PRIORITY_CLASSES } from "../../../components/priorities";
import type { ApplicationConfig, BackupSchedule } from "../../../config";
import { backupChecks, checkJob, clusterDefaults, dataChecks, letsEncryptCheck, type Clock, type DeploymentObject } from "../../../tools/verify/cluster";
import { previousFire } from "../../../tools/verify/cron";
import { resolve } from "../../config/resolve";
import { fakeKube, type FakeKube } from "./fakeKube";

const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app@sha256:${"a".repeat(64)}`;
const dev = resolve("dev");
const api = dev.apps.find((a) => a.name === "api")!;
const web = dev.apps.find((a) => a.name === "web")!;

/** The Deployment as the program renders it (the API returns the same spec). */
function deploymentOf(app: ApplicationConfig): DeploymentObject {
    const spec = deploymentSpec(
        { app, serviceAccountName: app.name, secretName: `${app.name}-credentials`, environment: "dev", namespace: `app-${app.name}` },
        { "platform/credentials-checksum": "x" },
    );
    return { metadata: { name: app.name, namespace: `app-${app.name}` }, spec } as unknown as DeploymentObject;
}

/** A clock that advances when slept on. */
function fakeClock(start = new Date("2026-12-03T12:00:00Z")): Clock & { slept: number } {
    let t = start.getTime();
    const clock = { slept: 0, now: () => new Date(t), sleep: async (ms: number) => void ((t += ms), clock.slept++) };
    return clock;
}

describe("tools/verify: the check Job", () => {
    const deployment = deploymentOf(api);
    const job = checkJob(deployment, "api", IMAGE, "run1") as {
        metadata: { name: string; namespace: string; labels: Record<string, string> };
        spec: Record<string, unknown> & {
            template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
        };
    };
    const pod = job.spec.template.spec;
    const server = deployment.spec.template.spec.containers[0];

    it("uses the app's own service account, token mount, credentials volumes, mounts and environment, exactly as its Deployment", () => {
        const template = deployment.spec.template.spec;
        expect(pod.serviceAccountName).to.equal("api");
        expect(pod.automountServiceAccountToken).to.equal(template.automountServiceAccountToken);
        expect(pod.volumes).to.deep.equal(template.volumes);
        expect(pod.securityContext).to.deep.equal(template.securityContext);
        const [container] = pod.containers;
        expect(container.volumeMounts).to.deep.equal(server.volumeMounts);
        expect(container.env).to.deep.equal(server.env);
        expect(container.env).to.deep.include({ name: "DATABASE_URL_FILE", value: "/var/run/secrets/platform/DATABASE_URL" });
        expect(container.env).to.deep.include({ name: "REDIS_URL_FILE", value: "/var/run/secrets/platform/REDIS_URL" });
        expect(container.resources).to.deep.equal(server.resources);
    });

    it("runs the reference image's check, restricted, short-lived, at the applications priority, never as a server", () => {
        const [container] = pod.containers;
        expect(container.image).to.equal(IMAGE);
        expect(container.args).to.deep.equal(["check"]);
        expect(container).to.not.have.any.keys("ports", "readinessProbe", "livenessProbe", "startupProbe", "lifecycle", "command");
        expect(container.securityContext).to.deep.equal({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(pod.priorityClassName).to.equal(PRIORITY_CLASSES.applications.name);
        expect(pod.restartPolicy).to.equal("Never");
        expect(job.spec.backoffLimit).to.equal(0);
        expect(job.spec.activeDeadlineSeconds).to.equal(clusterDefaults.jobDeadlineSeconds);
        expect(job.spec.ttlSecondsAfterFinished).to.equal(clusterDefaults.jobTtlSeconds);
        expect(job.metadata).to.deep.include({ name: "verify-api-run1", namespace: "app-api" });
        // The egress policy selects the app's name; the Service and the PDB select the server component only.
        expect(job.spec.template.metadata.labels["app.kubernetes.io/name"]).to.equal("api");
        expect(job.spec.template.metadata.labels["app.kubernetes.io/component"]).to.not.equal(appLabels("api", "server")["app.kubernetes.io/component"]);
    });

    it("is a valid batch/v1 Job", async () => {
        const { Job } = await import("kubernetes-models/batch/v1/Job");
        expect(() => new Job(job as never).validate()).to.not.throw();
    });
});

describe("tools/verify: data checks", () => {
    const namespaces = { api: "app-api", web: "app-web" };
    const jobPath = "/apis/batch/v1/namespaces/app-api/jobs/verify-api-run1";
    const withJob = (status: Record<string, unknown>, log: string): FakeKube => {
        const kube = fakeKube((fake, path) => {
            if (path === "/apis/batch/v1/namespaces/app-api/jobs") {
                let polls = 0;
                // Running for two polls, then the given status.
                fake.objects.set(jobPath, () => (++polls > 2 ? { status } : { status: { active: 1 } }));
            }
        });
        kube.objects.set("/apis/apps/v1/namespaces/app-api/deployments/api", deploymentOf(api));
        kube.objects.set(`/api/v1/namespaces/app-api/pods?labelSelector=${encodeURIComponent("job-name=verify-api-run1")}`, {
            items: [{ metadata: { name: "verify-api-run1-x" } }],
        });
        kube.logs.set("/api/v1/namespaces/app-api/pods/verify-api-run1-x/log?container=check&tailLines=20", `${log}\n`);
        return kube;
    };

    it("passes when the Job succeeds, shows its JSON line and deletes the Job; skips an app without data", async () => {
        const kube = withJob({ succeeded: 1 }, '{"postgres":"ok","redis":"PONG"}');
        const results = await dataChecks(kube, fakeClock(), { apps: [api, web], namespaces, image: IMAGE, runId: "run1" });
        expect(results).to.deep.equal([
            {
                name: "data api",
                status: "pass",
                detail: 'Job app-api/verify-api-run1 reached Postgres (verify-full) and Redis (TLS, AUTH) with the app\'s credentials: {"postgres":"ok","redis":"PONG"}',
            },
            { name: "data web", status: "skip", detail: "uses neither Postgres nor Redis" },
        ]);
        expect(kube.created.map((c) => c.path)).to.deep.equal(["/apis/batch/v1/namespaces/app-api/jobs"]);
        expect(kube.removed).to.deep.equal([jobPath]);
    });

    it("fails when the Job fails, with the check's last line, and keeps the Job for inspection", async () => {
        const kube = withJob(
            { failed: 1, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] },
            '{"postgres":"certificate verify failed"}',
        );
        const [result] = await dataChecks(kube, fakeClock(), { apps: [api], namespaces, image: IMAGE, runId: "run1" });
        expect(result.status).to.equal("fail");
        expect(result.detail).to.equal(
            'Job app-api/verify-api-run1 failed (BackoffLimitExceeded; kept an hour for kubectl describe/logs): {"postgres":"certificate verify failed"}',
        );
        expect(kube.removed).to.deep.equal([]);
    });

    it("fails when the Job never finishes, and when the Deployment is missing", async () => {
        const kube = withJob({ active: 1 }, "");
        const [stuck] = await dataChecks(kube, fakeClock(), { apps: [api], namespaces, image: IMAGE, runId: "run1" });
        expect(stuck.detail).to.equal(`Job app-api/verify-api-run1 did not finish within ${clusterDefaults.jobDeadlineSeconds + 30} s`);
        const [missing] = await dataChecks(fakeKube(), fakeClock(), { apps: [api], namespaces, image: IMAGE, runId: "run1" });
        expect(missing).to.deep.equal({ name: "data api", status: "fail", detail: "GET /apis/apps/v1/namespaces/app-api/deployments/api: 404 not found" });
    });

    it("skips, saying how to fix it, when no reference image is known", async () => {
        const [result] = await dataChecks(fakeKube(), fakeClock(), { apps: [api], namespaces, runId: "run1" });
        expect(result.status).to.equal("skip");
        expect(result.detail).to.match(/^no reference image: pass --check-image/);
    });
});

describe("tools/verify: Velero backups", () => {
    const daily: BackupSchedule = { name: "daily", schedule: "0 3 * * *", ttlDays: 7, namespaces: [] };
    const base = "/apis/velero.io/v1/namespaces/velero";
    const backupsPath = `${base}/backups?labelSelector=${encodeURIComponent("velero.io/schedule-name=velero-daily")}`;
    const backup = (name: string, phase: string, start: string) => ({
        metadata: { name },
        status: { phase, startTimestamp: start, completionTimestamp: start },
    });
    const cluster = (backups: unknown[], created = "2026-11-01T00:00:00Z"): FakeKube => {
        const kube = fakeKube();
        kube.objects.set(`${base}/schedules/velero-daily`, { metadata: { name: "velero-daily", creationTimestamp: created } });
        kube.objects.set(backupsPath, { items: backups });
        return kube;
    };
    // 12:00 UTC: the 03:00 run is due (more than the grace period ago).
    const clock = () => fakeClock(new Date("2026-12-03T12:00:00Z"));

    it("passes when the last Completed backup is the one of the last due run", async () => {
        const [result] = await backupChecks(
            cluster([
                backup("velero-daily-20261202030000", "Completed", "2026-12-02T03:00:04Z"),
                backup("velero-daily-20261203030000", "Completed", "2026-12-03T03:00:05Z"),
            ]),
            clock(),
            [daily],
        );
        expect(result.status).to.equal("pass");
        expect(result.detail).to.match(
            /^velero-daily-20261203030000 Completed at 2026-12-03T03:00:05Z, within the schedule \(0 3 \* \* \* UTC, due run 2026-12-03T03:00:00\.000Z\)$/,
        );
    });

    it("fails a stale backup: the last due run did not complete", async () => {
        const [result] = await backupChecks(
            cluster([
                backup("velero-daily-20261202030000", "Completed", "2026-12-02T03:00:04Z"),
                backup("velero-daily-20261203030000", "PartiallyFailed", "2026-12-03T03:00:05Z"),
            ]),
            clock(),
            [daily],
        );
        expect(result.status).to.equal("fail");
        expect(result.detail).to.equal(
            "stale: the last Completed backup velero-daily-20261202030000 started at 2026-12-02T03:00:04.000Z, before the run due at 2026-12-03T03:00:00.000Z (0 3 * * * UTC); the latest, velero-daily-20261203030000, is PartiallyFailed",
        );
    });

    it("fails when no backup ever completed, and when the Schedule is missing", async () => {
        const [none] = await backupChecks(cluster([backup("velero-daily-20261203030000", "Failed", "2026-12-03T03:00:05Z")]), clock(), [daily]);
        expect(none.detail).to.equal("no Completed backup (1 backups, latest velero-daily-20261203030000 Failed)");
        const [missing] = await backupChecks(fakeKube(), clock(), [daily]);
        expect(missing).to.deep.include({ name: "backup velero-daily", status: "fail" });
    });

    it("skips a schedule created after its last due run (a new stack)", async () => {
        const [result] = await backupChecks(cluster([], "2026-12-03T10:00:00Z"), clock(), [daily]);
        expect(result.status).to.equal("skip");
        expect(result.detail).to.match(
            /^not due yet: the Schedule was created at 2026-12-03T10:00:00\.000Z, after its last due run at 2026-12-03T03:00:00\.000Z/,
        );
    });

    it("within the grace period after a run, the previous run is the one due", async () => {
        const early = fakeClock(new Date("2026-12-03T03:30:00Z"));
        const [result] = await backupChecks(cluster([backup("velero-daily-20261202030000", "Completed", "2026-12-02T03:00:04Z")]), early, [daily]);
        expect(result.status).to.equal("pass");
    });
});

describe("tools/verify: cron evaluation", () => {
    const at = new Date("2026-12-03T12:34:56Z");
    const cases: [string, string][] = [
        ["0 3 * * *", "2026-12-03T03:00:00.000Z"],
        ["15 */6 * * *", "2026-12-03T12:15:00.000Z"],
        ["45 2 * * *", "2026-12-03T02:45:00.000Z"],
        ["@hourly", "2026-12-03T12:00:00.000Z"],
        ["@weekly", "2026-11-29T00:00:00.000Z"],
        ["0 0 1 jan *", "2026-01-01T00:00:00.000Z"],
        ["30 4 * * mon-fri", "2026-12-03T04:30:00.000Z"],
        // Both day fields restricted: either matches (the 1st, or a Sunday).
        ["0 0 1 * sun", "2026-12-01T00:00:00.000Z"],
    ];
    for (const [expression, expected] of cases) {
        it(`${expression} last fired at ${expected}`, () => {
            expect(previousFire(expression, at).toISOString()).to.equal(expected);
        });
    }
    it("every schedule of both stacks evaluates", () => {
        for (const stack of ["dev", "prod"] as const) {
            for (const s of resolve(stack).velero.schedules) {
                expect(previousFire(s.schedule, at).getTime(), `${stack} ${s.name}`).to.be.lessThanOrEqual(at.getTime());
            }
        }
    });
});

describe("tools/verify: Let's Encrypt", () => {
    const ready = { status: { conditions: [{ type: "Ready", status: "True" }] } };
    const issuers = (fake: FakeKube, stagingReady = true) => {
        fake.objects.set(
            "/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging",
            stagingReady ? ready : { status: { conditions: [{ type: "Ready", status: "False", message: "ACME account not registered" }] } },
        );
        fake.objects.set("/apis/cert-manager.io/v1/clusterissuers/letsencrypt-production", ready);
    };
    const certs = "/apis/cert-manager.io/v1/namespaces/cert-manager/certificates";

    it("skips a stack without edge.domain", async () => {
        expect(await letsEncryptCheck(fakeKube(), fakeClock(), undefined, "r1")).to.deep.equal([
            { name: "letsencrypt", status: "skip", detail: "the stack has no edge.domain: only the internal issuers exist" },
        ]);
    });

    it("passes on a Ready Certificate of a Let's Encrypt ClusterIssuer", async () => {
        const kube = fakeKube();
        issuers(kube);
        kube.objects.set("/apis/cert-manager.io/v1/certificates", {
            items: [
                { metadata: { name: "site", namespace: "app-web" }, spec: { issuerRef: { name: "letsencrypt-production", kind: "ClusterIssuer" } }, ...ready },
            ],
        });
        const [result] = await letsEncryptCheck(kube, fakeClock(), "dev.example.com", "r1");
        expect(result).to.deep.equal({ name: "letsencrypt", status: "pass", detail: "Certificate app-web/site of letsencrypt-production is Ready" });
        expect(kube.created).to.deep.equal([]);
    });

    it("without one, issues a staging test certificate, then deletes it and its Secret", async () => {
        const kube = fakeKube((fake, path, body) => {
            const name = (body.metadata as { name: string }).name;
            let polls = 0;
            fake.objects.set(`${path}/${name}`, () => (++polls > 3 ? ready : { status: { conditions: [{ type: "Ready", status: "False" }] } }));
        });
        issuers(kube);
        kube.objects.set("/apis/cert-manager.io/v1/certificates", { items: [] });
        const [result] = await letsEncryptCheck(kube, fakeClock(), "dev.example.com", "r1");
        expect(result.status).to.equal("pass");
        expect(result.detail).to.equal("letsencrypt-staging issued a test certificate for verify-r1.dev.example.com (DNS-01), then deleted");
        const created = kube.created[0].body as { spec: { dnsNames: string[]; issuerRef: unknown } };
        expect(kube.created[0].path).to.equal(certs);
        expect(created.spec.issuerRef).to.deep.equal({ name: "letsencrypt-staging", kind: "ClusterIssuer", group: "cert-manager.io" });
        expect(kube.removed).to.deep.equal([`${certs}/verify-r1`, "/api/v1/namespaces/cert-manager/secrets/verify-r1-tls"]);
        const { Certificate } = await import("@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate");
        expect(() => new Certificate(kube.created[0].body as never).validate()).to.not.throw();
    });

    it("fails when the test certificate is not issued in time (and still cleans up), or an issuer is not Ready", async () => {
        const kube = fakeKube((fake, path, body) =>
            fake.objects.set(`${path}/${(body.metadata as { name: string }).name}`, {
                status: { conditions: [{ type: "Ready", status: "False", message: "Issuing certificate as Secret does not exist" }] },
            }),
        );
        issuers(kube);
        kube.objects.set("/apis/cert-manager.io/v1/certificates", { items: [] });
        const [late] = await letsEncryptCheck(kube, fakeClock(), "dev.example.com", "r1");
        expect(late.status).to.equal("fail");
        expect(late.detail).to.match(
            /^the test certificate verify-r1\.dev\.example\.com was not issued within 10 min: Issuing certificate as Secret does not exist/,
        );
        expect(kube.removed).to.have.length(2);
        const broken = fakeKube();
        issuers(broken, false);
        const [issuer] = await letsEncryptCheck(broken, fakeClock(), "dev.example.com", "r1");
        expect(issuer.detail).to.equal("ClusterIssuer letsencrypt-staging is not Ready: ACME account not registered");
    });
});
