/**
 * The checks inside the cluster: per application, a short-lived restricted Job that runs the reference
 * application's `check` (Postgres with verify-full, Redis PING over TLS with AUTH) with the application's
 * own service account and mounted credentials, copied from its Deployment; the last Velero backup of
 * each schedule completed within the schedule; Let's Encrypt issues certificates when the stack uses it.
 * The API goes through {@link KubeClient}; time through {@link Clock}.
 */
import type { ApplicationConfig, BackupSchedule } from "../../config";
import { CERT_MANAGER } from "../../components/addons/certManager";
import { CLUSTER_ISSUERS } from "../../components/addons/clusterIssuers";
import { VELERO } from "../../components/addons/velero";
import { appNamespace } from "../../components/apps/application";
import { PRIORITY_CLASSES } from "../../components/priorities";
import { previousFire } from "./cron";
import type { KubeClient } from "./kube";
import { fail, guarded, pass, skip, type CheckResult } from "./report";

/** Time, injectable so tests run at once. */
export interface Clock {
    now(): Date;
    sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const realClock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Limits of the in-cluster checks. */
export const clusterDefaults = {
    /** Seconds the check Job may run (Kubernetes kills it after). */
    jobDeadlineSeconds: 180,
    /** Seconds a finished check Job stays for inspection before Kubernetes deletes it. */
    jobTtlSeconds: 3600,
    /** Seconds between polls of a Job or Certificate. */
    pollSeconds: 3,
    /** Minutes a scheduled backup may take before verification expects it Completed. */
    backupGraceMinutes: 120,
    /** Minutes a test certificate may take to be issued (DNS-01: usually one to three). */
    certificateMinutes: 10,
} as const;

/** The subcommand of the reference image that checks the data tier (reference-app/, lane "refapp"). */
export const CHECK_ARGS = ["check"] as const;

type Obj = Record<string, unknown>;
/** A container, as much of it as the Job copies. */
interface Container {
    name: string;
    image?: string;
    env?: Obj[];
    envFrom?: Obj[];
    volumeMounts?: Obj[];
    resources?: Obj;
    securityContext?: Obj;
    [key: string]: unknown;
}
/** A Deployment, as much of it as the Job copies. */
export interface DeploymentObject {
    metadata: { name: string; namespace: string };
    spec: {
        template: {
            spec: {
                serviceAccountName?: string;
                automountServiceAccountToken?: boolean;
                securityContext?: Obj;
                containers: Container[];
                volumes?: Obj[];
                imagePullSecrets?: Obj[];
                nodeSelector?: Obj;
                tolerations?: Obj[];
                [key: string]: unknown;
            };
        };
    };
}

/** The labels of a check Job's pod: the application's name (so its egress policy applies), never the server's component (so no Service selects it). */
export function checkLabels(app: string): Record<string, string> {
    return { "app.kubernetes.io/name": app, "app.kubernetes.io/component": "verify", "app.kubernetes.io/part-of": "platform-apps" };
}

/**
 * The check Job of an application, from its live Deployment: the same service account, token mount,
 * pod and container security contexts, credentials volumes and mounts, environment and resources; the
 * reference image running `check` in place of the server; no probes or ports; priority `applications`,
 * no retries, a deadline, and deleted by Kubernetes an hour after it finishes.
 */
export function checkJob(deployment: DeploymentObject, appName: string, image: string, suffix: string): Obj {
    const pod = deployment.spec.template.spec;
    const server = pod.containers.find((c) => c.name === appName) ?? pod.containers[0];
    const container: Container = {
        name: "check",
        image,
        args: [...CHECK_ARGS],
        ...(server.env !== undefined ? { env: server.env } : {}),
        ...(server.envFrom !== undefined ? { envFrom: server.envFrom } : {}),
        ...(server.volumeMounts !== undefined ? { volumeMounts: server.volumeMounts } : {}),
        ...(server.resources !== undefined ? { resources: server.resources } : {}),
        ...(server.securityContext !== undefined ? { securityContext: server.securityContext } : {}),
    };
    const copied = [
        "serviceAccountName",
        "automountServiceAccountToken",
        "securityContext",
        "volumes",
        "imagePullSecrets",
        "nodeSelector",
        "tolerations",
    ] as const;
    const labels = checkLabels(appName);
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: `verify-${appName}-${suffix}`.slice(0, 63).replace(/-+$/, ""), namespace: deployment.metadata.namespace, labels },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: clusterDefaults.jobDeadlineSeconds,
            ttlSecondsAfterFinished: clusterDefaults.jobTtlSeconds,
            template: {
                metadata: { labels },
                spec: {
                    ...Object.fromEntries(copied.filter((k) => pod[k] !== undefined).map((k) => [k, pod[k]])),
                    priorityClassName: PRIORITY_CLASSES.applications.name,
                    restartPolicy: "Never",
                    containers: [container],
                },
            },
        },
    };
}

