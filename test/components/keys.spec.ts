import { expect } from "chai";
import { keyPolicy, KEY_PURPOSES } from "../../components/keys";
import { planStack, policyOf, type Plan } from "../harness";

const KEY = "aws:kms/key:Key";
const ctx = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };

describe("KMS keys", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await planStack("dev");
        prod = await planStack("prod");
    });

    it("one symmetric key per purpose, each rotating yearly and with an alias", () => {
        // In dev the cluster key waits for the service-linked role, so it registers last.
        expect(dev.ofType(KEY).map((k) => k.name)).to.have.members(KEY_PURPOSES.map((p) => `keys-${p}`));
        for (const key of dev.ofType(KEY)) {
            expect(key.inputs).to.include({ enableKeyRotation: true, rotationPeriodInDays: 365, keyUsage: "ENCRYPT_DECRYPT", isEnabled: true });
            expect(key.inputs.bypassPolicyLockoutSafetyCheck).to.not.equal(true);
            const alias = dev.ofType("aws:kms/alias:Alias").find((a) => a.inputs.targetKeyId === key.outputs.keyId);
            expect(alias?.inputs.name).to.equal(`alias/platform-dev-${key.name.replace("keys-", "")}`);
        }
    });

    it("the deletion window follows the config", () => {
        // Every key follows it, prod's keys in the replica region (the backup bucket's, the database backups') included.
        expect(dev.ofType(KEY).map((k) => k.inputs.deletionWindowInDays)).to.deep.equal([7, 7, 7, 7]);
        expect(prod.ofType(KEY).map((k) => k.inputs.deletionWindowInDays)).to.deep.equal([30, 30, 30, 30, 30, 30]);
    });

    it("keys are protected from pulumi destroy in prod only", () => {
        expect(prod.ofType(KEY).every((k) => k.protect)).to.equal(true);
        expect(dev.ofType(KEY).some((k) => k.protect)).to.equal(false);
    });

    it("every key policy lets the account delegate through IAM and grants no one else but the services of its purpose", () => {
        for (const key of prod.ofType(KEY)) {
            const statements = policyOf(key.inputs.policy).Statement;
            expect(statements[0]).to.deep.equal({
                Sid: "EnableIamPoliciesOfThisAccount",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "kms:*",
                Resource: "*",
            });
            for (const s of statements) {
                expect(s.Principal, `${key.name} ${String(s.Sid)}`).to.not.equal("*");
            }
        }
    });

    it("only the logs key grants CloudWatch Logs, and only for this account's log groups in this region", () => {
        const logs = keyPolicy("logs", ctx).Statement.filter((s) => s.Principal !== undefined && s.Principal !== "*" && s.Principal.Service);
        expect(logs).to.deep.equal([
            {
                Sid: "AllowCloudWatchLogsForThisAccountsLogGroups",
                Effect: "Allow",
                Principal: { Service: "logs.eu-west-1.amazonaws.com" },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } },
            },
        ]);
        for (const purpose of ["data", "backups"] as const) {
            expect(JSON.stringify(keyPolicy(purpose, ctx))).to.not.include("logs.eu-west-1.amazonaws.com");
        }
    });

    describe("the Auto Scaling service-linked role the cluster key's policy names", () => {
        const ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole";

        it("create (dev): the program makes it, keeps it on destroy, and creates the cluster key only after it", () => {
            const role = dev.get(ROLE, "autoscaling-service-role");
            expect(role.inputs.awsServiceName).to.equal("autoscaling.amazonaws.com");
            expect(role.inputs.customSuffix).to.equal(undefined);
            expect(role.retainOnDelete).to.equal(true);
            expect(dev.dependsOn(dev.get(KEY, "keys-cluster"), role)).to.equal(true);
            // Only the cluster key's policy names the role; the other keys need not wait.
            for (const purpose of ["logs", "data", "backups"]) {
                expect(dev.dependsOn(dev.get(KEY, `keys-${purpose}`), role), purpose).to.equal(false);
            }
        });

        it("exists (prod): the program makes none, and the key policy still names the account's role", () => {
            expect(prod.ofType(ROLE)).to.deep.equal([]);
            const statements = policyOf(prod.get(KEY, "keys-cluster").inputs.policy).Statement;
            expect(statements.map((s) => (s.Principal as { AWS?: string }).AWS)).to.include(
                "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            );
        });
    });
});
