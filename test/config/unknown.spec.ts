import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigValidationError, resolveConfig } from "../../config";
import { UNKNOWN_CONFIG_TEXT, isUnknownConfigValue } from "../../config/unknown";
import { publicIngresses } from "../../tools/generate";
import { REPO_ROOT, STAND_IN_MARKER, buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { encryptedStackFile, secretKeys } from "../harness";
import { problems, raw, type Stack } from "./resolve";

/** What the offline tools report as not checked for each secret key (and the appSecrets rule). */
const UNCHECKED = [
    { key: "platform:appSecrets", check: "is JSON of application name to a map of variable names to strings" },
    {
        key: "platform:alerting.slackWebhookUrl",
        check: 'is a Slack incoming-webhook URL ("https://hooks.slack.com/services/<workspace>/<channel>/<token>") or ""',
    },
    { key: "platform:alerting.pagerDutyRoutingKey", check: 'is a PagerDuty Events API v2 routing key (32 letters and digits) or ""' },
    { key: "platform:appSecrets", check: "names only applications of platform:apps, and sets no variable that their env also sets" },
];

function resolveFile(stack: Stack, file: string) {
    return resolveConfig({ stack, values: buildStackConfig(readProjectFile(), readStackFile(file)).values });
}

describe("stack configuration: secure: values the offline tools cannot decrypt", () => {
    it("covers every key the README and runbooks say to set with pulumi config set --secret", () => {
        const docs = [
            path.join(REPO_ROOT, "README.md"),
            ...fs.readdirSync(path.join(REPO_ROOT, "docs", "runbooks")).map((f) => path.join(REPO_ROOT, "docs", "runbooks", f)),
        ];
        const told = new Set<string>();
        for (const file of docs.filter((f) => f.endsWith(".md"))) {
            for (const match of fs.readFileSync(file, "utf8").matchAll(/pulumi config set --secret (platform:[A-Za-z.]+)/g)) {
                told.add(match[1]);
            }
        }
        expect([...told].sort()).to.deep.equal([...secretKeys()].sort());
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: a copy with a ciphertext on every secret key resolves, each value set but unknown, and lists the checks not made`, () => {
            const config = resolveFile(stack, encryptedStackFile(stack));
            expect(isUnknownConfigValue(config.alerting.pagerDutyRoutingKey)).to.equal(true);
            expect(isUnknownConfigValue(config.alerting.slack?.webhookUrl)).to.equal(true);
            expect(config.apps.length).to.be.greaterThan(0);
            for (const app of config.apps) {
                expect(isUnknownConfigValue(app.secrets), app.name).to.equal(true);
            }
            expect(config.unchecked).to.deep.equal(UNCHECKED);
        });

        it(`${stack}: the public-Ingress allowlist of npm run generate does not stop on an encrypted secret`, () => {
            expect(publicIngresses(stack, encryptedStackFile(stack))).to.deep.equal(publicIngresses(stack));
        });
    }

    it("the checked-in stack files leave unchecked only what they hold encrypted (a stand-in of secret-stand-ins.yaml is checked)", () => {
        for (const stack of ["dev", "prod"] as const) {
            const file = readStackFile(stackFilePath(stack));
            const encrypted = Object.keys(file).filter((key) => {
                const value = file[key] as { secure?: unknown } | null;
                return typeof value === "object" && value !== null && "secure" in value && value.secure !== STAND_IN_MARKER;
            });
            const unchecked = resolveConfig({ stack, values: raw(stack) }).unchecked.map((u) => u.key);
            expect([...new Set(unchecked)].sort(), stack).to.deep.equal(encrypted.sort());
        }
    });

    it("an unknown routing key counts as set: prod's rule that alerts reach someone holds", () => {
        const config = resolveConfig({
            stack: "prod",
            values: { ...raw("prod"), "platform:alerting.pagerDutyRoutingKey": UNKNOWN_CONFIG_TEXT, "platform:alerting.slackWebhookUrl": "" },
        });
        expect(config.unchecked.map((u) => u.key)).to.deep.equal(["platform:alerting.pagerDutyRoutingKey"]);
    });

    it("a secret with a readable bad value is still rejected, without echoing it", () => {
        expect(problems("prod", { "platform:alerting.pagerDutyRoutingKey": "not-a-key" })).to.deep.equal([
            'platform:alerting.pagerDutyRoutingKey: (the secret value) is not a PagerDuty routing key; expected the 32 letters and digits of an Events API v2 integration key, or "" for none',
        ]);
    });

    it("a secure: value on a key that is not secret is invalid offline: the program needs its plaintext", () => {
        const file = encryptedStackFile("dev", ["platform:network.cidr"]);
        expect(() => resolveFile("dev", file))
            .to.throw(ConfigValidationError)
            .with.property("problems")
            .that.deep.equals([
                {
                    key: "platform:network.cidr",
                    message:
                        "platform:network.cidr: is a secure: value, which the offline tools cannot decrypt, and the key is not a secret (Pulumi.yaml does not mark it secret), so the program needs its plaintext; expected a plain string (pulumi config set platform:network.cidr <value>, without --secret)",
                },
            ]);
    });
});
