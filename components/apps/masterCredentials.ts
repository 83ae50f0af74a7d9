/**
 * The RDS master credentials in `database-admin`, synced by the External Secrets Operator from the
 * secret RDS manages (and rotates) in Secrets Manager: the program never reads the password, the
 * state never holds it, and a preview needs no access to the secret or its key.
 *
 * - A service account of `database-admin` with an IRSA role that may read exactly that secret, and
 *   decrypt with the data key only through Secrets Manager, only for that secret. No pod runs as it:
 *   the operator requests its tokens (TokenRequest) to assume the role.
 * - A namespaced SecretStore (Secrets Manager in the stack's region) that authenticates as that service
 *   account. A SecretStore can only name a service account of its own namespace, so no other namespace
 *   can use the role (the operator itself has no AWS identity, and ignores cluster-wide stores).
 * - An ExternalSecret that writes the Secret `database-master` (libpq variables) and refreshes it, so a
 *   Job started after a rotation signs in with the new password without a `pulumi up`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with { "resolution-mode": "import" };
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore" with { "resolution-mode": "import" };
import { EXTERNAL_SECRETS_API_VERSION } from "../addons/externalSecrets";
import { WorkloadRole } from "../eks/workloadIdentity";
import { viaService } from "../partitions";
import { policyDocument, type PolicyDocument } from "../policyDocument";

/** Names and timings of the synced master credentials. */
export const masterCredentialsDefaults = {
    /** The service account whose role reads the master secret (never mounted by a pod). */
    serviceAccountName: "database-master-reader",
    /** The SecretStore of the namespace. */
    secretStoreName: "aws-secrets-manager",
    /** The ExternalSecret, and the Secret it writes (the Jobs' `envFrom`). */
    secretName: "database-master",
    /**
     * How often the operator reads the secret again: a Job started within this long after a rotation may
     * still get the old password (its pod fails and is retried; `kubectl annotate externalsecret ...
     * force-sync=...` refreshes at once, see docs/runbooks/rotate-credentials.md). One GetSecretValue each time.
     */
    refreshInterval: "15m",
} as const;

/** The AWS side of the master secret. */
export interface MasterSecretRef {
    /** ARN of the RDS-managed secret. */
    readonly secretArn: string;
    /** ARN of the KMS key RDS encrypts it with (the stack's data key). */
    readonly keyArn: string;
    /** Region of the secret. */
    readonly region: string;
    /** AWS partition. */
    readonly partition: string;
}

/**
 * The reader's policy: GetSecretValue on the one secret (the operator's Secrets Manager provider makes no
 * other call for an ExternalSecret without `metadataPolicy: Fetch`), and kms:Decrypt on the data key only
 * when Secrets Manager asks for it, in the stack's region, for that secret (Secrets Manager's encryption
 * context names the secret's ARN). No DescribeSecret, ListSecrets or BatchGetSecretValue.
 */
export function masterSecretReadPolicy(ref: MasterSecretRef): PolicyDocument {
    return policyDocument(
        { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ref.secretArn },
        {
            Sid: "DecryptTheMasterSecretThroughSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: ref.keyArn,
            Condition: {
                StringEquals: {
                    "kms:ViaService": viaService("secretsmanager", ref.region),
                    "kms:EncryptionContext:SecretARN": ref.secretArn,
                },
            },
        },
    );
}

/** The namespaced SecretStore: Secrets Manager in `region`, as the reader service account of `namespace`. */
export function masterSecretStore(namespace: string, region: string): ISecretStore {
    const d = masterCredentialsDefaults;
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "SecretStore",
        metadata: { name: d.secretStoreName, namespace, labels: { "app.kubernetes.io/part-of": "platform" } },
        spec: {
            provider: { aws: { service: "SecretsManager", region, auth: { jwt: { serviceAccountRef: { name: d.serviceAccountName } } } } },
        },
    };
}

/** Where the database is: the non-secret half of the libpq variables. */
export interface MasterEndpoint {
    /** Primary hostname. */
    readonly host: string;
    /** Port. */
    readonly port: number;
    /** The database the master user signs in to. */
    readonly database: string;
}

/**
 * The ExternalSecret: `username` and `password` of the RDS secret (its JSON keys), templated with the
 * endpoint into the libpq variables the Jobs read (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD).
 * Pulumi waits for its Ready condition, so nothing that reads the Secret starts before the first sync.
 */
