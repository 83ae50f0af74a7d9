import { expect } from "chai";
import { protectDatabase } from "../../../policies/rules/rds/protectDatabase";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { rdsInstance, rdsParameterGroup } from "../fixtures";

const INSTANCE = "aws:rds/instance:Instance";
const GROUP = "aws:rds/parameterGroup:ParameterGroup";
const run = (type: string, props: unknown) => messages(protectDatabase, [resource(type, "db", props as Record<string, unknown>)]);

describe("policy platform-rds-instance-baseline (RDS-01, RDS-02, RDS-11)", () => {
    it("passes a private, encrypted instance and a parameter group that forces TLS", async () => {
        expect(await run(INSTANCE, rdsInstance)).to.deep.equal([]);
        expect(await run(GROUP, rdsParameterGroup)).to.deep.equal([]);
    });
    it("fails a publicly accessible instance", async () => {
        expect(await run(INSTANCE, { ...rdsInstance, publiclyAccessible: true })).to.deep.equal([
            'aws:rds/instance:Instance "db" is publicly accessible. Set publiclyAccessible: false; applications reach it from the cluster.',
        ]);
    });
    it("fails unencrypted storage, explicit or omitted (AWS defaults to unencrypted)", async () => {
        const message =
            'aws:rds/instance:Instance "db" stores its data unencrypted. Set storageEncrypted: true with kmsKeyId set to the stack\'s data key (this replaces an existing instance: restore from an encrypted snapshot).';
        expect(await run(INSTANCE, { ...rdsInstance, storageEncrypted: false })).to.deep.equal([message]);
        expect(await run(INSTANCE, withValue(rdsInstance, "storageEncrypted", REMOVE))).to.deep.equal([message]);
    });
    it("leaves encryption of Aurora instances and read replicas to their cluster and source", async () => {
        expect(await run(INSTANCE, { engine: "aurora-postgresql", instanceClass: "db.r6g.large" })).to.deep.equal([]);
        expect(await run(INSTANCE, { ...withValue(rdsInstance, "storageEncrypted", REMOVE), replicateSourceDb: Unknown.instance })).to.deep.equal([]);
    });
    it("fails a PostgreSQL parameter group without rds.force_ssl = 1, and ignores other families", async () => {
        const message = 'aws:rds/parameterGroup:ParameterGroup "db" lets clients connect without TLS. Add the parameter { name: "rds.force_ssl", value: "1" }.';
        expect(await run(GROUP, { ...rdsParameterGroup, parameters: [{ name: "rds.force_ssl", value: "0" }] })).to.deep.equal([message]);
        expect(await run(GROUP, { family: "postgres16" })).to.deep.equal([message]);
        expect(await run(GROUP, { family: "mysql8.0" })).to.deep.equal([]);
        expect(await run(GROUP, { ...rdsParameterGroup, parameters: [{ name: "rds.force_ssl", value: 1 }] })).to.deep.equal([]);
    });
    it("gives the preview's advisory note when public accessibility is unknown", async () => {
        await expectCannotDecide(protectDatabase, [resource(INSTANCE, "db", { ...rdsInstance, publiclyAccessible: Unknown.instance })]);
    });
});