interface JobStatus {
    status?: { succeeded?: number; failed?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** The last line of a pod's log, or a note why there is none. */
async function lastLogLine(kube: KubeClient, namespace: string, jobName: string): Promise<string> {
    try {
        const pods = await kube.get<{ items: { metadata: { name: string } }[] }>(
            `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`job-name=${jobName}`)}`,
        );
        const pod = pods.items[0];
        if (pod === undefined) {
            return "(no pod: see kubectl describe job)";
        }
        const log = await kube.text(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log?container=check&tailLines=20`);
        return log.trim().split("\n").pop() ?? "(empty log)";
    } catch (error) {
        return `(no log: ${(error as Error).message})`;
    }
}

/** What the data checks need. */
export interface DataCheckInputs {
    readonly apps: readonly ApplicationConfig[];
    /** Application name to namespace (the `applicationNamespaces` output). */
    readonly namespaces: Readonly<Record<string, string>>;
    /** The reference application's image; undefined: every data check is skipped, saying so. */
    readonly image?: string;
    /** Unique per run: the Jobs' name suffix. */
    readonly runId: string;
}

async function dataCheck(kube: KubeClient, clock: Clock, inputs: DataCheckInputs, app: ApplicationConfig): Promise<CheckResult> {
    const name = `data ${app.name}`;
    const uses = [app.database ? "Postgres (verify-full)" : "", app.cache ? "Redis (TLS, AUTH)" : ""].filter((u) => u !== "").join(" and ");
    const namespace = inputs.namespaces[app.name] ?? appNamespace(app.name);
    const deployment = await kube.get<DeploymentObject>(`/apis/apps/v1/namespaces/${namespace}/deployments/${app.name}`);
    const job = checkJob(deployment, app.name, inputs.image as string, inputs.runId) as { metadata: { name: string } };
    const jobName = job.metadata.name;
    await kube.create(`/apis/batch/v1/namespaces/${namespace}/jobs`, job);
    const deadline = clock.now().getTime() + (clusterDefaults.jobDeadlineSeconds + 30) * 1000;
    while (clock.now().getTime() < deadline) {
        const { status } = await kube.get<JobStatus>(`/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`);
        const failed = status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
        if ((status?.succeeded ?? 0) > 0) {
            const line = await lastLogLine(kube, namespace, jobName);
            await kube.remove(`/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`);
            return pass(name, `Job ${namespace}/${jobName} reached ${uses} with the app's credentials: ${line}`);
        }
        if (failed !== undefined || (status?.failed ?? 0) > 0) {
            const line = await lastLogLine(kube, namespace, jobName);
            return fail(name, `Job ${namespace}/${jobName} failed (${failed?.reason ?? "pod failed"}; kept an hour for kubectl describe/logs): ${line}`);
        }
        await clock.sleep(clusterDefaults.pollSeconds * 1000);
    }
    return fail(name, `Job ${namespace}/${jobName} did not finish within ${clusterDefaults.jobDeadlineSeconds + 30} s`);
}

/**
 * One result per application. Apps that use neither Postgres nor Redis are skipped. Apps with their own
 * image are checked with the reference image and their credentials: what is checked is the platform's
 * promise to the app (its Secret, service account, egress policy, the endpoints' TLS), which an image
 * without a `check` command cannot show; the app's own readiness covers its image.
 */
export async function dataChecks(kube: KubeClient, clock: Clock, inputs: DataCheckInputs): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const app of inputs.apps) {
        const name = `data ${app.name}`;
        if (!app.database && !app.cache) {
            results.push(skip(name, "uses neither Postgres nor Redis"));
        } else if (inputs.image === undefined) {
            results.push(skip(name, "no reference image: pass --check-image <repository@sha256:...> (or deploy a stack with the referenceAppImage output)"));
        } else {
            results.push(...(await guarded(name, () => dataCheck(kube, clock, inputs, app))));
        }
    }
    return results;
}

