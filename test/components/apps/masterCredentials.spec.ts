import { expect } from "chai";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with { "resolution-mode": "import" };
import { masterCredentialsDefaults, masterExternalSecret, masterSecretReadPolicy, masterSecretStore } from "../../../components/apps/masterCredentials";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { inlineStatements } from "../eks/helpers";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** A model of the kubernetes-models packages: validate() throws on anything the CRD's schema refuses. */
type Model = new (data: unknown) => { validate(): void };

const T = {
    store: "kubernetes:external-secrets.io/v1:SecretStore",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    role: "aws:iam/role:Role",
    release: "kubernetes:helm.sh/v3:Release",
    job: "kubernetes:batch/v1:Job",
} as const;

const DATA_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-abcdef";

function storeOf(plan: Plan): RecordedResource {
    return plan.get(T.store, "database-master-store");
}
function externalSecretOf(plan: Plan): RecordedResource {
    return plan.get(T.externalSecret, "database-master-external-secret");
}
function readerRole(plan: Plan): RecordedResource {
    return plan.get(T.role, "database-master-reader-role");
}
function operatorRelease(plan: Plan): RecordedResource {
    return plan.get(T.release, "external-secrets-release");
}

describe("the RDS master credentials in database-admin (External Secrets Operator)", () => {
    let dev: Plan;
    let prod: Plan;
    let ExternalSecret: Model;
    let SecretStore: Model;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
        // ESM-only package (its v1 API is only in 2.x): loaded with import(), which node 20 runs from CommonJS.
        ({ ExternalSecret } = (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret")) as unknown as {
            ExternalSecret: Model;
        });
        ({ SecretStore } = (await import("@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore")) as unknown as { SecretStore: Model });
    });

    it("the program never reads a secret value: no invoke of Secrets Manager in either plan, no password output", () => {
        for (const plan of [dev, prod]) {
            expect(plan.run.invokes.filter((token) => token.startsWith("aws:secretsmanager/"))).to.deep.equal([]);
            expect(plan.run.invokes).to.not.include("aws:secretsmanager/getSecretVersion:getSecretVersion");
            expect(plan.outputs).to.not.have.property("databasePassword");
            expect(plan.ofType("kubernetes:core/v1:Secret").map((s) => (s.inputs.metadata as Obj).name)).to.not.include(masterCredentialsDefaults.secretName);
        }
    });

    describe("the reader's role", () => {
        it("may GetSecretValue on exactly the RDS master secret, and decrypt with the data key only through Secrets Manager for that secret", () => {
            for (const plan of [dev, prod]) {
                const secretArn = plan.outputs.databaseSecretArn;
                const dataKey = (plan.outputs.kmsKeyArns as Record<string, unknown>).data;
                expect(inlineStatements(plan, readerRole(plan))).to.deep.equal([
                    { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
                    {
                        Sid: "DecryptTheMasterSecretThroughSecretsManager",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: dataKey,
                        Condition: {
                            StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com", "kms:EncryptionContext:SecretARN": secretArn },
                        },
                    },
                ]);
            }
        });

        it("names the Secrets Manager endpoint of the partition in kms:ViaService", () => {
            const viaService = (partition: string, region: string) =>
                (masterSecretReadPolicy({ secretArn: SECRET, keyArn: DATA_KEY, region, partition }).Statement[1].Condition as Obj).StringEquals[
                    "kms:ViaService"
                ];
            expect(viaService("aws", "eu-west-1")).to.equal("secretsmanager.eu-west-1.amazonaws.com");
            expect(viaService("aws-cn", "cn-north-1")).to.equal("secretsmanager.cn-north-1.amazonaws.com.cn");
            expect(viaService("aws-us-gov", "us-gov-west-1")).to.equal("secretsmanager.us-gov-west-1.amazonaws.com");
        });

        it("trusts exactly the reader service account of database-admin, which carries the role and mounts no token", () => {
            for (const plan of [dev, prod]) {
                const role = readerRole(plan);
                const trust = policyOf(role.inputs.assumeRolePolicy).Statement;
                expect(trust).to.have.length(1);
                const equals = (trust[0].Condition as { StringEquals: Record<string, string> }).StringEquals;
                const sub = Object.entries(equals).find(([key]) => key.endsWith(":sub"))?.[1];
                expect(sub).to.equal("system:serviceaccount:database-admin:database-master-reader");
                const account = plan.inputsOf(plan.get(T.serviceAccount, "database-master-reader")) as Obj;
                expect(account.metadata).to.deep.include({ name: "database-master-reader", namespace: "database-admin" });
                expect(account.metadata.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": role.outputs.arn });
                expect(account.automountServiceAccountToken).to.equal(false);
            }
        });
    });

    describe("the SecretStore", () => {
        it("is namespaced in database-admin, Secrets Manager of the stack's region, authenticated as the reader service account; and validates", () => {
            for (const plan of [dev, prod]) {
                const store = plan.inputsOf(storeOf(plan)) as Obj;
                new SecretStore(store).validate();
                expect(store).to.deep.include({ apiVersion: "external-secrets.io/v1", kind: "SecretStore" });
                expect(store.metadata).to.deep.include({ name: "aws-secrets-manager", namespace: "database-admin" });
                expect(store.spec).to.deep.equal({
                    provider: {
                        aws: { service: "SecretsManager", region: "eu-west-1", auth: { jwt: { serviceAccountRef: { name: "database-master-reader" } } } },
                    },
                });
            }
        });

        it("waits for the operator's release (CRDs and webhook), the role and the service account", () => {
            for (const plan of [dev, prod]) {
                for (const before of [
                    operatorRelease(plan),
                    plan.get("aws:iam/rolePolicy:RolePolicy", "database-master-reader-policy"),
                    plan.get(T.serviceAccount, "database-master-reader"),
                ]) {
                    expect(plan.dependsOn(storeOf(plan), before), before.name).to.equal(true);
                }
            }
        });

        it("the schema check itself refuses a store without a provider service", () => {
            const store = masterSecretStore("database-admin", "eu-west-1");
            expect(() => new SecretStore({ ...store, spec: { provider: { aws: { region: "eu-west-1", service: "Vault" } } } }).validate()).to.throw();
        });
    });

    describe("the ExternalSecret", () => {
        it("writes database-master in database-admin only: the master user and password of the RDS secret with the endpoint, refreshed every 15 minutes; and validates", () => {
            for (const plan of [dev, prod]) {
                const all = plan.ofType(T.externalSecret);
                expect(all.map((e) => (e.inputs.metadata as Obj).namespace)).to.deep.equal(["database-admin"]);
                const external = plan.inputsOf(externalSecretOf(plan)) as IExternalSecret & Obj;
                new ExternalSecret(external).validate();
                const secretArn = plan.outputs.databaseSecretArn;
                expect(external.spec).to.deep.equal({
                    refreshInterval: "15m",
                    refreshPolicy: "Periodic",
                    secretStoreRef: { kind: "SecretStore", name: "aws-secrets-manager" },
                    target: {
                        name: "database-master",
                        creationPolicy: "Owner",
                        template: {
                            type: "Opaque",
                            engineVersion: "v2",
                            data: {
                                PGHOST: plan.outputs.databaseHost,
                                PGPORT: "5432",
                                PGDATABASE: "app",
                                PGUSER: "{{ .username }}",
                                PGPASSWORD: "{{ .password }}",
                            },
                        },
                    },
                    data: [
                        { secretKey: "username", remoteRef: { key: secretArn, property: "username" } },
                        { secretKey: "password", remoteRef: { key: secretArn, property: "password" } },
                    ],
                });
            }
        });

        it("Pulumi waits for its Ready condition (the first sync), after the store and the operator's release", () => {
            for (const plan of [dev, prod]) {
                const external = externalSecretOf(plan);
                expect((external.inputs.metadata as Obj).annotations).to.deep.equal({ "pulumi.com/waitFor": "condition=Ready" });
                expect(plan.dependsOn(external, storeOf(plan))).to.equal(true);
                expect(plan.dependsOn(external, operatorRelease(plan))).to.equal(true);
            }
        });

        it("the schema check itself refuses an ExternalSecret whose data names no remote key", () => {
            const external = masterExternalSecret("database-admin", SECRET, { host: "db.example", port: 5432, database: "app" });
            const broken = { ...external, spec: { ...external.spec, data: [{ secretKey: "password", remoteRef: { property: "password" } }] } };
            expect(() => new ExternalSecret(external).validate()).to.not.throw();
            expect(() => new ExternalSecret(broken).validate()).to.throw();
        });
    });

    it("the database-user Jobs read the synced Secret, and start only once it is Ready", () => {
        for (const plan of [dev, prod]) {
            const external = externalSecretOf(plan);
            const target = ((external.inputs.spec as Obj).target as Obj).name;
            const jobs = plan.ofType(T.job).filter((j) => (j.inputs.metadata as Obj).namespace === "database-admin");
            expect(jobs).to.have.length.greaterThan(0);
            for (const job of jobs) {
                const [container] = (plan.inputsOf(job) as Obj).spec.template.spec.containers;
                expect(container.envFrom, job.name).to.deep.equal([{ secretRef: { name: target } }]);
                expect(plan.dependsOn(job, external), job.name).to.equal(true);
            }
        }
    });
});
