/**
 * One application's own PostgreSQL role and database, whose password Pulumi owns: a random password
 * (replaced when the application's `passwordVersion` changes) and a Job in `database-admin` that signs
 * in with the master credentials and makes the role and database match, idempotently. Secrets Manager's
 * rotation of the master password never reaches the application.
 *
 * The verifier reaches psql as a mounted file (read with a backtick `cat` of a fixed path, whose output
 * psql assigns verbatim). The Job never sees the application's password: it sets the role's SCRAM-SHA-256 verifier, computed
 * here, so the `log_statement = ddl` log of the instance records a verifier, not a password.
 */
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { POSTGRES_CLIENT_IMAGE } from "../../versions";
import type { DatabaseAdmin } from "./databaseAdmin";
import type { MasterCredentials } from "./masterCredentials";
import { databaseAdminDefaults } from "./databaseAdmin";
import { PRIORITY_CLASSES } from "../priorities";

/** The psql image, `<repository>:<tag>@<digest>`: the tag for readers, the digest for the kubelet. */
export const POSTGRES_CLIENT_IMAGE_REFERENCE = `${POSTGRES_CLIENT_IMAGE.repository}:${POSTGRES_CLIENT_IMAGE.tag}@${POSTGRES_CLIENT_IMAGE.digest}`;

/** The Jobs run for an application (its role and database), so they are in the applications' class. */
export const DATABASE_USER_PRIORITY_CLASS = PRIORITY_CLASSES.applications.name;

/** Fixed settings of every database user and its Job. */
export const databaseUserDefaults = {
    /** Characters of the password (alphanumerics and URL-unreserved specials only). */
    passwordLength: 40,
    /** Specials the password may contain: none needs percent-encoding in a URL. */
    passwordSpecials: "-_.~",
    /** PBKDF2 iterations of the SCRAM verifier (PostgreSQL's default `scram_iterations`). */
    scramIterations: 4096,
    /** Connections the role may hold at once. */
    connectionLimit: 100,
    /** UID and GID of the Job (10000+ like every platform pod; psql needs no user of the image, HOME is /tmp). */
    user: 10001,
    /** Where the verifier Secret is mounted (a file, never an environment variable). */
    verifierDir: "/etc/database-user-secret",
    /** Where the SQL script is mounted. */
    scriptDir: "/etc/database-user",
    /** The script's file name (the ConfigMap key). */
    scriptFile: "create-user.sql",
    /** Seconds the Job may run (Pulumi fails the deployment then). */
    deadlineSeconds: 300,
    /** Retries of a failed pod. */
    backoffLimit: 2,
} as const;

/**
 * The psql script the Job runs. Every value comes from the environment through `\getenv` (the verifier from its mounted file) and reaches SQL
 * only as a quoted psql variable (`:'role'`) formatted with `%I` / `%L`, so neither the shell nor psql
 * interpolates a value into SQL text. `CREATE DATABASE` cannot run in a DO block, hence `\gexec`.
 * On RDS the master user is not a superuser: only it may not name SUPERUSER, REPLICATION or BYPASSRLS in
 * ALTER ROLE (hence they are set at creation), and it is granted the role so it may make it a database owner.
 */
export const DATABASE_USER_SCRIPT = [
    "\\set ON_ERROR_STOP on",
    "\\getenv role APP_ROLE",
    "\\getenv database APP_DATABASE",
    "\\set verifier `cat /etc/database-user-secret/APP_PASSWORD_VERIFIER`",
    "\\getenv connection_limit APP_CONNECTION_LIMIT",
    "SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'role') WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'role') \\gexec",
    "SELECT format('ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT %s PASSWORD %L', :'role', :'connection_limit'::integer, :'verifier') \\gexec",
    "SELECT format('GRANT %I TO %I', :'role', current_user) WHERE NOT pg_catalog.pg_has_role(current_user, :'role', 'MEMBER') \\gexec",
    "SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = :'database') \\gexec",
    "SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \\gexec",
    "SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \\gexec",
    "",
].join("\n");

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802 / 7677):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. `ALTER ROLE ... PASSWORD '<verifier>'`
 * sets it as is. The password must be ASCII (SASLprep leaves it unchanged), as the generated ones are.
 */