interface Timestamped {
    metadata: { name: string; creationTimestamp?: string };
    status?: { phase?: string; startTimestamp?: string; completionTimestamp?: string };
}

/** Velero's name of a configured schedule (the chart prefixes the release's full name). */
export const veleroScheduleName = (schedule: BackupSchedule): string => `${VELERO.releaseName}-${schedule.name}`;

async function backupCheck(kube: KubeClient, now: Date, schedule: BackupSchedule, graceMinutes: number): Promise<CheckResult> {
    const scheduleName = veleroScheduleName(schedule);
    const name = `backup ${scheduleName}`;
    const base = `/apis/velero.io/v1/namespaces/${VELERO.namespace}`;
    const object = await kube.get<Timestamped>(`${base}/schedules/${scheduleName}`);
    const due = previousFire(schedule.schedule, new Date(now.getTime() - graceMinutes * 60_000));
    const created = Date.parse(object.metadata.creationTimestamp ?? "");
    if (created > due.getTime()) {
        return skip(
            name,
            `not due yet: the Schedule was created at ${new Date(created).toISOString()}, after its last due run at ${due.toISOString()} (plus ${graceMinutes} min to finish)`,
        );
    }
    const { items } = await kube.get<{ items: Timestamped[] }>(
        `${base}/backups?labelSelector=${encodeURIComponent(`velero.io/schedule-name=${scheduleName}`)}`,
    );
    // A backup without timestamps sorts last.
    const started = (b: Timestamped) => {
        const t = Date.parse(b.status?.startTimestamp ?? b.metadata.creationTimestamp ?? "");
        return Number.isNaN(t) ? 0 : t;
    };
    const completed = items.filter((b) => b.status?.phase === "Completed").sort((a, b) => started(b) - started(a));
    const latest = [...items].sort((a, b) => started(b) - started(a))[0];
    if (completed.length === 0) {
        return fail(
            name,
            `no Completed backup (${items.length} backups${latest ? `, latest ${latest.metadata.name} ${latest.status?.phase ?? "without phase"}` : ""})`,
        );
    }
    const last = completed[0];
    if (started(last) < due.getTime()) {
        return fail(
            name,
            `stale: the last Completed backup ${last.metadata.name} started at ${new Date(started(last)).toISOString()}, before the run due at ${due.toISOString()} (${schedule.schedule} UTC)${
                latest !== last ? `; the latest, ${latest.metadata.name}, is ${latest.status?.phase ?? "without phase"}` : ""
            }`,
        );
    }
    return pass(
        name,
        `${last.metadata.name} Completed at ${last.status?.completionTimestamp ?? "?"}, within the schedule (${schedule.schedule} UTC, due run ${due.toISOString()})`,
    );
}

/** One result per configured Velero schedule. */
export async function backupChecks(
    kube: KubeClient,
    clock: Clock,
    schedules: readonly BackupSchedule[],
    graceMinutes: number = clusterDefaults.backupGraceMinutes,
): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const schedule of schedules) {
        results.push(...(await guarded(`backup ${veleroScheduleName(schedule)}`, () => backupCheck(kube, clock.now(), schedule, graceMinutes))));
    }
    return results;
}

