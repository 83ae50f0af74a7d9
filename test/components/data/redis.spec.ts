import { expect } from "chai";
import { AUTH_TOKEN_LENGTH, AUTH_TOKEN_SPECIALS, isValidAuthToken, memberClusterIds } from "../../../components/data/redis";
import { mockRandomPassword } from "../../../tools/offline/mockState";
import type { Plan, RecordedResource } from "../../harness";
import { T, devPlan, keyArn, nodeSecurityGroupId, prodPlan, rulesOf, secretValue, variantPlan } from "./plans";

const group = (plan: Plan) => plan.get(T.replicationGroup, "data-redis-replication-group");

describe("data tier: ElastiCache Redis", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await devPlan();
        prod = await prodPlan();
    });

    it("runs the pinned Redis version with an auto-named parameter group of its family", () => {
        for (const plan of [dev, prod]) {
            expect(group(plan).inputs).to.include({ engine: "redis", engineVersion: "7.1", port: 6379, autoMinorVersionUpgrade: true });
            const parameters = plan.get(T.cacheParameterGroup, "data-redis-parameters");
            expect(parameters.inputs).to.include({ family: "redis7" });
            expect(parameters.inputs.name).to.equal(undefined);
            expect(group(plan).inputs.parameterGroupName).to.equal(parameters.outputs.name);
        }
    });

    it("evicts keys by the policy in config", async () => {
        const parameters = (plan: Plan) => plan.get(T.cacheParameterGroup, "data-redis-parameters").inputs.parameters;
        expect(parameters(prod)).to.deep.equal([{ name: "maxmemory-policy", value: "volatile-lru" }]);
        expect(parameters(await variantPlan())).to.deep.equal([{ name: "maxmemory-policy", value: "allkeys-lfu" }]);
    });

    it("lives in a subnet group of the database subnets, never the default one", () => {
        const subnets = prod.get(T.cacheSubnetGroup, "data-redis-subnets");
        expect(subnets.inputs.name).to.equal("platform-prod-redis");
        expect(group(prod).inputs.subnetGroupName).to.equal("platform-prod-redis");
        expect(subnets.inputs.subnetIds).to.deep.equal(prod.get(T.dbSubnetGroup, "data-postgres-subnets").inputs.subnetIds);
    });

    it("its security group admits 6379 from the EKS node security group only, and lets nothing out", () => {
        for (const plan of [dev, prod]) {
            const [groupId] = group(plan).inputs.securityGroupIds as string[];
            const { ingress, egress } = rulesOf(plan, plan.byId(groupId) as RecordedResource);
            expect(
                ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
            ).to.deep.equal([[nodeSecurityGroupId(plan), "tcp", 6379, 6379, undefined]]);
            expect(egress).to.deep.equal([]);
        }
    });

    it("encrypts at rest with the data key and requires TLS in transit", () => {
        expect(group(prod).inputs).to.include({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required" });
        expect(group(prod).inputs.kmsKeyId).to.equal(keyArn(prod, "data"));
    });

    it("requires an AUTH token from random.RandomPassword that meets ElastiCache's rules, held only as a secret", () => {
        const password = prod.get(T.password, "data-redis-auth-token");
        expect(password.inputs).to.include({ length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS });
        expect(AUTH_TOKEN_SPECIALS).to.not.match(/[@"/\s]/);
        const token = secretValue(password.outputs.result);
        expect(isValidAuthToken(String(token))).to.equal(true);
        expect(secretValue(group(prod).inputs.authToken)).to.equal(token);
        expect(group(prod).inputs.authTokenUpdateStrategy).to.equal("ROTATE");
        expect(secretValue(prod.outputs.cacheAuthToken)).to.equal(token);
    });

    it("prod: a node per zone with automatic failover, Multi-AZ, daily snapshots, a final snapshot and Pulumi protect", () => {
        expect(group(prod).inputs).to.include({
            numCacheClusters: 3,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            snapshotRetentionLimit: 7,
            snapshotWindow: "03:00-04:00",
            maintenanceWindow: "sun:04:30-sun:05:30",
            finalSnapshotIdentifier: "platform-prod-redis-final",
            applyImmediately: false,
        });
        expect(group(prod).protect).to.equal(true);
    });

    it("dev: one node, so no failover; a day of snapshots; not protected", () => {
        expect(group(dev).inputs).to.include({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false, snapshotRetentionLimit: 1 });
        expect(group(dev).protect).to.equal(false);
    });

    it("delivers the slow log and the engine log to declared log groups with retention and the logs key", () => {
        const deliveries = group(prod).inputs.logDeliveryConfigurations as Record<string, string>[];
        expect(deliveries.map((d) => [d.logType, d.destinationType, d.logFormat])).to.deep.equal([
            ["slow-log", "cloudwatch-logs", "json"],
            ["engine-log", "cloudwatch-logs", "json"],
        ]);
        for (const delivery of deliveries) {
            const logGroup = prod.ofType(T.logGroup).find((g) => g.outputs.name === delivery.destination) as RecordedResource;
            expect(logGroup.inputs).to.include({
                name: `/aws/elasticache/platform-prod-redis/${delivery.logType}`,
                retentionInDays: 400,
                kmsKeyId: keyArn(prod, "logs"),
            });
        }
    });

    it("exports the primary and reader endpoints and the port", () => {
        expect(prod.outputs).to.deep.include({
            cacheHost: group(prod).outputs.primaryEndpointAddress,
            cacheReaderHost: group(prod).outputs.readerEndpointAddress,
            cachePort: 6379,
        });
        expect(prod.outputs.cacheHost).to.match(/^master\.platform-prod-redis\.[0-9a-f]{6}\.euw1\.cache\.amazonaws\.com$/);
    });

    describe("AUTH token rules", () => {
        it('accepts 16 to 128 printable characters without @, " or /', () => {
            expect(isValidAuthToken("Abcdefgh12345678")).to.equal(true);
            expect(isValidAuthToken("short1234567890")).to.equal(false);
            expect(isValidAuthToken("x".repeat(129))).to.equal(false);
            for (const bad of ["@", '"', "/", " "]) {
                expect(isValidAuthToken(`Abcdefgh1234567${bad}`), bad).to.equal(false);
            }
        });

        it("the offline stand-in for RandomPassword honours the same settings", () => {
            const token = mockRandomPassword("t", { length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS });
            expect(token).to.have.length(AUTH_TOKEN_LENGTH);
            expect(isValidAuthToken(token)).to.equal(true);
            expect([...token].filter((c) => AUTH_TOKEN_SPECIALS.includes(c)).length).to.be.at.least(2);
        });

        it("per-node alarms address the member clusters ElastiCache names <group>-001, -002, ...", () => {
            expect(memberClusterIds("platform-prod-redis", 3)).to.deep.equal(["platform-prod-redis-001", "platform-prod-redis-002", "platform-prod-redis-003"]);
            expect(memberClusterIds("platform-prod-redis", 3)).to.deep.equal(group(prod).outputs.memberClusters);
        });
    });
});
