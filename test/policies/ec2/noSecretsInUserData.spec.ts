import { expect } from "chai";
import { noSecretsInUserData } from "../../../policies/rules/ec2/noSecretsInUserData";
import { messages, resource } from "../check";
import { ec2NodeClass, launchTemplate } from "../fixtures";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const run = (userData: string) => messages(noSecretsInUserData, [resource(LT, "lt", { ...launchTemplate, userData })]);
const fails = (what: string) => [
    `aws:ec2/launchTemplate:LaunchTemplate "lt" has ${what} in its user data. Remove it: give the node an instance role, and keep secrets in Secrets Manager.`,
];

describe("policy platform-ec2-user-data-secrets", () => {
    it("passes a template without user data, or with a nodeadm config", async () => {
        expect(await messages(noSecretsInUserData, [resource(LT, "lt", launchTemplate)])).to.deep.equal([]);
        expect(await run(b64("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: platform-dev-eks\n"))).to.deep.equal([]);
    });
    it("fails an AWS access key id, base64-encoded or not", async () => {
        expect(await run(b64("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"))).to.deep.equal(fails("an AWS access key id"));
        expect(await run("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n")).to.deep.equal(fails("an AWS access key id"));
    });
    it("fails a private key and a password assignment", async () => {
        expect(await run(b64("-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n"))).to.deep.equal(fails("a private key"));
        expect(await run(b64("DB_PASSWORD=hunter2hunter2\n"))).to.deep.equal(fails("a password or token assignment"));
    });
    it("reads the user data of Karpenter's EC2NodeClasses too", async () => {
        const nodeClass = (userData?: string) =>
            resource("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "nc", { ...ec2NodeClass, spec: { ...ec2NodeClass.spec, userData } });
        expect(await messages(noSecretsInUserData, [nodeClass()])).to.deep.equal([]);
        expect(await messages(noSecretsInUserData, [nodeClass("#!/bin/sh\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n")])).to.deep.equal([
            'kubernetes:karpenter.k8s.aws/v1:EC2NodeClass "nc" has an AWS access key id in its user data. Remove it: give the node an instance role, and keep secrets in Secrets Manager.',
        ]);
    });
    it("does not take a reference to a secret for the secret", async () => {
        expect(await run(b64('PASSWORD="$(aws secretsmanager get-secret-value --secret-id db)"\n'))).to.deep.equal([]);
    });
});
