import { expect } from "chai";
import { createHash, createHmac } from "node:crypto";
import { planWith, sharedPlan, stackConfig, type Plan, type RecordedResource } from "../../harness";
import { Secret } from "../../../tools/offline/values";
import { DATABASE_USER_PRIORITY_CLASS, DATABASE_USER_SCRIPT, databaseUserJobName, scramVerifier } from "../../../components/apps/databaseUser";
import { POSTGRES_CLIENT_IMAGE } from "../../../versions";

/* eslint-disable @typescript-eslint/no-require-imports -- kubernetes-models is CommonJS */
const { Job } = require("kubernetes-models/batch/v1") as { Job: new (o: unknown) => { validate(): void } };
const { NetworkPolicy } = require("kubernetes-models/networking.k8s.io/v1") as { NetworkPolicy: new (o: unknown) => { validate(): void } };
/* eslint-enable @typescript-eslint/no-require-imports */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function userJob(plan: Plan, app: string): RecordedResource {
    return plan.get("kubernetes:batch/v1:Job", `app-${app}-database-user-job`);
}

describe("database users", () => {
    it("a Job in another PriorityClass is a new Job (a Job's pod template cannot change in place)", () => {
        const fingerprint = {
            role: "api",
            database: "api",
            connectionLimit: 20,
            passwordVersion: 1,
            verifier: "v",
            image: "i",
            script: DATABASE_USER_SCRIPT,
            priorityClassName: DATABASE_USER_PRIORITY_CLASS,
        };
        expect(DATABASE_USER_PRIORITY_CLASS).to.equal("applications");
        expect(databaseUserJobName("api", fingerprint)).to.not.equal(databaseUserJobName("api", { ...fingerprint, priorityClassName: "other" }));
    });

    it("the SQL script takes every value from psql variables, never from interpolated text", () => {
        expect(DATABASE_USER_SCRIPT).to.equal(
            [
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
            ].join("\n"),
        );
        expect(DATABASE_USER_SCRIPT).to.not.match(/\$\{|\$[A-Z_]/);
        for (const line of DATABASE_USER_SCRIPT.split("\n").filter((l) => l.startsWith("SELECT"))) {
            expect(line).to.match(/\\gexec$/);
            expect(line.match(/%[IL s]/g)?.length ?? 0, line).to.be.greaterThan(0);
        }
    });

    it("computes the SCRAM-SHA-256 verifier of RFC 7677's example (user, pencil)", () => {
        const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
        const verifier = scramVerifier("pencil", salt, 4096);
        const [, keys] = verifier.split("$").slice(1);
        const [storedKey, serverKey] = keys.split(":").map((k) => Buffer.from(k, "base64"));
        const authMessage =
            "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        expect(createHmac("sha256", serverKey).update(authMessage).digest("base64")).to.equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        // The client key recovered from RFC 7677's proof hashes to the stored key.
        const signature = createHmac("sha256", storedKey).update(authMessage).digest();
        const proof = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");
        const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
        expect(createHash("sha256").update(clientKey).digest().equals(storedKey)).to.equal(true);
        expect(verifier.startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$")).to.equal(true);
    });

    it("pins the psql image to a PostgreSQL 17 tag and digest on ECR Public", () => {
        expect(POSTGRES_CLIENT_IMAGE.repository).to.equal("public.ecr.aws/docker/library/postgres");
        expect(POSTGRES_CLIENT_IMAGE.tag).to.match(/^17\.\d+-alpine/);
        expect(POSTGRES_CLIENT_IMAGE.digest).to.match(/^sha256:[a-f0-9]{64}$/);
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("the Job validates, runs hardened psql over TLS with the master credentials from database-admin, and has no TTL", async () => {
                const plan = await sharedPlan(stack);
                const job = plan.inputsOf(userJob(plan, "api")) as Obj;
                new Job({ apiVersion: "batch/v1", kind: "Job", ...job }).validate();
                expect(job.metadata.namespace).to.equal("database-admin");
                expect(job.metadata.name).to.match(/^api-database-user-[0-9a-f]{10}$/);
                expect(job.spec).to.not.have.property("ttlSecondsAfterFinished");
                expect(job.spec.backoffLimit).to.be.at.most(3);
                const pod = job.spec.template.spec;
                const [c] = pod.containers;
                expect(c.image).to.equal(`${POSTGRES_CLIENT_IMAGE.repository}:${POSTGRES_CLIENT_IMAGE.tag}@${POSTGRES_CLIENT_IMAGE.digest}`);
                expect(c.command).to.deep.equal(["psql", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--file", "/etc/database-user/create-user.sql"]);
                expect(c.envFrom).to.deep.equal([{ secretRef: { name: "database-master" } }]);
                expect(c.env).to.deep.include({ name: "PGSSLMODE", value: "require" });
                expect(c.env.filter((e: Obj) => e.valueFrom !== undefined)).to.deep.equal([]);
                expect(c.securityContext).to.deep.include({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
                expect(c.securityContext.capabilities.drop).to.deep.equal(["ALL"]);
                expect(pod.securityContext.seccompProfile.type).to.equal("RuntimeDefault");
                expect(c.resources.limits.memory).to.be.a("string");
                expect(pod.serviceAccountName).to.equal("database-admin");
            });

            it("the program writes no Secret with master credentials (the operator syncs them); each DATABASE_URL uses the application's own role and database", async () => {
                const plan = await sharedPlan(stack);
                for (const secret of plan.ofType("kubernetes:core/v1:Secret")) {
                    const inputs = plan.inputsOf(secret) as Obj;
                    expect(inputs.metadata.name, secret.name).to.not.equal("database-master");
                    expect(Object.keys(inputs.stringData ?? {}), secret.name).to.not.include.members(["PGPASSWORD", "PGUSER"]);
                }
                const credentials = plan.get("kubernetes:core/v1:Secret", "app-api-credentials");
                expect(credentials.inputs.stringData).to.be.instanceOf(Secret);
                const url = new URL((plan.inputsOf(credentials) as Obj).stringData.DATABASE_URL);
                expect(url.username).to.equal("api");
                expect(url.pathname).to.equal("/api");
                const password = plan.get("random:index/randomPassword:RandomPassword", "app-api-database-user-password");
                expect(decodeURIComponent(url.password)).to.equal((plan.inputsOf(password) as Obj).result ?? String((password.outputs.result as Secret).value));
            });

            it("orders the user Job before the credentials, the migration Job and the Deployment", async () => {
                const plan = await sharedPlan(stack);
                const user = userJob(plan, "api");
                const migrations = plan.get("kubernetes:batch/v1:Job", "app-api-migrations");
                const deployment = plan.get("kubernetes:apps/v1:Deployment", "app-api-deployment");
                const credentials = plan.get("platform:apps:AppCredentials", "app-api-credentials");
                expect(plan.dependsOn(credentials, user)).to.equal(true);
                expect(plan.dependsOn(migrations, user)).to.equal(true);
                expect(plan.dependsOn(deployment, migrations)).to.equal(true);
                expect(plan.dependsOn(deployment, user)).to.equal(true);
                expect(plan.ofType("platform:apps:DatabaseUser").map((r) => r.name)).to.deep.equal(["app-api-database-user"]);
            });

            it("database-admin is restricted, pinned, and its pods reach only DNS and PostgreSQL in the database subnets", async () => {
                const plan = await sharedPlan(stack);
                const ns = plan.inputsOf(plan.get("kubernetes:core/v1:Namespace", "database-admin-namespace")) as Obj;
                expect(ns.metadata.labels).to.include({
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "v1.36",
                });
                const policies = plan
                    .descendantsOf(plan.get("platform:apps:DatabaseAdmin", "database-admin"))
                    .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
                const specs = Object.fromEntries(policies.map((p) => [(plan.inputsOf(p) as Obj).metadata.name, (plan.inputsOf(p) as Obj).spec]));
                for (const p of policies) {
                    new NetworkPolicy({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", ...plan.inputsOf(p) }).validate();
                }
                expect(specs["default-deny"]).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                const cidrs =
                    (stackConfig(stack)["platform:network.subnets.database"] as string[] | undefined) ??
                    specs["allow-postgres"].egress[0].to.map((t: Obj) => t.ipBlock.cidr);
                expect(specs["allow-postgres"].egress).to.deep.equal([
                    { to: cidrs.map((cidr: string) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: 5432 }] },
                ]);
                expect(specs["allow-dns"].egress[0].ports.map((p: Obj) => p.port)).to.deep.equal([53, 53]);
            });
        });
    }

    it("a new passwordVersion gives a new password keeper and a new Job", async () => {
        const before = await sharedPlan("dev");
        const apps = stackConfig("dev")["platform:apps"] as Record<string, unknown>[];
        const after = await planWith("dev", { "platform:apps": [{ ...apps[0], passwordVersion: 2 }, ...apps.slice(1)] });
        const keepers = (plan: Plan) =>
            (plan.inputsOf(plan.get("random:index/randomPassword:RandomPassword", "app-api-database-user-password")) as Obj).keepers;
        expect(keepers(before)).to.deep.equal({ passwordVersion: "1" });
        expect(keepers(after)).to.deep.equal({ passwordVersion: "2" });
        const name = (plan: Plan) => (plan.inputsOf(userJob(plan, "api")) as Obj).metadata.name as string;
        expect(name(after)).to.not.equal(name(before));
    });
});
