import { expect } from "chai";
import { noSecretsInConfigMaps } from "../../../policies/rules/k8s/noSecretsInConfigMaps";
import { messages, resource } from "../check";
import { configMap } from "../fixtures";

const CM = "kubernetes:core/v1:ConfigMap";
const run = (data: Record<string, string>) => messages(noSecretsInConfigMaps, [resource(CM, "cm", { ...configMap, data: { ...configMap.data, ...data } })]);
const fails = (what: string, key: string) => [
    `kubernetes:core/v1:ConfigMap "cm" has ${what} in data["${key}"]. Move it to a Secret (an ExternalSecret from Secrets Manager).`,
];

describe("policy platform-k8s-configmap-secrets", () => {
    it("passes plain settings, and a credential entry left empty", async () => {
        expect(await messages(noSecretsInConfigMaps, [resource(CM, "cm", configMap)])).to.deep.equal([]);
        expect(await run({ DB_PASSWORD: "" })).to.deep.equal([]);
    });
    it("fails an entry named like a credential", async () => {
        expect(await run({ DB_PASSWORD: "s3cret" })).to.deep.equal(fails("an entry named like a credential", "DB_PASSWORD"));
        expect(await run({ "api-key": "abc" })).to.deep.equal(fails("an entry named like a credential", "api-key"));
    });
    it("fails a value that looks like a credential under any name", async () => {
        expect(await run({ "settings.ini": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" })).to.deep.equal(fails("an AWS access key id", "settings.ini"));
        expect(await run({ "tls.pem": "-----BEGIN PRIVATE KEY-----\nMII...\n" })).to.deep.equal(fails("a private key", "tls.pem"));
    });
});
