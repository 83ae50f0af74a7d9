/**
 * The cluster's certificate issuers (cert-manager ClusterIssuers): Let's Encrypt staging and production,
 * solving DNS-01 challenges in the stack's Route 53 hosted zone, when the stack has a public domain; and
 * always an internal CA for in-cluster TLS: a self-signed ClusterIssuer signs one CA Certificate in the
 * cert-manager namespace, and a CA ClusterIssuer signs workload certificates with that CA's key.
 *
 * Every object is a custom resource whose CRD and validating webhook come with the cert-manager
 * release, so each depends on that release.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The ACME directories of Let's Encrypt. */
export const LETS_ENCRYPT_SERVERS = {
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
    production: "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** Names of the ClusterIssuers (what Certificates and Ingress annotations refer to). */
export const CLUSTER_ISSUERS = {
    letsEncryptStaging: "letsencrypt-staging",
    letsEncryptProduction: "letsencrypt-production",
    selfSigned: "platform-selfsigned",
    internalCa: "platform-internal-ca",
} as const;

/** The Secret (in the cert-manager namespace) that holds the internal CA's certificate and key. */
export const INTERNAL_CA_SECRET = "platform-internal-ca";

const defaults = {
    /** The internal CA is valid for five years and renewed one year before it expires. */
    caDuration: "43800h",
    caRenewBefore: "8760h",
};

/** A Kubernetes object as plain data: what a CustomResource is created from and a schema validates. */
export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string };
    readonly spec: Record<string, unknown>;
}

/** What a Let's Encrypt issuer needs: the account email and the zone it answers challenges in. */
export interface AcmeSettings {
    /** Contact email of the ACME account. */
    readonly email: string;
    /** Id of the Route 53 public hosted zone. */
    readonly hostedZoneId: string;
    /** Name of that zone; the solver only handles names in it. */
    readonly hostedZoneName: string;
    /** Region of the stack (the Route 53 client's region; Route 53 itself is global). */
    readonly region: string;
}

/**
 * A Let's Encrypt ClusterIssuer solving DNS-01 in one Route 53 zone. The solver names the zone id, so
 * cert-manager never lists hosted zones; it uses the controller's ambient (IRSA) credentials, which a
 * ClusterIssuer may use by default.
 */
export function letsEncryptIssuer(name: string, server: string, acme: AcmeSettings): KubernetesObject {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name },
        spec: {
            acme: {
                server,
                email: acme.email,
                privateKeySecretRef: { name: `${name}-account-key` },
                solvers: [
                    {
                        selector: { dnsZones: [acme.hostedZoneName] },
                        dns01: { route53: { region: acme.region, hostedZoneID: acme.hostedZoneId } },
                    },
                ],
            },
        },
    };
}

/** The self-signed ClusterIssuer: it signs the internal CA's certificate and nothing else. */
export function selfSignedIssuer(): KubernetesObject {
    return { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: CLUSTER_ISSUERS.selfSigned }, spec: { selfSigned: {} } };
}

/**
 * The internal CA: a self-signed ECDSA P-256 CA certificate in the cert-manager namespace (the namespace
 * a ClusterIssuer reads its Secret from). The key is kept on renewal (`rotationPolicy: Never`), so
 * clients that trust the CA keep verifying certificates across renewals; replacing the key is a planned
 * rotation of the trust bundle.
 */
export function internalCaCertificate(namespace: string, commonName: string): KubernetesObject {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: INTERNAL_CA_SECRET, namespace },
        spec: {
            isCA: true,
            commonName,
            secretName: INTERNAL_CA_SECRET,
            duration: defaults.caDuration,
            renewBefore: defaults.caRenewBefore,
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never" },
            issuerRef: { name: CLUSTER_ISSUERS.selfSigned, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
    };
}

/** The CA ClusterIssuer that signs in-cluster certificates with the internal CA. */
export function internalCaIssuer(): KubernetesObject {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: CLUSTER_ISSUERS.internalCa },
        spec: { ca: { secretName: INTERNAL_CA_SECRET } },
    };
}

/** Arguments of {@link ClusterIssuers}. */
export interface ClusterIssuersArgs {
    /** The cert-manager namespace (where the CA's Secret and the ACME account keys live). */
    namespace: string;
    /** Common name of the internal CA. */
    caCommonName: string;
    /** Let's Encrypt settings; undefined: no public zone, so only the internal CA. */
    acme?: AcmeSettings;
    /** The cert-manager release (CRDs and webhook). */
    release: pulumi.Resource;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** The ClusterIssuers and the internal CA's Certificate. */
export class ClusterIssuers extends pulumi.ComponentResource {
    /** Names of the ClusterIssuers created. */
    public readonly issuerNames: string[];

    constructor(name: string, args: ClusterIssuersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:ClusterIssuers", name, {}, opts);
        const create = (logicalName: string, object: KubernetesObject, after: pulumi.Resource[] = []) =>
            new k8s.apiextensions.CustomResource(logicalName, { ...object }, { parent: this, provider: args.provider, dependsOn: [args.release, ...after] });

        const issuers: KubernetesObject[] = [];
        if (args.acme !== undefined) {
            const staging = letsEncryptIssuer(CLUSTER_ISSUERS.letsEncryptStaging, LETS_ENCRYPT_SERVERS.staging, args.acme);
            const production = letsEncryptIssuer(CLUSTER_ISSUERS.letsEncryptProduction, LETS_ENCRYPT_SERVERS.production, args.acme);
            create(`${name}-letsencrypt-staging`, staging);
            create(`${name}-letsencrypt-production`, production);
            issuers.push(staging, production);
        }
        const selfSigned = create(`${name}-selfsigned`, selfSignedIssuer());
        const caCertificate = create(`${name}-internal-ca-certificate`, internalCaCertificate(args.namespace, args.caCommonName), [selfSigned]);
        create(`${name}-internal-ca`, internalCaIssuer(), [caCertificate]);
        issuers.push(selfSignedIssuer(), internalCaIssuer());
        this.issuerNames = issuers.map((i) => i.metadata.name);
        this.registerOutputs({ issuerNames: this.issuerNames });
    }
}
