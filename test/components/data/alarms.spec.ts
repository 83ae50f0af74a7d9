import { expect } from "chai";
import { dataAlarmSpecs } from "../../../components/data/alarms";
import { keyPolicy } from "../../../components/keys";
import { policyOf, type Plan, type RecordedResource } from "../../harness";
import { T, devPlan, keyArn, prodPlan, secretValue, variantPlan } from "./plans";

const thresholds = {
    databaseCpuPercent: 80,
    databaseFreeStoragePercent: 15,
    databaseConnectionsPercent: 80,
    replicaLagSeconds: 60,
    cacheMemoryPercent: 90,
    cacheCpuPercent: 80,
    cacheEvictions: 0,
};

/** name -> [metric, statistic, comparison, threshold, dimensions] of every alarm. */
function alarmTable(plan: Plan): Record<string, unknown[]> {
    return Object.fromEntries(
        plan
            .ofType(T.alarm)
            .map((a) => [
                String(a.inputs.name).replace(`platform-${plan.run.stack}-`, ""),
                [a.inputs.metricName, a.inputs.statistic, a.inputs.comparisonOperator, a.inputs.threshold, a.inputs.dimensions],
            ]),
    );
}

describe("data tier: alarms", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await devPlan();
        prod = await prodPlan();
    });

    it("notify a topic encrypted with the data key, whose key policy lets CloudWatch alarms of this account use it", () => {
        const topic = prod.get(T.topic, "data-alarms-topic");
        expect(topic.inputs.kmsMasterKeyId).to.equal(keyArn(prod, "data"));
        const grant = policyOf(prod.get(T.key, "keys-data").inputs.policy).Statement.find((s) => s.Sid === "AllowCloudWatchAlarmsToPublishToEncryptedTopics");
        expect(grant).to.deep.equal({
            Sid: "AllowCloudWatchAlarmsToPublishToEncryptedTopics",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        });
        const others = (["logs", "cluster", "backups"] as const).map((p) =>
            JSON.stringify(keyPolicy(p, { accountId: "1", region: "eu-west-1", partition: "aws" })),
        );
        expect(others.join()).to.not.include("cloudwatch.amazonaws.com");
        for (const alarm of prod.ofType(T.alarm)) {
            expect(alarm.inputs.alarmActions, String(alarm.inputs.name)).to.deep.equal([topic.outputs.arn]);
            expect(alarm.inputs.okActions, String(alarm.inputs.name)).to.deep.equal([topic.outputs.arn]);
        }
    });

    it("the topic accepts publications from this account's alarms over TLS only", () => {
        const topic = prod.get(T.topic, "data-alarms-topic");
        const statements = policyOf(prod.get("aws:sns/topicPolicy:TopicPolicy", "data-alarms-topic-policy").inputs.policy).Statement;
        expect(statements.map((s) => [s.Sid, s.Effect, s.Principal])).to.deep.equal([
            ["AccountAdministersTheTopic", "Allow", { AWS: "arn:aws:iam::123456789012:root" }],
            ["CloudWatchAlarmsOfThisAccountPublish", "Allow", { Service: "cloudwatch.amazonaws.com" }],
            ["EventBridgeRulesOfThisAccountPublish", "Allow", { Service: "events.amazonaws.com" }],
            ["DenyInsecureTransport", "Deny", "*"],
        ]);
        expect(statements[1].Condition).to.deep.equal({
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" },
        });
        expect(statements.every((s) => s.Resource === topic.outputs.arn)).to.equal(true);
        expect(prod.outputs.alarmTopicArn).to.equal(topic.outputs.arn);
    });

    it("prod: database CPU, free storage and connections; cache memory, engine CPU and evictions on every node", () => {
        const db = { DBInstanceIdentifier: "platform-prod-postgres" };
        const node = (n: string) => ({ CacheClusterId: `platform-prod-redis-${n}` });
        expect(alarmTable(prod)).to.deep.equal({
            "postgres-cpu": ["CPUUtilization", "Average", "GreaterThanThreshold", 80, db],
            // 15% of the 100 GiB allocated.
            "postgres-free-storage": ["FreeStorageSpace", "Minimum", "LessThanThreshold", Math.floor(0.15 * 100 * 1024 ** 3), db],
            // 80% of the 1802 connections RDS allows a db.r7g.large (16 GiB).
            "postgres-connections": ["DatabaseConnections", "Maximum", "GreaterThanThreshold", 1441, db],
            ...Object.fromEntries(
                ["001", "002", "003"].flatMap((n) => [
                    [`redis-${n}-memory`, ["DatabaseMemoryUsagePercentage", "Average", "GreaterThanThreshold", 90, node(n)]],
                    [`redis-${n}-engine-cpu`, ["EngineCPUUtilization", "Average", "GreaterThanThreshold", 80, node(n)]],
                    [`redis-${n}-evictions`, ["Evictions", "Sum", "GreaterThanThreshold", 0, node(n)]],
                ]),
            ),
        });
    });

    it("sustained conditions must hold for 15 minutes; storage and evictions alarm on the first bad period", () => {
        for (const alarm of prod.ofType(T.alarm)) {
            const name = String(alarm.inputs.name);
            const periods = /free-storage|evictions/.test(name) ? 1 : 3;
            expect(alarm.inputs, name).to.include({ period: 300, evaluationPeriods: periods, datapointsToAlarm: periods });
        }
    });

    it("dev: no replica, so no replica-lag alarm; one cache node, so one set of cache alarms", () => {
        expect(Object.keys(alarmTable(dev))).to.have.members([
            "postgres-cpu",
            "postgres-free-storage",
            "postgres-connections",
            "redis-001-memory",
            "redis-001-engine-cpu",
            "redis-001-evictions",
        ]);
    });

    it("thresholds come from config, and every read replica gets a replica-lag alarm", async () => {
        const table = alarmTable(await variantPlan());
        expect(table["postgres-cpu"][3]).to.equal(70);
        expect(table["redis-002-evictions"][3]).to.equal(500);
        expect(table).to.not.have.property("redis-003-evictions");
        for (const n of [1, 2]) {
            expect(table[`postgres-replica-${n}-lag`]).to.deep.equal([
                "ReplicaLag",
                "Maximum",
                "GreaterThanThreshold",
                60,
                { DBInstanceIdentifier: `platform-prod-postgres-replica-${n}` },
            ]);
        }
    });

    it("subscribes the address in config: prod's on-call email, a webhook as a secret, nothing in dev", async () => {
        const subscription = (plan: Plan) => plan.ofType("aws:sns/topicSubscription:TopicSubscription") as RecordedResource[];
        expect(subscription(prod).map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([["email", "platform-oncall@example.com"]]);
        expect(subscription(dev)).to.deep.equal([]);
        const [webhook] = subscription(await variantPlan());
        expect(webhook.inputs.protocol).to.equal("https");
        expect(secretValue(webhook.inputs.endpoint)).to.equal("https://events.example.com/hooks/T0KEN");
    });

    it("the alarm list is a pure function of thresholds and targets", () => {
        const specs = dataAlarmSpecs(thresholds, {
            databaseIdentifier: "db",
            databaseInstanceClass: "db.t4g.medium",
            databaseAllocatedStorageGiB: 20,
            replicaIdentifiers: [],
            cacheClusterIds: [],
        });
        expect(specs.map((s) => [s.name, s.threshold])).to.deep.equal([
            ["postgres-cpu", 80],
            ["postgres-free-storage", Math.floor(0.15 * 20 * 1024 ** 3)],
            ["postgres-connections", 360],
        ]);
        expect(specs[2].description).to.include("360 connections, 80% of the 450 a db.t4g.medium allows");
    });
});
