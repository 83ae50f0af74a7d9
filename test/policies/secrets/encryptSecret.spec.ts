import { expect } from "chai";
import { encryptSecret } from "../../../policies/rules/secrets/encryptSecret";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource, stackConfig } from "../check";
import { secret } from "../fixtures";

const SECRET = "aws:secretsmanager/secret:Secret";
const run = (props: Record<string, unknown>, stack: "dev" | "prod" = "prod") =>
    messages(encryptSecret, [resource(SECRET, "s", props)], stackConfig(encryptSecret, stack));

describe("policy platform-secrets-secret-encryption (SM-01)", () => {
    it("passes a secret under a customer-managed key with a recovery window", async () => {
        expect(await run(secret)).to.deep.equal([]);
    });
    it("fails a secret without kmsKeyId (the AWS-managed aws/secretsmanager key)", async () => {
        expect(await run({ recoveryWindowInDays: 7 })).to.deep.equal([
            'aws:secretsmanager/secret:Secret "s" is encrypted with the AWS-managed key aws/secretsmanager. Set kmsKeyId to the stack\'s data key ARN.',
        ]);
    });
    it("fails a secret on an AWS-managed alias", async () => {
        expect(await run({ ...secret, kmsKeyId: "alias/aws/secretsmanager" })).to.deep.equal([
            'aws:secretsmanager/secret:Secret "s" uses the AWS-managed key alias/aws/secretsmanager. Set kmsKeyId to the stack\'s customer-managed data key.',
        ]);
    });
    it("fails immediate deletion in prod, and accepts it in dev", async () => {
        expect(await run({ ...secret, recoveryWindowInDays: 0 })).to.deep.equal([
            'aws:secretsmanager/secret:Secret "s" is deleted without a recovery window (recoveryWindowInDays: 0). Set recoveryWindowInDays to 7-30 so a deletion can be undone.',
        ]);
        expect(await run({ ...secret, recoveryWindowInDays: 0 }, "dev")).to.deep.equal([]);
    });
    it("treats a key ARN unknown during preview as a key of the stack", async () => {
        expect(await run({ ...secret, kmsKeyId: Unknown.instance })).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the recovery window is unknown", async () => {
        await expectCannotDecide(
            encryptSecret,
            [resource(SECRET, "s", { ...secret, recoveryWindowInDays: Unknown.instance })],
            stackConfig(encryptSecret, "prod"),
        );
    });
    it("is mandatory in prod and advisory in dev", () => {
        expect(encryptSecret.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
    });
});
