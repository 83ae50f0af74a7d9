/**
 * Writes the stack file of a recovery stack (docs/runbooks/disaster-recovery.md): the source stack's
 * file is the template, so the recovery stack has everything the lost one had (sizes, apps, alerting,
 * edge) with only what must differ replaced: the region and its zones, the replica region, the restore
 * keys, and the keys that cannot move (secure: values, which only the source's secrets provider can
 * decrypt, and the pull-request preview keys, which name the source's state and secrets key).
 *
 *   npm run recovery-stack -- --from prod --to prod-recovery --region eu-central-1 --replica-region eu-north-1 \
 *     --database-backups-arn ARN --database-key-arn ARN --velero-bucket NAME --velero-key-arn ARN \
 *     [--restore-time latest|2026-12-01T09:30:00Z] [--velero-backup NAME] [--force]
 *
 * Exit status: 0 written, 2 bad arguments or an unreadable source (nothing written).
 */
import * as fs from "node:fs";
import * as YAML from "yaml";
import { PROJECT } from "../config/schema";
import { policyConfigPath, readPolicyConfig } from "./offline/policyRunner";
import { readStackFile, stackFilePath } from "./offline/stackConfig";

/** What the operator provides (the source stack's outputs and the chosen regions). */
export interface RecoveryStackOptions {
    /** The lost stack. */
    readonly from: string;
    /** The recovery stack's name. */
    readonly to: string;
    /** The recovery region: the lost stack's backups.replicaRegion, where its replicas are. */
    readonly region: string;
    /** The recovery stack's own replica region (a third region: the lost one cannot take a bucket). */
    readonly replicaRegion: string;
    /** The lost stack's databaseBackupReplicaArn output. */
    readonly databaseBackupsArn?: string;
    /** The lost stack's databaseBackupReplicaKeyArn output. */
    readonly databaseKeyArn?: string;
    /** `latest` or a UTC time. */
    readonly restoreTime: string;
    /** The lost stack's backupReplicaBucketName output. */
    readonly veleroBucket?: string;
    /** The lost stack's backupReplicaKeyArn output. */
    readonly veleroKeyArn?: string;
    /** The Velero backup to restore; empty until `velero backup get` has listed it. */
    readonly veleroBackup?: string;
    /** Overwrite an existing stack file. */
    readonly force: boolean;
}

/** The recovery stack's config, and what was left out of it (with why). */
export interface RecoveryStack {
    readonly config: Record<string, unknown>;
    readonly dropped: readonly { readonly key: string; readonly why: string }[];
}

const key = (name: string): string => `${PROJECT}:${name}`;

/** Derives the recovery stack's config from the lost stack's. Pure. */
export function recoveryStackConfig(source: Record<string, unknown>, opts: RecoveryStackOptions): RecoveryStack {
    const sourceRegion = source["aws:region"];
    if (typeof sourceRegion !== "string") {
        throw new Error(`Pulumi.${opts.from}.yaml has no aws:region`);
    }
    const config: Record<string, unknown> = {};
    const dropped: { key: string; why: string }[] = [];
    for (const [name, value] of Object.entries(source)) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            dropped.push({
                key: name,
                why: `encrypted by the secrets provider of ${opts.from}: set it again with pulumi config set --secret ${name} <value> --stack ${opts.to}`,
            });
        } else if (name.startsWith(key("preview."))) {
            dropped.push({
                key: name,
                why: `names the state and secrets key of ${opts.from}: set the recovery stack's own when it takes pull-request previews`,
            });
        } else if (name.startsWith(key("restore."))) {
            dropped.push({ key: name, why: `${opts.from} was itself restored: the recovery stack restores from ${opts.from}'s replicas instead` });
        } else {
            config[name] = value;
        }
    }
    const zones = source[key("network.availabilityZones")];
    config["aws:region"] = opts.region;
    if (Array.isArray(zones)) {
        // The same zone letters in the recovery region (eu-west-1a -> eu-central-1a).
        config[key("network.availabilityZones")] = zones.map((zone) => `${opts.region}${String(zone).slice(sourceRegion.length)}`);
    }
    config[key("backups.replicaRegion")] = opts.replicaRegion;
    const retention = source[key("database.backupReplicationRetentionDays")];
    Object.assign(config, {
        [key("restore.enabled")]: true,
        [key("restore.sourceStack")]: opts.from,
        [key("restore.sourceRegion")]: sourceRegion,
        [key("restore.windowDays")]: typeof retention === "number" && retention > 0 ? retention : 7,
        [key("restore.databaseRestoreTime")]: opts.restoreTime,
        [key("restore.veleroPrefix")]: `${PROJECT}-${opts.from}-eks`,
    });
    const optional: [string, string | undefined][] = [
        ["restore.databaseAutomatedBackupsArn", opts.databaseBackupsArn],
        ["restore.databaseKeyArn", opts.databaseKeyArn],
        ["restore.veleroBucket", opts.veleroBucket],
        ["restore.veleroKeyArn", opts.veleroKeyArn],
        ["restore.veleroBackup", opts.veleroBackup],
    ];
    for (const [name, value] of optional) {
        if (value !== undefined && value !== "") {
            config[key(name)] = value;
        }
    }
    return { config, dropped };
}

