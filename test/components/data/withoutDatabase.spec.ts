import { expect } from "chai";
import { evaluatePolicies, readPolicyConfig } from "../../../tools/offline/policyRunner";
import { planWith, stackConfig, type Plan } from "../../harness";
import { T, dataResources, devPlan } from "./plans";

/** The exports that describe the database. */
const DATABASE_EXPORTS = [
    "databaseHost",
    "databasePort",
    "databaseName",
    "databaseUser",
    "databaseSecretArn",
    "databaseReplicaHosts",
    "databaseProxyHost",
] as const;

/** Namespaces the program creates, by name. */
function namespaceNames(plan: Plan): unknown[] {
    return plan.ofType("kubernetes:core/v1:Namespace").map((ns) => (ns.inputs.metadata as { name?: unknown }).name);
}

describe("data tier without a database (platform:database.enabled false)", () => {
    let dev: Plan;
    let without: Plan;
    before(async () => {
        dev = await devPlan();
        // The dev stack's applications, none of them with a database: the only config that has no database.
        const apps = (stackConfig("dev")["platform:apps"] as Record<string, unknown>[]).map((app) => ({ ...app, database: false }));
        without = await planWith("dev", { "platform:database.enabled": false, "platform:apps": apps });
    });

    it("creates no RDS resource at all, and the dev stack (with a database) does", () => {
        const rds = (plan: Plan) => plan.resources.filter((r) => r.type.startsWith("aws:rds/"));
        expect(rds(dev)).to.not.deep.equal([]);
        expect(rds(without).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
        expect(without.ofType("platform:data:Postgres")).to.deep.equal([]);
        expect(without.ofType("platform:data:DatabaseProxy")).to.deep.equal([]);
    });

    it("has no database security group, database alarm or other postgres resource in the data tier, and keeps the cache's", () => {
        const groups = dataResources(without)
            .filter((r) => r.type === T.securityGroup)
            .map((g) => g.name);
        expect(
            groups.some((name) => name.includes("postgres")),
            groups.join(", "),
        ).to.equal(false);
        expect(
            groups.some((name) => name.includes("redis")),
            groups.join(", "),
        ).to.equal(true);
        const alarms = without.ofType(T.alarm).map((a) => a.inputs.namespace);
        expect(alarms).to.not.include("AWS/RDS");
        expect(alarms).to.include("AWS/ElastiCache");
        expect(dev.ofType(T.alarm).map((a) => a.inputs.namespace)).to.include("AWS/RDS");
        expect(dataResources(without).filter((r) => r.name.includes("postgres"))).to.deep.equal([]);
    });

    it("keeps Redis, the backup bucket and the alarm topic", () => {
        expect(without.ofType(T.replicationGroup)).to.have.length(1);
        expect(without.outputs.cacheHost).to.be.a("string");
        expect(without.outputs.backupBucketName).to.be.a("string");
        expect(without.outputs.alarmTopicArn).to.be.a("string");
    });

    it("creates no database-admin namespace or database user, as no application uses the database", () => {
        expect(namespaceNames(dev)).to.include("database-admin");
        expect(namespaceNames(without)).to.not.include("database-admin");
        expect(without.ofType("platform:apps:DatabaseAdmin")).to.deep.equal([]);
        expect(without.ofType("platform:apps:DatabaseUser")).to.deep.equal([]);
        expect(without.ofType("platform:apps:Application")).to.have.length(2);
    });

    it("installs no External Secrets Operator and syncs nothing: it exists only to bring the master credentials into database-admin", () => {
        expect(dev.ofType("platform:addons:ExternalSecrets")).to.have.length(1);
        expect(without.ofType("platform:addons:ExternalSecrets")).to.deep.equal([]);
        expect(namespaceNames(without)).to.not.include("external-secrets");
        expect(without.ofType("platform:apps:MasterCredentials")).to.deep.equal([]);
        expect(without.resources.filter((r) => r.type.startsWith("kubernetes:external-secrets.io/"))).to.deep.equal([]);
    });

    it("exports null for every database output", () => {
        for (const name of DATABASE_EXPORTS) {
            expect(without.outputs, name).to.have.property(name, null);
        }
        expect(dev.outputs.databaseHost).to.be.a("string");
    });

    it("gives no policy violation, mandatory or advisory", async () => {
        const violations = await evaluatePolicies(without.resources, { config: readPolicyConfig("dev") });
        expect(violations.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).to.deep.equal([]);
    });
});
