/**
 * An application's credentials: connection URLs built from the data tier's outputs plus its own secrets
 * from config, in one Kubernetes Secret that its pods mount as files. Everything here stays a Pulumi
 * secret; only a checksum (which reveals nothing) leaves it, to roll the pods when a value changes.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { secretInput, type UnknownConfigValue } from "../../config/unknown";

/** The TLS mode of DATABASE_URL (see the README, "Applications": the instance refuses plain connections). */
export const DATABASE_SSL_MODE = "require";

/** What a database URL is built from. */
export interface DatabaseEndpoint {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly username: string;
    readonly password: string;
}

/** `postgres://user:password@host:port/db?sslmode=require`, user and password percent-encoded. */
export function databaseUrl(db: DatabaseEndpoint): string {
    const user = encodeURIComponent(db.username);
    const password = encodeURIComponent(db.password);
    return `postgres://${user}:${password}@${db.host}:${db.port}/${encodeURIComponent(db.name)}?sslmode=${DATABASE_SSL_MODE}`;
}

/** `rediss://:token@host:port`: TLS, and the AUTH token of the default user. */
export function redisUrl(host: string, port: number, authToken: string): string {
    return `rediss://:${encodeURIComponent(authToken)}@${host}:${port}`;
}

/** A stable checksum of a Secret's data (keys sorted), for a pod-template annotation. */
export function checksumOf(data: Readonly<Record<string, string>>): string {
    const hash = createHash("sha256");
    for (const key of Object.keys(data).sort()) {
        hash.update(`${key}\0${data[key]}\0`);
    }
    return hash.digest("hex");
}

/** The database outputs an application may use: the instance, and the application's own role and database. */
export interface DatabaseOutputs {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    /** The application's database. */
    readonly name: string;
    /** The application's role (never the master user). */
    readonly username: string;
    /** The role's password, which Pulumi owns (a secret). */
    readonly password: pulumi.Input<string>;
}

/** The cache outputs an application may use. */
export interface CacheOutputs {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    /** AUTH token (a secret). */
    readonly authToken: pulumi.Input<string>;
}

/** Arguments of {@link AppCredentials}. */
export interface AppCredentialsArgs {
    /** Namespace of the Secret. */
    namespace: pulumi.Input<string>;
    /** Secret name. */
    secretName: string;
    /** The database, when the application uses it. */
    database?: DatabaseOutputs;
    /** The cache, when the application uses it. */
    cache?: CacheOutputs;
    /** The application's own secrets (variable name to value); unknown offline when encrypted in the stack file. */
    secrets: Readonly<Record<string, string>> | UnknownConfigValue;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** The credentials Secret of one application. */
export class AppCredentials extends pulumi.ComponentResource {
    /** The Secret. */
    public readonly secret: k8s.core.v1.Secret;
    /** Checksum of its data, for the pod template (not secret: a hash of high-entropy values). */
    public readonly checksum: pulumi.Output<string>;

    constructor(name: string, args: AppCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:AppCredentials", name, {}, opts);
        const db = args.database;
        const cache = args.cache;
        const data: pulumi.Output<Record<string, string>> = pulumi.secret(
            pulumi
                .all([secretInput<Record<string, string>>(args.secrets), db?.host ?? "", db?.password ?? "", cache?.host ?? "", cache?.authToken ?? ""])
                .apply(([secrets, dbHost, dbPassword, cacheHost, authToken]): Record<string, string> => ({
                    ...secrets,
                    ...(db !== undefined ? { DATABASE_URL: databaseUrl({ ...db, host: dbHost, password: dbPassword }) } : {}),
                    ...(cache !== undefined ? { REDIS_URL: redisUrl(cacheHost, cache.port, authToken) } : {}),
                })),
        );
        this.secret = new k8s.core.v1.Secret(
            name,
            { metadata: { name: args.secretName, namespace: args.namespace }, type: "Opaque", immutable: false, stringData: data },
            { parent: this, provider: args.provider },
        );
        this.checksum = pulumi.unsecret(data.apply(checksumOf));
        this.registerOutputs({ secretName: args.secretName });
    }
}
