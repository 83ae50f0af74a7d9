import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { isUnknownValueError } from "../../lib/stackCheck";
import { SECRET, SECRET_ROTATION } from "../../lib/types";
import { asNumber, asStrings, describe, isFalse, knownTags, peek, prop } from "../../lib/values";

interface Settings {
    maxRotationDays?: number;
    exemptSecrets?: string[];
}

/** The tag Secrets Manager puts on a secret another AWS service manages (seen on an imported one). */
const OWNING_SERVICE_TAG = "aws:secretsmanager:owningService";

/**
 * True for a secret another AWS service manages and rotates: its name carries the service's prefix
 * (`rds!db-…`; `!` is not allowed in the names of secrets users create), or it has the owning-service tag.
 */
function isServiceManaged(secret: PolicyResource): boolean {
    const name = peek(secret.props, "name");
    return (typeof name === "string" && name.includes("!")) || knownTags(secret.props)[OWNING_SERVICE_TAG] !== undefined;
}

/** Days in a month, at most (a monthly schedule leaves at most this many days between rotations). */
const MONTH = 31;

/**
 * The longest interval, in days, between two rotations of a `rotationRules.scheduleExpression`
 * (`rate(10 days)`, `rate(12 hours)`, `cron(0 4 1 * ? *)`), or a reason it cannot be told.
 */
export function scheduleIntervalDays(expression: string): number | string {
    const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/i.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        return rate[2].toLowerCase().startsWith("day") ? n : n / 24;
    }
    const cron = /^cron\((.*)\)$/i.exec(expression.trim());
    if (!cron) {
        return "is neither a rate() nor a cron() expression";
    }
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
        return "is not a cron expression of six fields (minutes hours day-of-month month day-of-week year)";
    }
    const [, , dayOfMonth, month, , year] = fields;
    if (month !== "*" || !(year === "*" || year === "?")) {
        return "does not run every month";
    }
    // Every month: on a day that every month has (or a weekday, or the last day) at most 31 days apart;
    // on the 29th-31st, months without that day are skipped.
    const day = Number(dayOfMonth);
    return Number.isInteger(day) && day > 28 ? 2 * MONTH : MONTH;
}

const policy: StackValidationPolicy = {
    name: "platform-secrets-secret-rotation",
    description:
        "Every Secrets Manager secret of the stack rotates automatically at least every maxRotationDays (90): an aws.secretsmanager.SecretRotation names it, with rotationRules.automaticallyAfterDays or a rate()/cron() schedule within the limit; no SecretRotation turns rotation off or stretches it beyond the limit (also for secrets RDS manages, which rotate on their own and need no SecretRotation). Secrets another AWS service manages, and those listed in exemptSecrets, are exempt.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxRotationDays: { type: "integer", minimum: 1, default: 90, description: "The longest a secret may go without rotation, in days." },
            exemptSecrets: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Secrets (Secrets Manager name or Pulumi logical name) whose value a third party issues, so the platform cannot rotate it.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const settings = args.getConfig<Settings>();
        const maxDays = settings.maxRotationDays ?? 90;
        const exempt = new Set(asStrings(settings.exemptSecrets));
        const secrets = ResourceIndex.of(args.resources, [SECRET]);
        const rotated = new Set<PolicyResource>();
        let unknown: unknown;
        // An unresolved secretId might name any secret: then no secret is reported as never rotated.
        let unresolved = false;
        for (const rotation of ResourceIndex.of(args.resources, [SECRET_ROTATION]).all) {
            const targets = secrets.refs(rotation, "secretId");
            targets.forEach((s) => rotated.add(s));
            const secretId = peek(rotation.props, "secretId");
            if (targets.length === 0 && typeof secretId !== "string") {
                unresolved = true;
            }
            const which = targets.length > 0 ? targets.map((s) => describe(s)).join(", ") : typeof secretId === "string" ? `secret ${secretId}` : "its secret";
            try {
                if (isFalse(prop(rotation.props, "rotationEnabled"))) {
                    reportViolation(
                        `${describe(rotation)} turns rotation of ${which} off (rotationEnabled: false). Remove rotationEnabled, and set rotationRules.automaticallyAfterDays to at most ${maxDays}.`,
                        rotation.urn,
                    );
                    continue;
                }
                const rules = prop(rotation.props, "rotationRules");
                const days = prop(rules, "automaticallyAfterDays");
                const schedule = prop(rules, "scheduleExpression");
                const interval = asNumber(days) ?? (typeof schedule === "string" ? scheduleIntervalDays(schedule) : undefined);
                if (interval === undefined) {
                    reportViolation(
                        `${describe(rotation)} sets no rotation schedule for ${which} (rotationRules.automaticallyAfterDays or rotationRules.scheduleExpression). Set rotationRules.automaticallyAfterDays to at most ${maxDays}.`,
                        rotation.urn,
                    );
                } else if (typeof interval === "string") {
                    reportViolation(
                        `${describe(rotation)} rotates ${which} on the schedule ${JSON.stringify(schedule)}, which ${interval}, so the pack cannot tell that it rotates every ${maxDays} days. Use rotationRules.automaticallyAfterDays (at most ${maxDays}) or rate(N days).`,
                        rotation.urn,
                    );
                } else if (interval > maxDays) {
                    const how = asNumber(days) !== undefined ? `automaticallyAfterDays: ${interval}` : `scheduleExpression ${JSON.stringify(schedule)}`;
                    reportViolation(
                        `${describe(rotation)} rotates ${which} only every ${interval} days (${how}). Rotate at least every ${maxDays} days: set rotationRules.automaticallyAfterDays to ${maxDays} or less.`,
                        rotation.urn,
                    );
                }
            } catch (error) {
                if (!isUnknownValueError(error)) {
                    throw error;
                }
                unknown ??= error;
            }
        }
        if (!unresolved) {
            for (const secret of secrets.all) {
                const name = peek(secret.props, "name");
                if (rotated.has(secret) || isServiceManaged(secret) || exempt.has(secret.name) || (typeof name === "string" && exempt.has(name))) {
                    continue;
                }
                reportViolation(
                    `${describe(secret)} never rotates: no aws.secretsmanager.SecretRotation names it. Add a SecretRotation with secretId set to this secret, a rotation function (rotationLambdaArn) and rotationRules.automaticallyAfterDays of at most ${maxDays}; list it in exemptSecrets only if a third party issues its value.`,
                    secret.urn,
                );
            }
        }
        if (unknown !== undefined) {
            throw unknown;
        }
    },
};

/** */
export const rotateSecrets: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["X-09", "SecretsManager.1", "SecretsManager.4", "CKV2_AWS_57", "CKV_AWS_304"],
};
