/**
 * Config keys that every part of the platform reads: the environment, tags, log retention, key deletion.
 */
import { flag, integer, stringMap, text } from "../fields";

/** The environments the program knows; `prod` switches on high availability and data protection. */
export const ENVIRONMENTS = ["dev", "prod"] as const;
/** One of {@link ENVIRONMENTS}. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy); "never expire" is not offered. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Tag keys the program sets itself on every resource; config tags may not override them. */
export const RESERVED_TAG_KEYS = ["environment", "project", "stack", "managed-by"] as const;

function checkTag(key: string, value: string): string | undefined {
    if (key.length < 1 || key.length > 128 || value.length > 256) {
        return "is too long; expected keys of 1 to 128 and values of at most 256 characters";
    }
    if (/^aws:/i.test(key)) {
        return 'uses the reserved "aws:" prefix; expected a key that does not start with "aws:"';
    }
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key) || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value)) {
        return "has characters AWS tags do not allow; expected letters, digits, spaces and _ . : / = + - @";
    }
    if ((RESERVED_TAG_KEYS as readonly string[]).includes(key)) {
        return `overrides a tag the program sets itself; expected a key other than ${RESERVED_TAG_KEYS.join(", ")}`;
    }
    return undefined;
}

/** The core keys. */
export const coreKeys = {
    environment: text({
        description: "Environment class of the stack: dev (cheap, single points of failure allowed) or prod (highly available, protected against data loss).",
        oneOf: ENVIRONMENTS,
    }),
    tags: stringMap({
        description: "Extra tags for every AWS resource (for example owner, cost-center), on top of environment, project, stack and managed-by.",
        default: {},
        entry: checkTag,
    }),
    "logs.retentionDays": integer({
        description: "Retention of every CloudWatch log group the platform creates (VPC flow logs, EKS control plane, WAF, Redis). prod needs at least 365.",
        default: 365,
        oneOf: LOG_RETENTION_DAYS,
    }),
    "kms.deletionWindowDays": integer({
        description: "Waiting period before a deleted KMS key is destroyed; the key can be restored until then.",
        default: 30,
        min: 7,
        max: 30,
    }),
    protect: flag({
        description: "Mark stateful resources with Pulumi protect so `pulumi destroy` cannot delete them. prod requires true.",
        default: true,
    }),
};