export function masterExternalSecret(namespace: string, secretArn: string, endpoint: MasterEndpoint): IExternalSecret {
    const d = masterCredentialsDefaults;
    const remote = (property: string) => ({ key: secretArn, property });
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "ExternalSecret",
        metadata: {
            name: d.secretName,
            namespace,
            labels: { "app.kubernetes.io/part-of": "platform" },
            annotations: { "pulumi.com/waitFor": "condition=Ready" },
        },
        spec: {
            refreshInterval: d.refreshInterval,
            refreshPolicy: "Periodic",
            secretStoreRef: { kind: "SecretStore", name: d.secretStoreName },
            target: {
                name: d.secretName,
                // The Secret belongs to the ExternalSecret: deleting one deletes the other.
                creationPolicy: "Owner",
                template: {
                    type: "Opaque",
                    engineVersion: "v2",
                    data: {
                        PGHOST: endpoint.host,
                        PGPORT: String(endpoint.port),
                        PGDATABASE: endpoint.database,
                        PGUSER: "{{ .username }}",
                        PGPASSWORD: "{{ .password }}",
                    },
                },
            },
            data: [
                { secretKey: "username", remoteRef: remote("username") },
                { secretKey: "password", remoteRef: remote("password") },
            ],
        },
    };
}

/** The metadata of an object the functions above build (they always set it). */
function metadataOf(object: ISecretStore | IExternalSecret): k8s.types.input.meta.v1.ObjectMeta {
    return object.metadata as k8s.types.input.meta.v1.ObjectMeta;
}

/** Arguments of {@link MasterCredentials}. */
export interface MasterCredentialsArgs {
    /** The `database-admin` namespace (an output, so the objects wait for it). */
    namespace: pulumi.Input<string>;
    /** The namespace's name, for the role's trust policy. */
    namespaceName: string;
    /** ARN of the RDS-managed master secret. */
    secretArn: pulumi.Input<string>;
    /** ARN of the key RDS encrypts it with. */
    keyArn: pulumi.Input<string>;
    /** Region of the stack. */
    region: string;
    /** AWS partition. */
    partition: string;
    /** The instance's endpoint. */
    endpoint: { host: pulumi.Input<string>; port: number; database: string };
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Prefix of the role's Name tag. */
    namePrefix: string;
    /** The External Secrets Operator's release (CRDs and the webhook that admits the objects). */
    operatorRelease: pulumi.Resource;
    /** What the objects wait for besides (the namespace's quota and limits). */
    after: pulumi.Resource[];
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** The synced master credentials of `database-admin`. */
export class MasterCredentials extends pulumi.ComponentResource {
    /** The Secret's name. */
    public readonly secretName: string = masterCredentialsDefaults.secretName;
    /** The ExternalSecret: Ready once the Secret exists with the current credentials. */
    public readonly externalSecret: k8s.apiextensions.CustomResource;

    constructor(name: string, args: MasterCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:MasterCredentials", name, {}, opts);
        const d = masterCredentialsDefaults;
        const inCluster = { parent: this, provider: args.provider };
        const policy = pulumi
            .all([args.secretArn, args.keyArn])
            .apply(([secretArn, keyArn]) => masterSecretReadPolicy({ secretArn, keyArn, region: args.region, partition: args.partition }));
        const role = new WorkloadRole(
            `${name}-reader`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: args.namespaceName,
                serviceAccount: d.serviceAccountName,
                purpose: "External Secrets Operator: the RDS master secret into database-admin",
                namePrefix: args.namePrefix,
                policy,
            },
            { parent: this },
        );
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-reader`,
            {
                metadata: {
                    name: d.serviceAccountName,
                    namespace: args.namespace,
                    labels: { "app.kubernetes.io/part-of": "platform" },
                    annotations: { "eks.amazonaws.com/role-arn": role.role.arn },
                },
                automountServiceAccountToken: false,
            },
            { ...inCluster, dependsOn: args.after },
        );
        const store = pulumi.output(args.namespace).apply((namespace) => masterSecretStore(namespace, args.region));
        const secretStore = new k8s.apiextensions.CustomResource(
            `${name}-store`,
            { apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: "SecretStore", metadata: store.apply(metadataOf), spec: store.spec },
            // The store turns Ready only once the role (and its policy) can be assumed.
            { ...inCluster, dependsOn: [args.operatorRelease, role, serviceAccount] },
        );
        const externalSecret = pulumi
            .all([args.namespace, args.secretArn, args.endpoint.host])
            .apply(([namespace, secretArn, host]) =>
                masterExternalSecret(namespace, secretArn, { host, port: args.endpoint.port, database: args.endpoint.database }),
            );
        this.externalSecret = new k8s.apiextensions.CustomResource(
            `${name}-external-secret`,
            { apiVersion: EXTERNAL_SECRETS_API_VERSION, kind: "ExternalSecret", metadata: externalSecret.apply(metadataOf), spec: externalSecret.spec },
            { ...inCluster, dependsOn: [args.operatorRelease, secretStore, ...args.after] },
        );
        this.registerOutputs({ secretName: this.secretName });
    }
}
