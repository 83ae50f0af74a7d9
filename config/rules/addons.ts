/**
 * Cross-key rules of the cluster add-ons (cert-manager, Velero, Fluent Bit), checked after every key has parsed on
 * its own.
 */
import { show } from "../fields";
import type { ProblemList } from "../rules";
import type { ConfigValues } from "../schema";

/** Days every prod backup is kept at least: a month of history to restore from. */
export const PROD_MIN_BACKUP_TTL_DAYS = 30;

/** Days prod keeps the Kubernetes logs at least: a month to investigate an incident in. */
export const PROD_MIN_KUBERNETES_LOG_DAYS = 30;

/** A public domain needs an ACME account email for its Let's Encrypt issuers. */
export function checkAddonRules(values: ConfigValues, problems: ProblemList): void {
    const domain = values["edge.domain"];
    if (domain !== "" && values["certManager.acmeEmail"] === "") {
        problems.add(
            "certManager.acmeEmail",
            `is not set, but platform:edge.domain is ${show(domain)}; expected the email of the Let's Encrypt account that issues its certificates (for example "platform-team@example.com")`,
        );
    }
}

/** What prod requires of the add-ons: at least one backup schedule, every one kept for a month; a month of Kubernetes logs. */
export function checkAddonProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    const schedules = values["velero.schedules"];
    if (schedules.length === 0) {
        problems.add(
            "velero.schedules",
            `[] is not allowed in prod; expected at least one schedule, for example {name: daily, schedule: "0 3 * * *", ttlDays: ${PROD_MIN_BACKUP_TTL_DAYS}}`,
        );
    }
    for (const schedule of schedules) {
        if (schedule.ttlDays < PROD_MIN_BACKUP_TTL_DAYS) {
            problems.add(
                "velero.schedules",
                `has the schedule ${show(schedule.name)} with ttlDays ${schedule.ttlDays}, which is too short for prod; expected at least ${PROD_MIN_BACKUP_TTL_DAYS} (a month of backups to restore from)`,
            );
        }
    }
    const logDays = values["logging.retentionDays"];
    if (logDays < PROD_MIN_KUBERNETES_LOG_DAYS) {
        problems.add(
            "logging.retentionDays",
            `${logDays} is too short for prod; expected at least ${PROD_MIN_KUBERNETES_LOG_DAYS} (a month of pod and node logs to investigate an incident in)`,
        );
    }
}
