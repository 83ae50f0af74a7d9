import { expect } from "chai";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { parseArgs, recoveryPolicyConfig, recoveryStackConfig } from "../../tools/recoveryStack";

const REQUIRED = ["--from", "prod", "--to", "prod-recovery", "--region", "eu-central-1", "--replica-region", "eu-north-1"];

describe("npm run recovery-stack", () => {
    it("needs the source, the target and both regions, and a new stack name", () => {
        expect(parseArgs(REQUIRED.slice(0, 6))).to.match(/^--replica-region is required\n/);
        expect(parseArgs([...REQUIRED, "--velero-backup"])).to.match(/^--velero-backup needs a value\n/);
        expect(parseArgs([...REQUIRED, "--bogus", "x"])).to.match(/^unknown argument "--bogus"\n/);
        expect(parseArgs(["--from", "prod", "--to", "prod", "--region", "eu-central-1", "--replica-region", "eu-north-1"])).to.match(
            /^--to must name a new stack/,
        );
        expect(parseArgs(REQUIRED)).to.deep.include({ from: "prod", to: "prod-recovery", restoreTime: "latest", force: false });
    });

    it("keeps everything of the source but the region, its zones, the replica region, secrets and preview keys", () => {
        const source = readStackFile(stackFilePath("prod"));
        const opts = parseArgs(REQUIRED);
        if (typeof opts === "string") {
            throw new Error(opts);
        }
        const { config, dropped } = recoveryStackConfig(source, opts);
        expect(config["aws:region"]).to.equal("eu-central-1");
        expect(config["platform:network.availabilityZones"]).to.deep.equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        expect(config["platform:apps"]).to.deep.equal(source["platform:apps"]);
        expect(config["platform:database.instanceClass"]).to.equal(source["platform:database.instanceClass"]);
        expect(config).to.deep.include({
            "platform:backups.replicaRegion": "eu-north-1",
            "platform:restore.enabled": true,
            "platform:restore.sourceStack": "prod",
            "platform:restore.sourceRegion": "eu-west-1",
            "platform:restore.windowDays": 7,
            "platform:restore.veleroPrefix": "platform-prod-eks",
        });
        const droppedKeys = dropped.map((d) => d.key);
        expect(droppedKeys).to.include.members(["platform:preview.roleArns", "platform:preview.stateBucket", "platform:preview.secretsKeyArn"]);
        for (const key of droppedKeys) {
            expect(config).to.not.have.property(key);
        }
        for (const [key, value] of Object.entries(source)) {
            if (value !== null && typeof value === "object" && "secure" in value) {
                expect(droppedKeys, key).to.include(key);
            }
        }
    });

    it("the recovery stack's policy config reviews the replicated backups' key, and keeps every other setting", () => {
        const source = {
            "platform-kms-key-customer-managed": { enforcementLevel: "mandatory", allowedKeyArnPatterns: ["arn:aws:kms:*:111122223333:key/*"] },
            other: "advisory",
        };
        expect(recoveryPolicyConfig(source, "arn:aws:kms:eu-central-1:123456789012:key/k")).to.deep.equal({
            "platform-kms-key-customer-managed": {
                enforcementLevel: "mandatory",
                allowedKeyArnPatterns: ["arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-central-1:123456789012:key/k"],
            },
            other: "advisory",
        });
    });
});
