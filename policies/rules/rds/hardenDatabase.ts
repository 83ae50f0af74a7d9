import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { engineOf, isAurora, isPostgres } from "../../lib/rds";
import type { PlatformRule } from "../../lib/rule";
import { RDS } from "../../lib/types";
import { asNumber, asString, asStrings, describe, isAwsManagedKey, isSetRef, peek } from "../../lib/values";

/** The RDS certificate authorities in use (rds-ca-2019 expired in 2024). */
const CA_CERTIFICATES = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

interface Settings {
    minimumBackupRetentionDays?: number;
    requireMultiAz?: boolean;
    requireDeletionProtection?: boolean;
    requiredLogExports?: string[];
    allowedCaCertificates?: string[];
}

const policy: StackValidationPolicy = {
    name: "platform-rds-instance-hardening",
    description:
        "RDS instances encrypt with a customer-managed key, keep backups for the configured days (7 in prod), export the PostgreSQL and upgrade logs, take minor version upgrades, use a current CA, let RDS manage the master password in Secrets Manager (no literal password, no 'postgres' user) and, in prod, run Multi-AZ with deletion protection and a final snapshot.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups." },
            requireMultiAz: { type: "boolean", default: true, description: "Require a Multi-AZ standby." },
            requireDeletionProtection: { type: "boolean", default: true, description: "Require deletion protection and a final snapshot." },
            requiredLogExports: {
                type: "array",
                items: { type: "string" },
                default: ["postgresql", "upgrade"],
                description: "CloudWatch log exports a PostgreSQL instance must enable.",
            },
            allowedCaCertificates: { type: "array", items: { type: "string" }, default: CA_CERTIFICATES, description: "Accepted caCertIdentifier values." },
        },
    },
    validateStack: checkEachResource([RDS.instance], (args, reportViolation) => {
        if (args.type !== RDS.instance) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const props = args.props;
        const engine = engineOf(props);
        const aurora = isAurora(engine);
        const replica = isSetRef(peek(props, "replicateSourceDb"));
        if (!aurora && props.storageEncrypted === true) {
            const key = peek(props, "kmsKeyId");
            if (!isSetRef(key) || isAwsManagedKey(key)) {
                reportViolation(`${describe(args)} is encrypted with the AWS-managed key aws/rds. Set kmsKeyId to the stack's data key ARN.`);
            }
        }
        if (!aurora && !replica) {
            const minimum = asNumber(settings.minimumBackupRetentionDays) ?? 7;
            const retention = asNumber(props.backupRetentionPeriod);
            if (retention === undefined) {
                reportViolation(
                    `${describe(args)} does not set backupRetentionPeriod; at least ${minimum} days of automated backups are required. Set backupRetentionPeriod to ${minimum} or more.`,
                );
            } else if (retention < minimum) {
                reportViolation(
                    `${describe(args)} keeps ${retention} days of automated backups; at least ${minimum} are required. Raise backupRetentionPeriod.`,
                );
            }
            if (props.manageMasterUserPassword !== true) {
                reportViolation(
                    `${describe(args)} does not let RDS manage the master password. Set manageMasterUserPassword: true (the password then lives in Secrets Manager, rotated) and remove password.`,
                );
            }
            if (isPostgres(engine) && asString(props.username) === "postgres") {
                reportViolation(`${describe(args)} uses the well-known master user name "postgres". Choose another username.`);
            }
        }
        if (settings.requireMultiAz === true && !aurora && !replica && props.multiAz !== true) {
            reportViolation(`${describe(args)} has no Multi-AZ standby, so an AZ outage takes the database down. Set multiAz: true.`);
        }
        if (settings.requireDeletionProtection === true && !aurora) {
            if (props.deletionProtection !== true) {
                reportViolation(`${describe(args)} has no deletion protection. Set deletionProtection: true.`);
            }
            // RDS refuses a final snapshot of a read replica (its data is the source's, which keeps one).
            if (props.skipFinalSnapshot === true && !replica) {
                reportViolation(`${describe(args)} is deleted without a final snapshot. Set skipFinalSnapshot: false and a finalSnapshotIdentifier.`);
            }
        }
        if (isPostgres(engine) && !aurora) {
            const exported = asStrings(props.enabledCloudwatchLogsExports);
            const missing = asStrings(settings.requiredLogExports ?? ["postgresql", "upgrade"]).filter((l) => !exported.includes(l));
            if (missing.length > 0) {
                reportViolation(`${describe(args)} does not export the ${missing.join(" and ")} logs to CloudWatch. Add them to enabledCloudwatchLogsExports.`);
            }
        }
        if (props.autoMinorVersionUpgrade === false) {
            reportViolation(`${describe(args)} does not take minor version upgrades (security fixes). Set autoMinorVersionUpgrade: true.`);
        }
        const ca = asString(props.caCertIdentifier);
        const allowedCas = asStrings(settings.allowedCaCertificates ?? CA_CERTIFICATES);
        if (ca !== undefined && !allowedCas.includes(ca)) {
            reportViolation(`${describe(args)} uses the certificate authority ${ca}. Set caCertIdentifier to one of ${allowedCas.join(", ")}.`);
        }
    }),
};

/** RDS-02 (CMK), RDS-03, RDS-04 and RDS-05 (prod), RDS-07, RDS-09, RDS-10, RDS-12. */
export const hardenDatabase: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "RDS-02",
        "RDS-03",
        "RDS-04",
        "RDS-05",
        "RDS-07",
        "RDS-09",
        "RDS-10",
        "RDS-12",
        "RDS.5",
        "RDS.8",
        "RDS.9",
        "RDS.11",
        "RDS.13",
        "RDS.25",
        "CKV_AWS_133",
        "CKV_AWS_157",
        "CKV_AWS_293",
        "CKV_AWS_129",
        "CKV_AWS_226",
        "CKV_AWS_211",
        "AVD-AWS-0077",
        "AVD-AWS-0177",
    ],
    config: {
        prod: {
            minimumBackupRetentionDays: 7,
            requireMultiAz: true,
            requireDeletionProtection: true,
            requiredLogExports: ["postgresql", "upgrade"],
            allowedCaCertificates: CA_CERTIFICATES,
        },
        dev: {
            minimumBackupRetentionDays: 1,
            requireMultiAz: false,
            requireDeletionProtection: false,
            requiredLogExports: ["postgresql", "upgrade"],
            allowedCaCertificates: CA_CERTIFICATES,
        },
    },
};