interface CertificateObject {
    metadata: { name: string; namespace: string };
    spec: { issuerRef: { name: string; kind?: string } };
    status?: { conditions?: { type: string; status: string; message?: string }[] };
}

const isReady = (o: { status?: { conditions?: { type: string; status: string }[] } }) =>
    o.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const LETS_ENCRYPT = [CLUSTER_ISSUERS.letsEncryptStaging, CLUSTER_ISSUERS.letsEncryptProduction] as const;

/**
 * Let's Encrypt, for a stack with `edge.domain`: both ACME ClusterIssuers Ready, and a certificate
 * issued through one. A Ready Certificate of either issuer proves it; without one, a staging certificate
 * for `verify-<run>.<domain>` is issued (as docs/runbooks/post-deploy-checks.md does by hand) and deleted
 * with its Secret.
 */
export async function letsEncryptCheck(kube: KubeClient, clock: Clock, domain: string | undefined, runId: string): Promise<CheckResult[]> {
    const name = "letsencrypt";
    if (domain === undefined) {
        return [skip(name, "the stack has no edge.domain: only the internal issuers exist")];
    }
    return guarded(name, async () => {
        for (const issuer of LETS_ENCRYPT) {
            const object = await kube.get<CertificateObject>(`/apis/cert-manager.io/v1/clusterissuers/${issuer}`);
            if (!isReady(object)) {
                return fail(
                    name,
                    `ClusterIssuer ${issuer} is not Ready: ${object.status?.conditions?.find((c) => c.type === "Ready")?.message ?? "no Ready condition"}`,
                );
            }
        }
        const { items } = await kube.get<{ items: CertificateObject[] }>("/apis/cert-manager.io/v1/certificates");
        const issued = items.filter(
            (c) => (c.spec.issuerRef.kind ?? "Issuer") === "ClusterIssuer" && (LETS_ENCRYPT as readonly string[]).includes(c.spec.issuerRef.name),
        );
        const ready = issued.find(isReady);
        if (ready !== undefined) {
            return pass(name, `Certificate ${ready.metadata.namespace}/${ready.metadata.name} of ${ready.spec.issuerRef.name} is Ready`);
        }
        const certName = `verify-${runId}`.slice(0, 52);
        const base = `/apis/cert-manager.io/v1/namespaces/${CERT_MANAGER.namespace}/certificates`;
        await kube.create(base, {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: certName, namespace: CERT_MANAGER.namespace, labels: { "app.kubernetes.io/part-of": "platform-verify" } },
            spec: {
                secretName: `${certName}-tls`,
                dnsNames: [`${certName}.${domain}`],
                privateKey: { algorithm: "ECDSA", size: 256 },
                issuerRef: { name: CLUSTER_ISSUERS.letsEncryptStaging, kind: "ClusterIssuer", group: "cert-manager.io" },
            },
        });
        try {
            const deadline = clock.now().getTime() + clusterDefaults.certificateMinutes * 60_000;
            let last: CertificateObject | undefined;
            while (clock.now().getTime() < deadline) {
                last = await kube.get<CertificateObject>(`${base}/${certName}`);
                if (isReady(last)) {
                    return pass(name, `${CLUSTER_ISSUERS.letsEncryptStaging} issued a test certificate for ${certName}.${domain} (DNS-01), then deleted`);
                }
                await clock.sleep(clusterDefaults.pollSeconds * 1000);
            }
            const reason = last?.status?.conditions?.find((c) => c.type === "Ready")?.message ?? "no Ready condition";
            return fail(
                name,
                `the test certificate ${certName}.${domain} was not issued within ${clusterDefaults.certificateMinutes} min: ${reason} (docs/runbooks/post-deploy-checks.md, section 1)`,
            );
        } finally {
            await kube.remove(`${base}/${certName}`);
            await kube.remove(`/api/v1/namespaces/${CERT_MANAGER.namespace}/secrets/${certName}-tls`);
        }
    });
}