export function scramVerifier(password: string, salt: Buffer, iterations: number = databaseUserDefaults.scramIterations): string {
    if (!/^[\x20-\x7e]+$/.test(password)) {
        throw new Error("scramVerifier: the password must be printable ASCII");
    }
    const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = createHash("sha256").update(clientKey).digest();
    const serverKey = createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** What names the Job: everything it applies. A new password, script, image or version gives a new Job. */
export interface JobFingerprint {
    readonly role: string;
    readonly database: string;
    readonly connectionLimit: number;
    readonly passwordVersion: number;
    readonly verifier: string;
    readonly image: string;
    readonly script: string;
    /** A Job's pod template cannot change: a new class is a new Job. */
    readonly priorityClassName: string;
}

/** `<app>-database-user-<10 hex>`: a hash of the fingerprint, which reveals nothing of the verifier. */
export function databaseUserJobName(app: string, fingerprint: JobFingerprint): string {
    const hash = createHash("sha256").update(JSON.stringify(fingerprint)).digest("hex").slice(0, 10);
    return `${app}-database-user-${hash}`;
}

/** Names the Job spec needs. */
export interface DatabaseUserJobInputs {
    /** The role (and the application). */
    readonly role: string;
    /** The database. */
    readonly database: string;
    /** The role's connection limit. */
    readonly connectionLimit: number;
    /** The Secret with APP_PASSWORD_VERIFIER. */
    readonly verifierSecretName: string;
    /** The ConfigMap with the script. */
    readonly scriptConfigMapName: string;
}

/** The Job spec: psql with the master credentials, hardened, no retry storm, no TTL (see the README). */
export function databaseUserJobSpec(inputs: DatabaseUserJobInputs): k8s.types.input.batch.v1.JobSpec {
    const d = databaseUserDefaults;
    return {
        backoffLimit: d.backoffLimit,
        activeDeadlineSeconds: d.deadlineSeconds,
        // No ttlSecondsAfterFinished: Pulumi would find the Job gone on refresh and create it again.
        template: {
            metadata: { labels: { ...databaseAdminDefaults.podLabels, "app.kubernetes.io/component": "database-user", "platform/application": inputs.role } },
            spec: {
                serviceAccountName: databaseAdminDefaults.serviceAccountName,
                automountServiceAccountToken: false,
                priorityClassName: DATABASE_USER_PRIORITY_CLASS,
                restartPolicy: "Never",
                securityContext: {
                    runAsNonRoot: true,
                    runAsUser: d.user,
                    runAsGroup: d.user,
                    fsGroup: d.user,
                    seccompProfile: { type: "RuntimeDefault" },
                },
                containers: [
                    {
                        name: "psql",
                        image: POSTGRES_CLIENT_IMAGE_REFERENCE,
                        command: ["psql", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--file", `${d.scriptDir}/${d.scriptFile}`],
                        // The Secret the External Secrets Operator keeps in step with the RDS-managed secret: a Job
                        // started after a rotation reads the new password (within the ExternalSecret's refresh interval).
                        envFrom: [{ secretRef: { name: databaseAdminDefaults.masterSecretName } }],
                        env: [
                            // RDS refuses plain connections (rds.force_ssl); require TLS from the client too.
                            { name: "PGSSLMODE", value: "require" },
                            { name: "PGCONNECT_TIMEOUT", value: "10" },
                            { name: "PGAPPNAME", value: "platform-database-user" },
                            { name: "HOME", value: "/tmp" },
                            { name: "APP_ROLE", value: inputs.role },
                            { name: "APP_DATABASE", value: inputs.database },
                            { name: "APP_CONNECTION_LIMIT", value: String(inputs.connectionLimit) },
                        ],
                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
                        securityContext: {
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            runAsNonRoot: true,
                            runAsUser: d.user,
                            runAsGroup: d.user,
                            capabilities: { drop: ["ALL"] },
                            seccompProfile: { type: "RuntimeDefault" },
                        },
                        volumeMounts: [
                            { name: "tmp", mountPath: "/tmp" },
                            { name: "script", mountPath: d.scriptDir, readOnly: true },
                            { name: "verifier", mountPath: d.verifierDir, readOnly: true },
                        ],
                    },
                ],
                volumes: [
                    { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    { name: "script", configMap: { name: inputs.scriptConfigMapName, defaultMode: 0o444 } },
                    { name: "verifier", secret: { secretName: inputs.verifierSecretName, defaultMode: 0o440 } },
                ],
            },
        },
    };
}

/** Arguments of {@link DatabaseUser}. */
export interface DatabaseUserArgs {
    /** The application: also the role and the database name. */
    app: string;
    /** Bump to get a new password (a keeper of the random password). */
    passwordVersion: number;
    /** The role's connection limit; defaults to {@link databaseUserDefaults.connectionLimit}. */
    connectionLimit?: number;
    /** The `database-admin` namespace. */
    admin: DatabaseAdmin;
    /** The master credentials the Job signs in with (the operator's synced Secret; the Job waits for its first sync). */
    masterCredentials: MasterCredentials;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** An application's PostgreSQL role and database, and the password it signs in with. */
export class DatabaseUser extends pulumi.ComponentResource {
    /** The role. */
    public readonly username: string;
    /** The database. */
    public readonly database: string;
    /** The role's password (a secret). */
    public readonly password: pulumi.Output<string>;
    /** The Job that applies the role; whatever uses the password waits for it. */
    public readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: DatabaseUserArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:DatabaseUser", name, {}, opts);
        const d = databaseUserDefaults;
        this.username = args.app;
        this.database = args.app;
        const connectionLimit = args.connectionLimit ?? d.connectionLimit;
        const keepers = { passwordVersion: String(args.passwordVersion) };
        const password = new random.RandomPassword(
            `${name}-password`,
            { length: d.passwordLength, special: true, overrideSpecial: d.passwordSpecials, minLower: 4, minUpper: 4, minNumeric: 4, keepers },
            { parent: this },
        );
        // The salt is random too, and replaced with the password: the verifier never changes between deployments otherwise.
        const salt = new random.RandomPassword(`${name}-scram-salt`, { length: 24, special: false, keepers }, { parent: this });
        this.password = pulumi.secret(password.result);
        const verifier = pulumi.secret(pulumi.all([password.result, salt.result]).apply(([p, s]) => scramVerifier(p, Buffer.from(s, "utf8"))));

        const inAdmin = { parent: this, provider: args.provider };
        const verifierSecretName = `${args.app}-database-user`;
        const verifierSecret = new k8s.core.v1.Secret(
            `${name}-verifier`,
            {
                metadata: { name: verifierSecretName, namespace: args.admin.namespace, labels: { "app.kubernetes.io/part-of": "platform" } },
                type: "Opaque",
                stringData: verifier.apply((v) => ({ APP_PASSWORD_VERIFIER: v })),
            },
            inAdmin,
        );
        const script = new k8s.core.v1.ConfigMap(
            `${name}-script`,
            {
                metadata: { name: `${args.app}-database-user-sql`, namespace: args.admin.namespace, labels: { "app.kubernetes.io/part-of": "platform" } },
                data: { [d.scriptFile]: DATABASE_USER_SCRIPT },
            },
            inAdmin,
        );
        const jobName = pulumi.unsecret(
            verifier.apply((v) =>
                databaseUserJobName(args.app, {
                    role: this.username,
                    database: this.database,
                    connectionLimit,
                    passwordVersion: args.passwordVersion,
                    verifier: v,
                    image: POSTGRES_CLIENT_IMAGE_REFERENCE,
                    script: DATABASE_USER_SCRIPT,
                    priorityClassName: DATABASE_USER_PRIORITY_CLASS,
                }),
            ),
        );
        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: {
                    name: jobName,
                    namespace: args.admin.namespace,
                    labels: { ...databaseAdminDefaults.podLabels, "app.kubernetes.io/component": "database-user" },
                },
                spec: databaseUserJobSpec({
                    role: this.username,
                    database: this.database,
                    connectionLimit,
                    verifierSecretName,
                    scriptConfigMapName: `${args.app}-database-user-sql`,
                }),
            },
            // A new name is a new Job: Pulumi creates it, waits for it to complete, then deletes the old one.
            { ...inAdmin, dependsOn: [...args.admin.ready, args.masterCredentials.externalSecret, verifierSecret, script] },
        );
        this.registerOutputs({ username: this.username, database: this.database });
    }
}
