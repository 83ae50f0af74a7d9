/**
 * Config keys of the data tier's CloudWatch alarms: thresholds and the optional subscription of the
 * alarm topic.
 */
import { integer, text } from "../fields";

const percent = (description: string, defaultValue: number) => integer({ description, default: defaultValue, min: 1, max: 100 });
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#].[^\s]*$/;

/** The alarm keys. */
export const alarmKeys = {
    "alarms.databaseCpuPercent": percent("Alarm when the database's average CPU stays above this percentage for 15 minutes.", 80),
    "alarms.databaseFreeStoragePercent": percent("Alarm when the database's free storage falls below this percentage of its allocated storage.", 15),
    "alarms.databaseConnectionsPercent": percent("Alarm when database connections exceed this percentage of the instance class's max_connections.", 80),
    "alarms.replicaLagSeconds": integer({
        description: "Alarm when a read replica lags the primary by more than this many seconds for 15 minutes.",
        default: 60,
        min: 1,
        max: 3600,
    }),
    "alarms.cacheMemoryPercent": percent("Alarm when a cache node's memory use (of maxmemory) stays above this percentage for 15 minutes.", 90),
    "alarms.cacheCpuPercent": percent("Alarm when a cache node's Redis engine thread stays above this CPU percentage for 15 minutes.", 80),
    "alarms.cacheEvictions": integer({
        description: "Alarm when a cache node evicts more than this many keys in 5 minutes (0: any eviction).",
        default: 0,
        min: 0,
        max: 1000000,
    }),
    "alarms.subscription": text<string>({
        description:
            "Where the alarm topic delivers: an email address (confirmed by the recipient) or an https:// endpoint (for example an incident-management webhook). Empty: no subscription.",
        default: "",
        check: (value) =>
            value === "" || EMAIL.test(value) || HTTPS_URL.test(value)
                ? undefined
                : 'is neither an email address nor an https:// URL; expected for example "oncall@example.com" or "https://events.example.com/hook", or "" for none',
    }),
};
