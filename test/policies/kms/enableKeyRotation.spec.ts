import { expect } from "chai";
import { enableKeyRotation } from "../../../policies/rules/kms/enableKeyRotation";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { kmsKey, ROOT } from "../fixtures";

const KEY = "aws:kms/key:Key";
const run = (props: Record<string, unknown>) => messages(enableKeyRotation, [resource(KEY, "k", props)]);
const keyPolicy = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("policy platform-kms-key-rotation: key policy and state (KMS-03)", () => {
    it("passes a key whose policy grants the account root (as a string or as an object)", async () => {
        expect(await run(kmsKey)).to.deep.equal([]);
        expect(await run({ ...kmsKey, policy: JSON.parse(kmsKey.policy) })).to.deep.equal([]);
    });
    it("fails a key without a key policy (omitted or empty)", async () => {
        const expected = [
            'aws:kms/key:Key "k" has no key policy, so it gets the default one and nobody reviewed who may use it. Set policy to a document that grants the account root and only the services that need the key.',
        ];
        expect(await run(withValue(kmsKey, "policy", REMOVE))).to.deep.equal(expected);
        expect(await run({ ...kmsKey, policy: "" })).to.deep.equal(expected);
    });
    it("fails a key policy that allows any principal without a condition, in either spelling", async () => {
        const expected = [
            'aws:kms/key:Key "k" has a key policy statement that allows any principal ("*") without a condition. Name the principals, or add a condition such as aws:PrincipalAccount.',
        ];
        expect(await run({ ...kmsKey, policy: keyPolicy({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }) })).to.deep.equal(expected);
        expect(await run({ ...kmsKey, policy: keyPolicy({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }) })).to.deep.equal(
            expected,
        );
    });
    it("accepts a public principal narrowed by a condition, and public Deny statements", async () => {
        const conditioned = {
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
        };
        expect(await run({ ...kmsKey, policy: keyPolicy(conditioned) })).to.deep.equal([]);
        expect(await run({ ...kmsKey, policy: keyPolicy({ Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*" }) })).to.deep.equal([]);
        expect(await run({ ...kmsKey, policy: keyPolicy({ Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" }) })).to.deep.equal([]);
    });
    it("fails a disabled key", async () => {
        expect(await run({ ...kmsKey, isEnabled: false })).to.deep.equal([
            'aws:kms/key:Key "k" is disabled, so nothing it protects can be decrypted. Set isEnabled: true, or delete the key and what it protects.',
        ]);
    });
    it("does not judge a key policy that is not a policy document (AWS rejects it at deployment)", async () => {
        expect(await run({ ...kmsKey, policy: "{not json" })).to.deep.equal([]);
        expect(await run({ ...kmsKey, policy: { Statement: 42 } })).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the key policy is unknown", async () => {
        await expectCannotDecide(enableKeyRotation, [resource(KEY, "k", { ...kmsKey, policy: Unknown.instance })]);
    });
});
