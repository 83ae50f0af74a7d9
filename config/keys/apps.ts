/**
 * Config keys of the applications the platform runs: `apps` (a list of maps, one per application, each
 * checked field by field) and `appSecrets` (the applications' own secrets, a Pulumi secret).
 */
import { fieldOf, objectList, secretText, show, type NestedProblem, type Parsed } from "../fields";
import { nearest } from "../suggest";

/** One IAM policy statement of an application's own AWS permissions. */
export interface AppPolicyStatement {
    readonly Effect: "Allow" | "Deny";
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
    readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** A destination an application may open connections to, besides DNS and the data tier. */
export interface AppEgress {
    /** IPv4 CIDR. */
    readonly cidr: string;
    /** TCP port. */
    readonly port: number;
}

/** Requests and limits of an application's containers (Kubernetes quantities). */
export interface AppResources {
    readonly cpuRequest: string;
    readonly memoryRequest: string;
    readonly cpuLimit: string;
    readonly memoryLimit: string;
}

/** Thresholds of an application's alerts. */
export interface AppAlerts {
    /** 5xx responses, percent of all responses over 5 minutes. */
    readonly errorRatePercent: number;
    /** 95th percentile latency, milliseconds. */
    readonly latencyP95Ms: number;
    /** Container restarts in an hour. */
    readonly restartsPerHour: number;
    /** CPU use, percent of the CPU limit. */
    readonly cpuPercent: number;
    /** Memory working set, percent of the memory limit. */
    readonly memoryPercent: number;
}

/** One application. */
export interface AppConfig {
    /** DNS-1123 label; the namespace is `app-<name>`. */
    readonly name: string;
    /** Image, pinned to a version tag (not `latest`) or a digest. */
    readonly image: string;
    /** Container port of the HTTP server. */
    readonly port: number;
    /** Port of the Prometheus metrics endpoint. */
    readonly metricsPort: number;
    /** Path of the Prometheus metrics endpoint. */
    readonly metricsPath: string;
    /** Host name on the ALB; undefined: no Ingress (cluster-internal only). */
    readonly host?: string;
    /** ALB path patterns routed to the application. */
    readonly paths: readonly string[];
    /** Fewest replicas (also the Deployment's initial count). */
    readonly minReplicas: number;
    /** Most replicas the autoscaler may run. */
    readonly maxReplicas: number;
    /** Container resources. */
    readonly resources: AppResources;
    /** Liveness (and startup) probe path. */
    readonly livenessPath: string;
    /** Readiness probe path; also the ALB health check. */
    readonly readinessPath: string;
    /** Whether the application gets DATABASE_URL. */
    readonly database: boolean;
    /** Version of the application's database password: a new value replaces the password (bump to rotate). */
    readonly passwordVersion: number;
    /** Whether the application gets REDIS_URL. */
    readonly cache: boolean;
    /** Migration command run as a Job before each rollout; empty: no migrations. */
    readonly migrationCommand: readonly string[];
    /** Plain environment variables. */
    readonly env: Readonly<Record<string, string>>;
    /** IAM statements of the application's own role; empty: no AWS access, no token. */
    readonly awsPolicy: readonly AppPolicyStatement[];
    /** Extra egress destinations. */
    readonly egress: readonly AppEgress[];
    /** ALB stickiness (websocket applications). */
    readonly stickySessions: boolean;
    /** Alert thresholds. */
    readonly alerts: AppAlerts;
}

/** Defaults of every optional field of an application. */
export const APP_DEFAULTS = {
    metricsPath: "/metrics",
    paths: ["/*"],
    minReplicas: 2,
    maxReplicas: 6,
    resources: { cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi" },
    livenessPath: "/healthz",
    readinessPath: "/readyz",
    passwordVersion: 1,
    alerts: { errorRatePercent: 1, latencyP95Ms: 500, restartsPerHour: 3, cpuPercent: 80, memoryPercent: 85 },
} as const;

const FIELDS = [
    "name",
    "image",
    "port",
    "metricsPort",
    "metricsPath",
    "host",
    "paths",
    "replicas",
    "resources",
    "probes",
    "database",
    "passwordVersion",
    "cache",
    "migrationCommand",
    "env",
    "awsPolicy",
    "egress",
    "stickySessions",
    "alerts",
];
/** DNS-1123 label, short enough for `app-<name>` and the `-migrations` suffixes. */
const NAME = /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/;
/** `registry/repository:tag` and/or `@sha256:<64 hex>`. */
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
/** What the ALB accepts in a path pattern (case-sensitive, up to 128 characters, * and ? wildcards). */
const PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&=;%*?]{0,127}$/;
const HOST = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY_CPU = /^(\d+m|\d+(\.\d+)?)$/;
const QUANTITY_MEMORY = /^\d+(Ki|Mi|Gi)$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** Variables the platform sets itself: the credentials' files, the port, and the OpenTelemetry SDK's settings (components/apps/workload.ts). */
export const RESERVED_ENV = [
    "DATABASE_URL_FILE",
    "REDIS_URL_FILE",
    "PORT",
    "APP_FILES_DIR",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "POD_NAME",
    "POD_UID",
];

/**
 * The ECR repository of the stack's reference application (components/apps/imageRepository.ts makes it):
 * `<namePrefix>-reference-app`, such as `platform-dev-reference-app`.
 */
export function referenceAppRepositoryName(namePrefix: string): string {
    return `${namePrefix}-reference-app`;
}

/** Image reference pinned to a version: a digest, or a tag other than `latest`. */
export function imageProblem(image: unknown): string | undefined {
    if (typeof image !== "string" || !IMAGE.test(image)) {
        return `image ${show(image)}; expected an image reference such as "public.ecr.aws/org/app:1.2.3" or "...@sha256:<64 hex digits>"`;
    }
    const [name, digest] = image.split("@");
    const last = name.slice(name.lastIndexOf("/") + 1);
    const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : undefined;
    if (digest === undefined && (tag === undefined || tag === "latest")) {
        return `the unpinned image ${show(image)}; expected a version tag other than latest, or a digest (@sha256:...)`;
    }
    return undefined;
}

/** Millicores of a CPU quantity such as "250m" or "1" (the forms the resources check accepts). */
export function cpuToMillis(q: string): number {
    return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

/** MiB of a memory quantity such as "256Mi" or "1Gi" (the forms the resources check accepts). */
export function memoryToMi(q: string): number {
    const n = Number(q.slice(0, -2));
    return q.endsWith("Gi") ? n * 1024 : q.endsWith("Mi") ? n : n / 1024;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function port(v: unknown, min = 1024): number | undefined {
    return typeof v === "number" && Number.isInteger(v) && v >= min && v <= 65535 ? v : undefined;
}

function percent(v: unknown, max: number): number | undefined {
    return typeof v === "number" && v > 0 && v <= max ? v : undefined;
}

function parseResources(raw: unknown): AppResources | string {
    if (raw === undefined) {
        return APP_DEFAULTS.resources;
    }
    const r = isRecord(raw) ? { ...APP_DEFAULTS.resources, ...raw } : undefined;
    if (
        r === undefined ||
        Object.keys(raw as object).some((k) => !(k in APP_DEFAULTS.resources)) ||
        !QUANTITY_CPU.test(String(r.cpuRequest)) ||
        !QUANTITY_CPU.test(String(r.cpuLimit)) ||
        !QUANTITY_MEMORY.test(String(r.memoryRequest)) ||
        !QUANTITY_MEMORY.test(String(r.memoryLimit))
    ) {
        return `resources ${show(raw)}; expected a map of cpuRequest, cpuLimit (such as "250m" or "1") and memoryRequest, memoryLimit (such as "256Mi" or "1Gi")`;
    }
    const res = r as unknown as AppResources;
    if (cpuToMillis(res.cpuLimit) < cpuToMillis(res.cpuRequest) || memoryToMi(res.memoryLimit) < memoryToMi(res.memoryRequest)) {
        return `resources ${show(raw)}, a limit below its request; expected cpuLimit >= cpuRequest and memoryLimit >= memoryRequest`;
    }
    return res;
}

/** An IAM condition block: operator to a map of keys to a string, a list of strings or a boolean. */
function conditionValid(c: unknown): c is Record<string, Record<string, string | string[] | boolean>> {
    const valueOk = (v: unknown) => typeof v === "string" || typeof v === "boolean" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
    return isRecord(c) && Object.values(c).every((block) => isRecord(block) && Object.values(block).every(valueOk));
}

function parseStatements(raw: unknown): AppPolicyStatement[] | string {
    const expected = 'expected a list of IAM statements {Effect: Allow|Deny, Action: ["service:Action", ...], Resource: ["arn:...", ...], Condition?}';
    if (!Array.isArray(raw)) {
        return `awsPolicy ${show(raw)}; ${expected}`;
    }
    const statements: AppPolicyStatement[] = [];
    for (const s of raw) {
        const actions = isRecord(s) ? [s.Action].flat() : [];
        const resources = isRecord(s) ? [s.Resource].flat() : [];
        if (
            !isRecord(s) ||
            (s.Effect !== "Allow" && s.Effect !== "Deny") ||
            Object.keys(s).some((k) => !["Sid", "Effect", "Action", "Resource", "Condition"].includes(k)) ||
            actions.length === 0 ||
            actions.some((a) => typeof a !== "string" || !ACTION.test(a)) ||
            resources.length === 0 ||
            resources.some((r) => typeof r !== "string" || !(r.startsWith("arn:") || r === "*")) ||
            (s.Condition !== undefined && !conditionValid(s.Condition))
        ) {
            return `the awsPolicy statement ${show(s)}; ${expected}`;
        }
        if (s.Effect === "Allow" && actions.some((a) => (a as string).endsWith(":*") || a === "*")) {
            return `the awsPolicy statement ${show(s)}, which allows every action of a service; expected the actions the application calls`;
        }
        statements.push({
            Effect: s.Effect,
            Action: actions as string[],
            Resource: resources as string[],
            ...(conditionValid(s.Condition) ? { Condition: s.Condition } : {}),
        });
    }
    return statements;
}

function parseEgress(raw: unknown): AppEgress[] | string {
    const expected = 'expected a list of {cidr: "10.0.0.0/16", port: 443}';
    if (!Array.isArray(raw)) {
        return `egress ${show(raw)}; ${expected}`;
    }
    const rules: AppEgress[] = [];
    for (const e of raw) {
        const m = isRecord(e) && typeof e.cidr === "string" ? CIDR.exec(e.cidr) : null;
        const valid = m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
        if (!isRecord(e) || !valid || port(e.port, 1) === undefined || Object.keys(e).some((k) => k !== "cidr" && k !== "port")) {
            return `the egress rule ${show(e)}; ${expected}`;
        }
        rules.push({ cidr: e.cidr as string, port: e.port as number });
    }
    return rules;
}

function parseAlerts(raw: unknown): AppAlerts | string {
    if (raw === undefined) {
        return APP_DEFAULTS.alerts;
    }
    const a = isRecord(raw) ? { ...APP_DEFAULTS.alerts, ...raw } : undefined;
    if (
        a === undefined ||
        Object.keys(raw as object).some((k) => !(k in APP_DEFAULTS.alerts)) ||
        percent(a.errorRatePercent, 100) === undefined ||
        percent(a.cpuPercent, 100) === undefined ||
        percent(a.memoryPercent, 100) === undefined ||
        typeof a.latencyP95Ms !== "number" ||
        !Number.isInteger(a.latencyP95Ms) ||
        a.latencyP95Ms < 1 ||
        typeof a.restartsPerHour !== "number" ||
        !Number.isInteger(a.restartsPerHour) ||
        a.restartsPerHour < 1
    ) {
        return `alerts ${show(raw)}; expected a map of errorRatePercent, cpuPercent, memoryPercent (above 0, at most 100) and latencyP95Ms, restartsPerHour (whole numbers from 1)`;
    }
    return a as AppAlerts;
}

/**
 * Converts and checks one application; problems are phrased after the list ("has the application
 * ..."). Every bad field is reported, each at its path (`.port`); a check that needs another field
 * valid is made once it is.
 */
export function parseApp(raw: Readonly<Record<string, unknown>>, index: number): Parsed<AppConfig> {
    if (typeof raw.name !== "string" || !NAME.test(raw.name)) {
        const named = raw.name === undefined ? `application #${index + 1} without a name` : `application #${index + 1} named ${show(raw.name)}`;
        return {
            field: "name",
            problem: `has the ${named}; expected a DNS-1123 label of 1 to 30 lowercase letters, digits and hyphens, starting with a letter`,
        };
    }
    const problems: NestedProblem[] = [];
    const fail = (what: string, field = fieldOf(what, FIELDS)) => {
        problems.push({ path: field === undefined ? "" : `.${field}`, problem: `has the application ${show(raw.name)} with ${what}` });
    };
    for (const unknown of Object.keys(raw).filter((k) => !FIELDS.includes(k))) {
        const suggestion = nearest(unknown, FIELDS);
        fail(`the unknown field ${show(unknown)}; ${suggestion ? `did you mean ${show(suggestion)}?` : `expected fields: ${FIELDS.join(", ")}`}`);
    }
    const imageIssue = imageProblem(raw.image);
    if (imageIssue !== undefined) {
        fail(imageIssue, "image");
    }
    const appPort = port(raw.port);
    if (appPort === undefined) {
        fail(`port ${show(raw.port)}; expected a port from 1024 to 65535 (the containers run without NET_BIND_SERVICE)`);
    }
    const metricsPort = port(raw.metricsPort ?? appPort);
    if (metricsPort === undefined && (raw.metricsPort !== undefined || appPort !== undefined)) {
        fail(`metricsPort ${show(raw.metricsPort)}; expected a port from 1024 to 65535`);
    }
    const rawProbes = raw.probes ?? {};
    if (!isRecord(rawProbes) || Object.keys(rawProbes).some((k) => k !== "liveness" && k !== "readiness")) {
        fail(`probes ${show(rawProbes)}; expected a map with liveness and readiness paths`);
    }
    const probes: Record<string, unknown> = isRecord(rawProbes) ? rawProbes : {};
    const paths: Record<string, unknown> = {
        metricsPath: raw.metricsPath ?? APP_DEFAULTS.metricsPath,
        "probes.liveness": probes.liveness ?? APP_DEFAULTS.livenessPath,
        "probes.readiness": probes.readiness ?? APP_DEFAULTS.readinessPath,
    };
    for (const [field, value] of Object.entries(paths)) {
        if (typeof value !== "string" || !PATH.test(value) || /[*?]/.test(value)) {
            fail(`${field} ${show(value)}; expected an HTTP path that starts with "/" (letters, digits and - _ . / ~ only)`);
        }
    }
    const routes = raw.paths ?? APP_DEFAULTS.paths;
    if (!Array.isArray(routes) || routes.length === 0 || routes.length > 5) {
        fail(`paths ${show(routes)}; expected a list of 1 to 5 ALB path patterns such as "/api/*"`);
    }
    const badRoute = Array.isArray(routes) ? routes.find((p) => typeof p !== "string" || !PATH.test(p)) : undefined;
    if (badRoute !== undefined) {
        fail(
            `the path ${show(badRoute)}; expected an ALB path pattern that starts with "/", of at most 128 characters (letters, digits, _-.$/~"'@:+&=;% and the wildcards * ?)`,
            `paths[${(routes as unknown[]).indexOf(badRoute)}]`,
        );
    }
    const host = raw.host ?? "";
    if (typeof host !== "string" || (host !== "" && !HOST.test(host))) {
        fail(`host ${show(host)}; expected a lowercase DNS name such as "app.example.com", or "" for no Ingress`);
    }
    const replicas = raw.replicas ?? { min: APP_DEFAULTS.minReplicas, max: APP_DEFAULTS.maxReplicas };
    const min = isRecord(replicas) ? (replicas.min ?? APP_DEFAULTS.minReplicas) : undefined;
    const max = isRecord(replicas) ? (replicas.max ?? APP_DEFAULTS.maxReplicas) : undefined;
    const replicasValid = typeof min === "number" && typeof max === "number" && Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max <= 100;
    if (!replicasValid) {
        fail(`replicas ${show(replicas)}; expected a map {min, max} of whole numbers from 1 to 100`);
    } else if (min > max) {
        fail(`replicas.min ${min} greater than replicas.max ${max}; expected min <= max`);
    }
    const resources = parseResources(raw.resources);
    if (typeof resources === "string") {
        fail(resources, "resources");
    }
    for (const flagName of ["database", "cache", "stickySessions"]) {
        if (raw[flagName] !== undefined && typeof raw[flagName] !== "boolean") {
            fail(`${flagName} ${show(raw[flagName])}; expected true or false`);
        }
    }
    const passwordVersion = raw.passwordVersion ?? APP_DEFAULTS.passwordVersion;
    if (typeof passwordVersion !== "number" || !Number.isInteger(passwordVersion) || passwordVersion < 1) {
        fail(`passwordVersion ${show(raw.passwordVersion)}; expected a whole number from 1 (bump it to rotate the database password)`);
    } else if (raw.passwordVersion !== undefined && raw.database !== true) {
        fail(`passwordVersion ${show(raw.passwordVersion)} but no database; expected database: true, or no passwordVersion`);
    }
    const migration = raw.migrationCommand ?? [];
    if (!Array.isArray(migration) || migration.some((c) => typeof c !== "string" || c === "")) {
        fail(`migrationCommand ${show(migration)}; expected a list of non-empty strings (the command and its arguments), or []`);
    }
    const env = raw.env ?? {};
    if (!isRecord(env) || Object.values(env).some((v) => typeof v !== "string")) {
        fail(`env ${show(env)}; expected a map of variable names to string values`);
    }
    const badEnv = Object.keys(isRecord(env) ? env : {}).find((k) => !ENV_NAME.test(k) || RESERVED_ENV.includes(k));
    if (badEnv !== undefined) {
        fail(
            `the environment variable ${show(badEnv)}; expected a name of letters, digits and _ that is not one the platform sets (${RESERVED_ENV.join(", ")})`,
        );
    }
    const awsPolicy = parseStatements(raw.awsPolicy ?? []);
    if (typeof awsPolicy === "string") {
        fail(awsPolicy, "awsPolicy");
    }
    const egress = parseEgress(raw.egress ?? []);
    if (typeof egress === "string") {
        fail(egress, "egress");
    }
    const alerts = parseAlerts(raw.alerts);
    if (typeof alerts === "string") {
        fail(alerts, "alerts");
    }
    if (problems.length > 0 || typeof resources === "string" || typeof awsPolicy === "string" || typeof egress === "string" || typeof alerts === "string") {
        return { problem: problems[0].problem, problems };
    }
    return {
        value: {
            name: raw.name,
            image: raw.image as string,
            port: appPort as number,
            metricsPort: metricsPort as number,
            metricsPath: paths.metricsPath as string,
            host: host === "" ? undefined : (host as string),
            paths: routes as string[],
            minReplicas: min as number,
            maxReplicas: max as number,
            resources,
            livenessPath: paths["probes.liveness"] as string,
            readinessPath: paths["probes.readiness"] as string,
            database: raw.database === true,
            passwordVersion: passwordVersion as number,
            cache: raw.cache === true,
            migrationCommand: migration as string[],
            env: env as Record<string, string>,
            awsPolicy,
            egress,
            stickySessions: raw.stickySessions === true,
            alerts,
        },
    };
}

/** Whole-list rules: distinct names; two applications on one host do not claim the same path. */
export function checkApps(apps: readonly AppConfig[]): string | undefined {
    const names = apps.map((a) => a.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
        return `has two applications named ${show(duplicate)}; expected distinct names`;
    }
    const claimed = new Map<string, string>();
    for (const app of apps) {
        for (const path of app.host === undefined ? [] : app.paths) {
            const key = `${app.host}${path}`;
            const other = claimed.get(key);
            if (other !== undefined) {
                return `has the applications ${show(other)} and ${show(app.name)} both routing ${show(key)}; expected each host and path on one application`;
            }
            claimed.set(key, app.name);
        }
    }
    return undefined;
}

const DESCRIPTION =
    "Applications, one namespace app-<name> each. Each map: name (DNS-1123 label), image (tag other than latest, or @sha256 digest), port (1024-65535), metricsPort (default port), metricsPath (default /metrics), " +
    "host (ALB host: edge.domain or one label under it; default none), paths (ALB path patterns, default [/*]), replicas {min, max} (default 2, 6; prod min >= 3), " +
    "resources {cpuRequest, memoryRequest, cpuLimit, memoryLimit}, probes {liveness, readiness} (default /healthz, /readyz), database, cache (DATABASE_URL / REDIS_URL files), passwordVersion (default 1; bump to rotate the application's database password), migrationCommand (Job before each rollout), " +
    "env (plain variables), awsPolicy (IAM statements of an IRSA role), egress ([{cidr, port}]), stickySessions, alerts {errorRatePercent 1, latencyP95Ms 500, restartsPerHour 3, cpuPercent 80, memoryPercent 85}.";

/** The application keys. */
export const appKeys = {
    apps: objectList<AppConfig>({
        description: DESCRIPTION,
        typeName:
            "list of applications (maps with name, image, port, host, paths, replicas, resources, probes, database, passwordVersion, cache, migrationCommand, env, awsPolicy, egress, alerts)",
        item: parseApp,
        check: checkApps,
        default: [],
    }),
    appSecrets: secretText({
        description:
            'The applications\' own secrets as JSON, by application then variable: {"api": {"STRIPE_KEY": "..."}} (set with pulumi config set --secret). Mounted as files, never in a Deployment.',
        default: "{}",
        checks: "is JSON of application name to a map of variable names to strings",
        check: (value) => appSecretsProblem(value),
    }),
};

/** Checks the shape of `appSecrets` without ever echoing a value. */
export function appSecretsProblem(value: string): string | undefined {
    const expected =
        'is not valid; expected JSON of application name to a map of variable names to strings, such as {"api": {"STRIPE_KEY": "..."}} (the value is not shown: it is secret)';
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        return expected;
    }
    if (
        !isRecord(parsed) ||
        Object.values(parsed).some((m) => !isRecord(m) || Object.entries(m).some(([k, v]) => !ENV_NAME.test(k) || typeof v !== "string"))
    ) {
        return expected;
    }
    return undefined;
}
