/**
 * Config keys of the cluster add-ons that take settings: cert-manager's ACME account email, Velero's
 * backup schedules (with the cron parser that checks them) and the retention of the Kubernetes log groups
 * Fluent Bit writes to.
 */
import { integer, objectList, show, text, type NestedProblem, type Parsed } from "../fields";
import { nearest } from "../suggest";
import { LOG_RETENTION_DAYS } from "./core";

// One address, no display name: what Let's Encrypt accepts as an account contact.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Checks an ACME account email: "" or one plain address. */
export function checkAcmeEmail(value: string): string | undefined {
    if (value === "" || (EMAIL.test(value) && value.length <= 254)) {
        return undefined;
    }
    return 'is not an email address; expected one address such as "platform-team@example.com" (Let\'s Encrypt sends expiry and policy notices there), or "" when platform:edge.domain is empty';
}

/** One field of a 5-field cron expression: its name and the values it takes. */
interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    /** Names accepted for values (case-insensitive), as robfig/cron (Velero's parser) accepts them. */
    readonly names?: readonly string[];
}

const CRON_FIELDS: readonly CronField[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day-of-week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

/** The descriptors Velero's cron parser (robfig/cron) accepts in place of five fields. */
export const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"] as const;

function cronValue(text: string, field: CronField): number | undefined {
    if (/^\d{1,2}$/.test(text)) {
        const value = Number(text);
        return value >= field.min && value <= field.max ? value : undefined;
    }
    const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
    return index >= 0 ? field.min + index : undefined;
}

/** True when one comma-separated part of a field (`*`, `a`, `a-b`, each optionally `/step`) is valid. */
function validCronPart(part: string, field: CronField): boolean {
    const [range, step, ...rest] = part.split("/");
    if (rest.length > 0 || (step !== undefined && (!/^\d{1,2}$/.test(step) || Number(step) < 1 || Number(step) > field.max - field.min + 1))) {
        return false;
    }
    if (range === "*") {
        return true;
    }
    const [from, to, ...more] = range.split("-");
    const start = cronValue(from, field);
    if (more.length > 0 || start === undefined) {
        return false;
    }
    if (to === undefined) {
        // "5/10" means 5, 15, 25...: robfig/cron accepts a step after a single value.
        return true;
    }
    const end = cronValue(to, field);
    return end !== undefined && start <= end;
}

/**
 * Checks a cron schedule as Velero reads it: five fields (minute hour day-of-month month day-of-week),
 * each `*`, a value, a range `a-b`, a step `/n` after either, or a comma list of those; month and weekday
 * names (`jan`, `mon`) are accepted; or one of {@link CRON_MACROS}. Returns the problem, phrased after
 * the expression ("has ... ; expected ..."), or undefined.
 */
export function checkCron(expression: string): string | undefined {
    const trimmed = expression.trim();
    if (trimmed.startsWith("@")) {
        if ((CRON_MACROS as readonly string[]).includes(trimmed)) {
            return undefined;
        }
        const suggestion = nearest(trimmed, CRON_MACROS);
        return `is not a cron macro${suggestion ? ` (did you mean ${suggestion}?)` : ""}; expected one of ${CRON_MACROS.join(", ")} or five fields`;
    }
    const fields = trimmed.split(/\s+/).filter((f) => f !== "");
    if (fields.length !== CRON_FIELDS.length) {
        return `has ${fields.length} field${fields.length === 1 ? "" : "s"}; expected 5 (minute hour day-of-month month day-of-week, for example "0 3 * * *") or a macro such as @daily`;
    }
    for (const [index, text] of fields.entries()) {
        const field = CRON_FIELDS[index];
        if (!text.split(",").every((part) => validCronPart(part, field))) {
            return `has the ${field.name} field ${show(text)}; expected * or values from ${field.min} to ${field.max}${field.names ? ` (or names such as ${field.names[0]})` : ""}, as single values, ranges a-b, steps /n and comma lists`;
        }
    }
    return undefined;
}

/** One Velero backup schedule. */
export interface BackupSchedule {
    /** Schedule name (the chart names the Schedule `velero-<name>`). */
    readonly name: string;
    /** Cron expression in UTC (five fields or a macro). */
    readonly schedule: string;
    /** Days each backup is kept before Velero deletes it. */
    readonly ttlDays: number;
    /** Namespaces this schedule backs up on top of the platform's and the applications'. */
    readonly namespaces: readonly string[];
}

const SCHEDULE_FIELDS = ["name", "schedule", "ttlDays", "namespaces"];
// The backups' names (`velero-<name>-<14-digit timestamp>`) stay within the 63 characters of a label value.
const SCHEDULE_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** The longest TTL a schedule may have: ten years. */
export const MAX_TTL_DAYS = 3650;

/**
 * Converts and checks one schedule map; problems are phrased after the list ("has the schedule ...").
 * Its fields are independent, so every bad field is reported, each at its path (`.ttlDays`).
 */
export function parseBackupSchedule(raw: Readonly<Record<string, unknown>>, index: number): Parsed<BackupSchedule> {
    if (typeof raw.name !== "string" || !SCHEDULE_NAME.test(raw.name)) {
        const named = raw.name === undefined ? `schedule #${index + 1} without a name` : `schedule #${index + 1} named ${show(raw.name)}`;
        return {
            field: "name",
            problem: `has the ${named}; expected a name of 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
        };
    }
    const problems: NestedProblem[] = [];
    const fail = (field: string, what: string) => problems.push({ path: `.${field}`, problem: `has the schedule ${show(raw.name)} with ${what}` });
    for (const unknown of Object.keys(raw).filter((k) => !SCHEDULE_FIELDS.includes(k))) {
        const suggestion = nearest(unknown, SCHEDULE_FIELDS);
        fail(
            unknown,
            `the unknown field ${show(unknown)}; ${suggestion ? `did you mean ${show(suggestion)}?` : `expected fields: ${SCHEDULE_FIELDS.join(", ")}`}`,
        );
    }
    const cronProblem = typeof raw.schedule === "string" ? checkCron(raw.schedule) : undefined;
    if (typeof raw.schedule !== "string") {
        fail("schedule", `the schedule ${show(raw.schedule)}; expected a cron expression in quotes, for example "0 3 * * *"`);
    } else if (cronProblem !== undefined) {
        fail("schedule", `the cron expression ${show(raw.schedule)}, which ${cronProblem}`);
    }
    const ttl = raw.ttlDays;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_DAYS) {
        fail("ttlDays", `ttlDays ${show(ttl)}; expected a whole number of days from 1 to ${MAX_TTL_DAYS}`);
    }
    const namespaces = raw.namespaces ?? [];
    if (!Array.isArray(namespaces) || namespaces.some((ns) => typeof ns !== "string" || !NAMESPACE.test(ns))) {
        fail("namespaces", `namespaces ${show(namespaces)}; expected a list of Kubernetes namespace names (lowercase letters, digits and hyphens)`);
    }
    if (problems.length > 0) {
        return { problem: problems[0].problem, problems };
    }
    return { value: { name: raw.name, schedule: (raw.schedule as string).trim(), ttlDays: ttl as number, namespaces: namespaces as string[] } };
}

/** The add-on keys. */
export const addonKeys = {
    "certManager.acmeEmail": text<string>({
        description:
            "Contact email of the Let's Encrypt (ACME) account of the staging and production ClusterIssuers. Required when edge.domain is set; unused without it (only the internal CA issuer exists then).",
        default: "",
        check: checkAcmeEmail,
    }),
    "velero.schedules": objectList<BackupSchedule>({
        description:
            "Velero backup schedules: a list of {name, schedule, ttlDays, namespaces}, where schedule is a 5-field cron expression in UTC (or @daily and the like), ttlDays how long each backup is kept, and namespaces optional namespaces to back up on top of the applications' and cert-manager's. prod requires ttlDays of at least 30 on every schedule.",
        typeName: "list of {name, schedule, ttlDays, namespaces}",
        default: [{ name: "daily", schedule: "0 3 * * *", ttlDays: 30, namespaces: [] }],
        item: parseBackupSchedule,
        check: (items) => {
            const names = items.map((s) => s.name);
            const duplicate = names.find((n, i) => names.indexOf(n) !== i);
            return duplicate === undefined ? undefined : `has the schedule name ${show(duplicate)} more than once; expected distinct names`;
        },
    }),
    "logging.retentionDays": integer({
        description:
            "Retention of the Kubernetes log groups Fluent Bit writes to (/<project>-<stack>/kubernetes/applications, /platform and /dataplane), in days. prod needs at least 30; the policy pack's platform-logs-group-retention asks 365 in prod.",
        default: 365,
        oneOf: LOG_RETENTION_DAYS,
    }),
    "tracing.samplingPercentage": integer({
        description:
            "Percent of the traces that are neither failed nor slow which the collector keeps and sends to X-Ray (tail sampling, decided per trace id, so a trace is kept whole or not at all). Traces with an error span and traces slower than platform:tracing.slowTraceMs are always kept. 0 keeps only those.",
        default: 10,
        min: 0,
        max: 100,
    }),
    "tracing.slowTraceMs": integer({
        description:
            "Duration in milliseconds from a trace's first span start to its last span end above which the collector always keeps the trace (its latency policy).",
        default: 1000,
        min: 10,
        max: 60000,
    }),
};
