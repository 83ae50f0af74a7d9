import { expect } from "chai";
import { recommendDatabaseSettings } from "../../../policies/rules/rds/recommendDatabaseSettings";
import { messages, REMOVE, resource, withValue } from "../check";
import { rdsInstance, rdsParameterGroup } from "../fixtures";

const run = (type: string, props: unknown) => messages(recommendDatabaseSettings, [resource(type, "db", props as Record<string, unknown>)]);
const d = 'aws:rds/instance:Instance "db"';

describe("policy platform-rds-instance-best-practices (RDS-06, RDS-08, RDS-11 logging, advisory)", () => {
    it("passes the recommended instance and parameter group", async () => {
        expect(await run("aws:rds/instance:Instance", rdsInstance)).to.deep.equal([]);
        expect(await run("aws:rds/parameterGroup:ParameterGroup", rdsParameterGroup)).to.deep.equal([]);
    });
    it("notes each missing recommendation (attributes omitted)", async () => {
        const bare = ["iamDatabaseAuthenticationEnabled", "monitoringInterval", "performanceInsightsEnabled", "copyTagsToSnapshot"].reduce(
            (p, k) => withValue(p, k, REMOVE),
            rdsInstance,
        );
        expect(await run("aws:rds/instance:Instance", bare)).to.deep.equal([
            `${d} does not accept IAM database authentication. Set iamDatabaseAuthenticationEnabled: true so workloads can log in with their roles.`,
            `${d} has no Enhanced Monitoring. Set monitoringInterval (for example 60) and monitoringRoleArn.`,
            `${d} has no Performance Insights. Set performanceInsightsEnabled: true with performanceInsightsKmsKeyId set to the stack's data key.`,
            `${d} does not copy its tags to snapshots. Set copyTagsToSnapshot: true.`,
        ]);
        expect(await run("aws:rds/instance:Instance", withValue(rdsInstance, "performanceInsightsKmsKeyId", REMOVE))).to.deep.equal([
            `${d} encrypts Performance Insights with the AWS-managed key. Set performanceInsightsKmsKeyId to the stack's data key ARN.`,
        ]);
        expect(await run("aws:rds/parameterGroup:ParameterGroup", { family: "postgres17", parameters: [{ name: "rds.force_ssl", value: "1" }] })).to.deep.equal(
            [
                'aws:rds/parameterGroup:ParameterGroup "db" does not set log_statement and log_min_duration_statement. Add them (for example log_statement = "ddl", log_min_duration_statement = 1000) so changes and slow queries are logged.',
            ],
        );
    });
    it("is advisory in every stack", () => {
        expect(recommendDatabaseSettings.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
