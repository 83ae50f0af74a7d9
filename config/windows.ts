/**
 * UTC time windows as RDS and ElastiCache write them: a daily window `hh24:mi-hh24:mi` (backups,
 * snapshots) and a weekly window `ddd:hh24:mi-ddd:hh24:mi` (maintenance). Parsed into minutes of the
 * week so that windows can be measured and checked for overlap, including windows that wrap past
 * midnight or past Sunday.
 */

/** Day names in the order of the week, as the AWS APIs write them. */
export const WEEK_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${WEEK_DAYS.join("|")}):${TIME}-(${WEEK_DAYS.join("|")}):${TIME}$`);

/** A parsed window: every interval it covers in one week, as [start, end) minutes from Monday 00:00 UTC. */
export interface TimeWindow {
    /** The window as written. */
    readonly text: string;
    /** Length in minutes. */
    readonly minutes: number;
    /** The intervals of one week (seven for a daily window, one for a weekly one); `end` may pass the week's end. */
    readonly intervals: readonly { readonly start: number; readonly end: number }[];
}

function length(start: number, end: number, period: number): number {
    return (((end - start) % period) + period) % period;
}

/** Parses a daily window such as `02:00-03:00`; undefined when the text is not one. */
export function parseDailyWindow(text: string): TimeWindow | undefined {
    const m = DAILY.exec(text);
    if (!m) {
        return undefined;
    }
    const start = Number(m[1]) * 60 + Number(m[2]);
    const minutes = length(start, Number(m[3]) * 60 + Number(m[4]), MINUTES_PER_DAY);
    const intervals = WEEK_DAYS.map((_, day) => ({ start: day * MINUTES_PER_DAY + start, end: day * MINUTES_PER_DAY + start + minutes }));
    return { text, minutes, intervals };
}

/** Parses a weekly window such as `sun:03:30-sun:04:30`; undefined when the text is not one. */
export function parseWeeklyWindow(text: string): TimeWindow | undefined {
    const m = WEEKLY.exec(text);
    if (!m) {
        return undefined;
    }
    const day = (name: string) => WEEK_DAYS.indexOf(name as (typeof WEEK_DAYS)[number]);
    const start = day(m[1]) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
    const end = day(m[4]) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
    const minutes = length(start, end, MINUTES_PER_WEEK);
    return { text, minutes, intervals: [{ start, end: start + minutes }] };
}

/** True when the two windows share at least one minute in some week (wrapping past Sunday included). */
export function windowsOverlap(a: TimeWindow, b: TimeWindow): boolean {
    // Shift b by a week either way so that intervals wrapping past Sunday midnight are compared too.
    const shifted = b.intervals.flatMap((i) => [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK].map((d) => ({ start: i.start + d, end: i.end + d })));
    return a.intervals.some((x) => shifted.some((y) => x.start < y.end && y.start < x.end));
}

/**
 * A field check for a window key: the format, and a length from `minMinutes` up to `maxMinutes`.
 * Returns a problem phrased after the value, or undefined.
 */
export function windowCheck(kind: "daily" | "weekly", minMinutes: number, maxMinutes: number, example: string): (value: string) => string | undefined {
    return (value) => {
        const window = kind === "daily" ? parseDailyWindow(value) : parseWeeklyWindow(value);
        if (!window) {
            const format = kind === "daily" ? "hh24:mi-hh24:mi" : "ddd:hh24:mi-ddd:hh24:mi";
            return `is not a ${kind} window; expected ${format} in UTC, for example "${example}"`;
        }
        if (window.minutes < minMinutes || window.minutes > maxMinutes) {
            return `lasts ${window.minutes} minutes; expected a window of ${minMinutes} to ${maxMinutes} minutes, for example "${example}"`;
        }
        return undefined;
    };
}
