import { expect } from "chai";
import { PROXY_POOL } from "../../../components/data/databaseProxy";
import { policyOf, type Plan, type RecordedResource } from "../../harness";
import { T, devPlan, keyArn, nodeSecurityGroupId, prodPlan, rulesOf, variantPlan } from "./plans";

describe("data tier: RDS Proxy (platform:database.proxy)", () => {
    let plan: Plan;
    let proxy: RecordedResource;
    let instance: RecordedResource;
    before(async () => {
        plan = await variantPlan();
        proxy = plan.get(T.proxy, "data-postgres-proxy-proxy");
        instance = plan.get(T.instance, "data-postgres-instance");
    });

    it("is off unless config asks for it", async () => {
        for (const stack of [await devPlan(), await prodPlan()]) {
            expect(stack.ofType(T.proxy)).to.deep.equal([]);
            expect(stack.outputs.databaseProxyHost).to.equal(null);
        }
    });

    it("requires TLS and IAM authentication, and signs in to the database with the RDS-managed master secret", () => {
        const secretArn = (instance.outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn;
        expect(proxy.inputs).to.include({ engineFamily: "POSTGRESQL", requireTls: true, debugLogging: false });
        expect(proxy.inputs.auths).to.deep.equal([
            {
                authScheme: "SECRETS",
                secretArn,
                iamAuth: "REQUIRED",
                clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                description: "RDS-managed master secret",
            },
        ]);
        expect(plan.outputs.databaseProxyHost).to.equal(proxy.outputs.endpoint);
    });

    it("its role can read only that secret, and decrypt only with the data key through Secrets Manager", () => {
        const role = plan.ofType(T.role).find((r) => r.outputs.arn === proxy.inputs.roleArn) as RecordedResource;
        expect(policyOf(role.inputs.assumeRolePolicy).Statement[0]).to.deep.include({ Principal: { Service: "rds.amazonaws.com" } });
        const policy = plan.ofType(T.rolePolicy).find((p) => p.inputs.role === role.id) as RecordedResource;
        const secretArn = (instance.outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn;
        expect(policyOf(policy.inputs.policy).Statement).to.deep.equal([
            {
                Sid: "ReadTheMasterUserSecret",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                Resource: secretArn,
            },
            {
                Sid: "DecryptTheSecretThroughSecretsManager",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: keyArn(plan, "data"),
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
            },
        ]);
    });

    it("admits the node security group only, reaches only the database, and the database admits it on 5432", () => {
        const proxyGroup = plan.byId((proxy.inputs.vpcSecurityGroupIds as string[])[0]) as RecordedResource;
        const dbGroupId = (instance.inputs.vpcSecurityGroupIds as string[])[0];
        const { ingress, egress } = rulesOf(plan, proxyGroup);
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).to.deep.equal([
            [nodeSecurityGroupId(plan), 5432, 5432, undefined],
        ]);
        expect(egress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).to.deep.equal([
            [dbGroupId, 5432, 5432, undefined],
        ]);
        const dbIngress = rulesOf(plan, plan.byId(dbGroupId) as RecordedResource).ingress;
        expect(dbIngress.map((r) => r.inputs.referencedSecurityGroupId)).to.have.members([nodeSecurityGroupId(plan), proxyGroup.id]);
        expect(proxy.inputs.vpcSubnetIds).to.deep.equal(plan.get(T.dbSubnetGroup, "data-postgres-subnets").inputs.subnetIds);
    });

    it("pools at most 80% of max_connections, targets the instance and logs to a declared, encrypted log group", () => {
        const group = plan.get(T.proxyTargetGroup, "data-postgres-proxy-target-group");
        expect(group.inputs.connectionPoolConfig).to.deep.include({ maxConnectionsPercent: PROXY_POOL.maxConnectionsPercent });
        expect(PROXY_POOL.maxConnectionsPercent).to.be.at.most(80);
        const target = plan.get(T.proxyTarget, "data-postgres-proxy-target");
        expect(target.inputs).to.include({ dbProxyName: proxy.outputs.name, dbInstanceIdentifier: "platform-prod-postgres", targetGroupName: "default" });
        const logs = plan.ofType(T.logGroup).find((g) => g.inputs.name === "/aws/rds/proxy/platform-prod-postgres") as RecordedResource;
        expect(logs.inputs).to.include({ retentionInDays: 400, kmsKeyId: keyArn(plan, "logs") });
        expect(plan.dependsOn(proxy, logs)).to.equal(true);
    });
});
