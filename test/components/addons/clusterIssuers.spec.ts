import { expect } from "chai";
import {
    CLUSTER_ISSUERS,
    INTERNAL_CA_SECRET,
    internalCaCertificate,
    internalCaIssuer,
    letsEncryptIssuer,
    LETS_ENCRYPT_SERVERS,
    selfSignedIssuer,
} from "../../../components/addons/clusterIssuers";
import { planWith, sharedPlan, type Plan, type RecordedResource } from "../../harness";

// CommonJS models generated from cert-manager's CRD schemas (offline-testing.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const models = require("@kubernetes-models/cert-manager/cert-manager.io/v1") as Record<string, new (data: unknown) => { validate(): void }>;

const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The object a CustomResource was registered with. */
function objectOf(resource: RecordedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, spec } = resource.inputs as Record<string, unknown>;
    return { apiVersion, kind, metadata, spec };
}

function validate(object: Record<string, unknown>): void {
    new models[object.kind as string](object).validate();
}

describe("cluster issuers", () => {
    let dev: Plan;
    let prod: Plan;
    let noDomain: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
        noDomain = await planWith("dev", {
            "platform:edge.domain": undefined,
            "platform:edge.hostedZoneId": undefined,
            "platform:edge.hostedZoneName": undefined,
            "platform:certManager.acmeEmail": undefined,
            // Public application hosts need the domain too.
            "platform:apps": undefined,
        });
    });

    it("Let's Encrypt staging and production solve DNS-01 in the stack's zone, with the ACME email from config", () => {
        const names = (plan: Plan) =>
            plan
                .ofType(ISSUER)
                .map((r) => (r.inputs.metadata as { name: string }).name)
                .sort();
        expect(names(prod)).to.deep.equal(["letsencrypt-production", "letsencrypt-staging", "platform-internal-ca", "platform-selfsigned"]);
        const production = prod.get(ISSUER, "cert-manager-issuers-letsencrypt-production");
        expect(production.inputs.spec).to.deep.equal({
            acme: {
                server: "https://acme-v02.api.letsencrypt.org/directory",
                email: "platform-oncall@example.com",
                privateKeySecretRef: { name: "letsencrypt-production-account-key" },
                solvers: [{ selector: { dnsZones: ["example.com"] }, dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789EXAMPLE0AB" } } }],
            },
        });
        const staging = dev.get(ISSUER, "cert-manager-issuers-letsencrypt-staging").inputs.spec as { acme: { server: string; email: string } };
        expect(staging.acme).to.include({ server: LETS_ENCRYPT_SERVERS.staging, email: "platform-team@example.com" });
    });

    it("the internal CA: a self-signed issuer signs a CA certificate in the cert-manager namespace, and a CA issuer uses its Secret", () => {
        const certificate = dev.get(CERTIFICATE, "cert-manager-issuers-internal-ca-certificate");
        expect(certificate.inputs.metadata).to.deep.include({ name: INTERNAL_CA_SECRET, namespace: "cert-manager" });
        expect(certificate.inputs.spec).to.deep.include({
            isCA: true,
            secretName: INTERNAL_CA_SECRET,
            issuerRef: { name: CLUSTER_ISSUERS.selfSigned, kind: "ClusterIssuer", group: "cert-manager.io" },
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never" },
        });
        expect(dev.get(ISSUER, "cert-manager-issuers-selfsigned").inputs.spec).to.deep.equal({ selfSigned: {} });
        const ca = dev.get(ISSUER, "cert-manager-issuers-internal-ca");
        expect(ca.inputs.spec).to.deep.equal({ ca: { secretName: INTERNAL_CA_SECRET } });
        expect(dev.dependsOn(certificate, dev.get(ISSUER, "cert-manager-issuers-selfsigned"))).to.equal(true);
        expect(dev.dependsOn(ca, certificate)).to.equal(true);
    });

    it("without a public domain only the internal CA exists, and no DNS-01 role", () => {
        const names = noDomain
            .ofType(ISSUER)
            .map((r) => (r.inputs.metadata as { name: string }).name)
            .sort();
        expect(names).to.deep.equal(["platform-internal-ca", "platform-selfsigned"]);
        expect(noDomain.ofType("aws:iam/role:Role").map((r) => r.name)).to.not.include("cert-manager-dns01-role");
        const values = noDomain.get(RELEASE, "cert-manager-release").inputs.values as { serviceAccount: Record<string, unknown> };
        expect(values.serviceAccount).to.not.have.property("annotations");
    });

    it("every issuer and the CA certificate depend on the cert-manager release (CRDs and webhook)", () => {
        for (const plan of [dev, prod, noDomain]) {
            const release = plan.get(RELEASE, "cert-manager-release");
            for (const resource of [...plan.ofType(ISSUER), ...plan.ofType(CERTIFICATE)]) {
                expect(plan.dependsOn(resource, release), resource.name).to.equal(true);
                expect(plan.providerOf(resource)?.type).to.equal("pulumi:providers:kubernetes");
            }
        }
    });

    it("every issuer and certificate validates against cert-manager's CRD schemas", () => {
        for (const plan of [dev, prod, noDomain]) {
            for (const resource of [...plan.ofType(ISSUER), ...plan.ofType(CERTIFICATE)]) {
                expect(() => validate(objectOf(resource)), resource.name).to.not.throw();
            }
        }
        const acme = { email: "a@example.com", hostedZoneId: "Z1", hostedZoneName: "example.com", region: "eu-west-1" };
        for (const object of [
            letsEncryptIssuer("x", LETS_ENCRYPT_SERVERS.staging, acme),
            selfSignedIssuer(),
            internalCaIssuer(),
            internalCaCertificate("ns", "CA"),
        ]) {
            expect(() => validate({ ...object }), object.kind).to.not.throw();
        }
        const broken = internalCaCertificate("ns", "CA");
        expect(() => validate({ ...broken, spec: { ...broken.spec, privateKey: { algorithm: "DSA" } } }), "the check itself").to.throw();
        expect(() => validate({ ...broken, spec: { ...broken.spec, secretName: undefined } }), "the check itself").to.throw();
    });
});