/** The customer-managed-key rule's name in the policy pack. */
const CUSTOMER_MANAGED_KEY_RULE = "platform-kms-key-customer-managed";

/**
 * The recovery stack's policy config: the lost stack's, with the replicated backups' key among the
 * reviewed keys. The restored instance keeps that key (a point-in-time restore cannot change it); it is
 * a key the lost stack made, with the same reviewed policy, not a key from elsewhere.
 */
export function recoveryPolicyConfig(source: Record<string, unknown>, databaseKeyArn: string | undefined): Record<string, unknown> {
    const rule = (source[CUSTOMER_MANAGED_KEY_RULE] ?? {}) as { allowedKeyArnPatterns?: string[] };
    const allowed = [...(rule.allowedKeyArnPatterns ?? []), ...(databaseKeyArn === undefined ? [] : [databaseKeyArn])];
    return { ...source, [CUSTOMER_MANAGED_KEY_RULE]: { ...rule, allowedKeyArnPatterns: allowed } };
}

const USAGE =
    "usage: npm run recovery-stack -- --from STACK --to STACK --region REGION --replica-region REGION [--database-backups-arn ARN] [--database-key-arn ARN] [--restore-time latest|TIME] [--velero-bucket NAME] [--velero-key-arn ARN] [--velero-backup NAME] [--force]";

const FLAGS: Record<string, keyof RecoveryStackOptions> = {
    "--from": "from",
    "--to": "to",
    "--region": "region",
    "--replica-region": "replicaRegion",
    "--database-backups-arn": "databaseBackupsArn",
    "--database-key-arn": "databaseKeyArn",
    "--restore-time": "restoreTime",
    "--velero-bucket": "veleroBucket",
    "--velero-key-arn": "veleroKeyArn",
    "--velero-backup": "veleroBackup",
};

/** Parses argv (without node and script); returns an error message for bad arguments. */
export function parseArgs(argv: readonly string[]): RecoveryStackOptions | string {
    const opts: Record<string, unknown> = { restoreTime: "latest", force: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--force") {
            opts.force = true;
            continue;
        }
        const field = FLAGS[arg];
        if (field === undefined) {
            return `unknown argument ${JSON.stringify(arg)}\n${USAGE}`;
        }
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) {
            return `${arg} needs a value\n${USAGE}`;
        }
        opts[field] = value;
        i++;
    }
    for (const [flag, field] of Object.entries(FLAGS).slice(0, 4)) {
        if (opts[field] === undefined) {
            return `${flag} is required\n${USAGE}`;
        }
    }
    for (const field of ["from", "to"] as const) {
        if (!/^[A-Za-z0-9_.-]+$/.test(opts[field] as string)) {
            return `--${field} ${JSON.stringify(opts[field])} is not a stack name\n${USAGE}`;
        }
    }
    if (opts.from === opts.to) {
        return `--to must name a new stack, not ${JSON.stringify(opts.from)}\n${USAGE}`;
    }
    return opts as unknown as RecoveryStackOptions;
}

function main(argv: readonly string[]): number {
    const opts = parseArgs(argv);
    if (typeof opts === "string") {
        console.error(opts);
        return 2;
    }
    const target = stackFilePath(opts.to);
    if (fs.existsSync(target) && !opts.force) {
        console.error(`${target} exists; pass --force to overwrite it`);
        return 2;
    }
    let source: Record<string, unknown>;
    try {
        source = readStackFile(stackFilePath(opts.from));
    } catch (error) {
        console.error((error as Error).message);
        return 2;
    }
    const { config, dropped } = recoveryStackConfig(source, opts);
    const header = `# ${opts.to}: recovery of ${opts.from} in ${opts.region} (npm run recovery-stack; docs/runbooks/disaster-recovery.md).\n`;
    fs.writeFileSync(target, header + YAML.stringify({ config }));
    console.log(`wrote ${target}`);
    const policyConfig = policyConfigPath(opts.to);
    fs.writeFileSync(
        policyConfig,
        `${JSON.stringify(recoveryPolicyConfig(readPolicyConfig(opts.from) as Record<string, unknown>, opts.databaseKeyArn), null, 2)}\n`,
    );
    console.log(`wrote ${policyConfig} (${opts.from}'s, with the replicated backups' key reviewed)`);
    for (const item of dropped) {
        console.log(`  left out ${item.key}: ${item.why}`);
    }
    console.log(`next: npm run plan -- --stack ${opts.to}, then the runbook's pulumi stack init and pulumi up`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
