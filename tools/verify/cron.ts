/**
 * When a Velero schedule last fired: the cron expressions `velero.schedules` holds (five fields in UTC
 * or a macro, as robfig/cron reads them; config/keys/addons.ts checks them), evaluated backwards.
 */
import { CRON_MACROS } from "../../config/keys/addons";

/** The five-field form of each macro (robfig/cron). */
const MACRO_FIELDS: Readonly<Record<(typeof CRON_MACROS)[number], string>> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};

const FIELDS = [
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    { min: 1, max: 31 },
    { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
] as const;

/** A parsed expression: the allowed values of each field, and whether day fields were restricted. */
interface Cron {
    readonly minutes: ReadonlySet<number>;
    readonly hours: ReadonlySet<number>;
    readonly days: ReadonlySet<number>;
    readonly months: ReadonlySet<number>;
    readonly weekdays: ReadonlySet<number>;
    readonly dayStar: boolean;
    readonly weekdayStar: boolean;
}

function value(text: string, field: (typeof FIELDS)[number]): number {
    if (/^\d+$/.test(text)) {
        return Number(text);
    }
    const names: readonly string[] | undefined = "names" in field ? field.names : undefined;
    const index = names?.indexOf(text.toLowerCase()) ?? -1;
    if (index < 0) {
        throw new Error(`not a cron value: ${text}`);
    }
    return field.min + index;
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
    const values = new Set<number>();
    for (const part of text.split(",")) {
        const [range, stepText] = part.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        let from: number = field.min;
        let to: number = field.max;
        if (range !== "*") {
            const [a, b] = range.split("-");
            from = value(a, field);
            // "a/n" runs from a to the field's end; a plain "a" is that value only.
            to = b !== undefined ? value(b, field) : stepText !== undefined ? field.max : from;
        }
        for (let v = from; v <= to; v += step) {
            values.add(v);
        }
    }
    return values;
}

/** Parses a schedule as Velero does (five fields in UTC or one of the macros). */
export function parseCron(expression: string): Cron {
    const trimmed = expression.trim();
    const text = trimmed.startsWith("@") ? MACRO_FIELDS[trimmed as keyof typeof MACRO_FIELDS] : trimmed;
    const parts = text?.split(/\s+/) ?? [];
    if (parts.length !== 5) {
        throw new Error(`not a five-field cron expression or macro: ${expression}`);
    }
    const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
    // Sunday may be written 7 in some crons; robfig/cron's range is 0-6, which the config check enforces.
    return { minutes, hours, days, months, weekdays, dayStar: parts[2].startsWith("*"), weekdayStar: parts[4].startsWith("*") };
}

/** Day matching as robfig/cron does it: when both day fields are restricted, either may match. */
function dayMatches(cron: Cron, t: Date): boolean {
    const dom = cron.days.has(t.getUTCDate());
    const dow = cron.weekdays.has(t.getUTCDay());
    return cron.dayStar || cron.weekdayStar ? dom && dow : dom || dow;
}

const MINUTE = 60_000;

/**
 * The last time at or before `at` when the schedule fired (minute resolution, UTC). Searches back at most
 * about five years (a @yearly schedule on 29 February has gaps of up to eight), and throws beyond that.
 */
export function previousFire(expression: string, at: Date): Date {
    const cron = parseCron(expression);
    const t = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
    const limit = at.getTime() - 5 * 366 * 24 * 60 * MINUTE;
    while (t.getTime() >= limit) {
        if (!cron.months.has(t.getUTCMonth() + 1) || !dayMatches(cron, t)) {
            // Jump to the last minute of the previous day.
            t.setUTCHours(0, 0, 0, 0);
            t.setTime(t.getTime() - MINUTE);
        } else if (!cron.hours.has(t.getUTCHours())) {
            t.setUTCMinutes(0, 0, 0);
            t.setTime(t.getTime() - MINUTE);
        } else if (!cron.minutes.has(t.getUTCMinutes())) {
            t.setTime(t.getTime() - MINUTE);
        } else {
            return t;
        }
    }
    throw new Error(`the schedule ${expression} did not fire in the five years before ${at.toISOString()}`);
}
