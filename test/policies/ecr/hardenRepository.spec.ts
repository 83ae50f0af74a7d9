import { expect } from "chai";
import { hardenRepository } from "../../../policies/rules/ecr/hardenRepository";
import { Unknown } from "../../../tools/offline/values";
import { messages, REMOVE, resource, withValue } from "../check";
import { ecrRepository } from "../fixtures";

const REPO = "aws:ecr/repository:Repository";
const run = (props: Record<string, unknown>) => messages(hardenRepository, [resource(REPO, "r", props)]);

describe("policy platform-ecr-repository-hardening", () => {
    it("passes an immutable, scanned, KMS-encrypted repository (and a key unknown during preview)", async () => {
        expect(await run(ecrRepository)).to.deep.equal([]);
        expect(await run({ ...ecrRepository, encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: Unknown.instance }] })).to.deep.equal([]);
    });
    it("fails mutable tags (the default too)", async () => {
        const expected = ['aws:ecr/repository:Repository "r" lets a tag be pushed again over another image (MUTABLE). Set imageTagMutability: "IMMUTABLE".'];
        expect(await run({ ...ecrRepository, imageTagMutability: "MUTABLE" })).to.deep.equal(expected);
        expect(await run(withValue(ecrRepository, "imageTagMutability", REMOVE))).to.deep.equal(expected);
    });
    it("fails a repository that does not scan on push", async () => {
        expect(await run(withValue(ecrRepository, "imageScanningConfiguration", REMOVE))).to.deep.equal([
            'aws:ecr/repository:Repository "r" does not scan images on push. Set imageScanningConfiguration.scanOnPush: true.',
        ]);
    });
    it("fails AES256 or no encryption configuration", async () => {
        const expected = [
            'aws:ecr/repository:Repository "r" encrypts images with AES256 (an AWS-owned key) or the AWS-managed ECR key. Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <a key of the stack> }].',
        ];
        expect(await run({ ...ecrRepository, encryptionConfigurations: [{ encryptionType: "AES256" }] })).to.deep.equal(expected);
        expect(await run(withValue(ecrRepository, "encryptionConfigurations", REMOVE))).to.deep.equal(expected);
        expect(await run({ ...ecrRepository, encryptionConfigurations: [{ encryptionType: "KMS" }] })).to.deep.equal(expected);
    });
});
