import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main, parseArgs, resourcesOf } from "../../tools/policyCheck";
import { previewDocument } from "../../tools/offline/previewJson";
import { Unknown } from "../../tools/offline/values";
import { sharedPlan } from "../harness";

/** Runs the check in-process, returning its exit status and printed text. */
async function check(...argv: string[]): Promise<{ status: number; text: string }> {
    const lines: string[] = [];
    const status = await main(argv, (t) => lines.push(t));
    return { status, text: lines.join("\n") };
}

function tempFile(name: string, content: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-")), name);
    fs.writeFileSync(file, content);
    return file;
}

/** A step of a real `pulumi preview --json`: no name in newState, unknowns as sentinels, secrets in envelopes. */
function cliStep(op: string, type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) {
    const urn = `urn:pulumi:prod::platform::${type}::${name}`;
    return {
        op,
        urn,
        provider: "",
        newState: { urn, custom: true, type, inputs, outputs, parent: "", provider: "", dependencies: [], propertyDependencies: {}, protect: false },
    };
}

describe("the policy check of a preview file (npm run policy:check)", () => {
    let devFile: string;
    before(async () => {
        const plan = await sharedPlan("dev");
        devFile = tempFile("dev.json", JSON.stringify(previewDocument(plan.run, []), null, 2));
    });

    it("parses its arguments and rejects bad ones", () => {
        expect(parseArgs(["plan.json"])).to.deep.equal({ file: "plan.json", stack: undefined, json: false });
        expect(parseArgs(["--stack", "prod", "plan.json", "--json"])).to.deep.equal({ file: "plan.json", stack: "prod", json: true });
        expect(parseArgs([])).to.match(/^no preview file given/);
        expect(parseArgs(["a.json", "b.json"])).to.match(/^only one file can be checked/);
        expect(parseArgs(["a.json", "--stak", "prod"])).to.match(/^unknown argument "--stak"/);
        expect(parseArgs(["a.json", "--stack"])).to.match(/^--stack needs a value/);
        expect(parseArgs(["a.json", "--stack", "../x"])).to.match(/is not a stack name/);
    });

    it("checks the offline plan's preview document of dev with dev's policy config (its stack field): exit 0", async () => {
        const { status, text } = await check(devFile);
        expect(status).to.equal(0);
        expect(text).to.match(/^Policy check of .*dev\.json \(stack dev, \d+ resources\)/);
        expect(text).to.include("Policy violations, mandatory (0):");
        expect(text).to.match(/Policy violations, advisory \(\d+\):/);
    });

    it("exits 1 with each mandatory violation (resource and message) when the prod levels apply", async () => {
        const doc = JSON.parse(fs.readFileSync(devFile, "utf8")) as {
            steps: { newState: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> } }[];
        };
        const group = doc.steps.find((s) => s.newState.type === "aws:cloudwatch/logGroup:LogGroup")!;
        delete group.newState.inputs.kmsKeyId;
        delete group.newState.outputs.kmsKeyId;
        const file = tempFile("broken.json", JSON.stringify(doc));
        const { status, text } = await check(file, "--stack", "prod");
        expect(status).to.equal(1);
        expect(text).to.match(/Policy violations, mandatory \([1-9]\d*\):/);
        expect(text).to.match(
            /\[platform-logs-group-encryption\] aws:cloudwatch\/logGroup:LogGroup \S+\n {6}aws:cloudwatch\/logGroup:LogGroup "\S+" is not encrypted with a customer-managed key\./,
        );
    });

    it("--json prints the violations and a summary", async () => {
        const { status, text } = await check(devFile, "--json");
        expect(status).to.equal(0);
        const out = JSON.parse(text) as {
            stack: string;
            resources: number;
            policyViolations: { policyName: string; enforcementLevel: string; urn: string; message: string }[];
            summary: Record<string, number>;
        };
        expect(Object.keys(out)).to.deep.equal(["file", "stack", "resources", "policyViolations", "summary"]);
        expect(out.stack).to.equal("dev");
        expect(out.resources).to.be.greaterThan(100);
        expect(out.summary.mandatoryViolations).to.equal(0);
        expect(out.summary.advisoryViolations).to.equal(out.policyViolations.length);
    });

    it("reads the real CLI's shape: names from URNs, unknowns, secret envelopes, inputs when outputs are empty, deletes skipped", () => {
        const doc = {
            steps: [
                cliStep("create", "aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 365, kmsKeyId: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" }),
                cliStep(
                    "same",
                    "aws:elasticache/replicationGroup:ReplicationGroup",
                    "cache",
                    { authToken: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"x"' } },
                    { authToken: "[secret]" },
                ),
                { op: "delete", urn: "urn:pulumi:prod::platform::aws:s3/bucket:Bucket::old", oldState: {} },
            ],
        };
        const [logs, cache] = resourcesOf(doc);
        expect(resourcesOf(doc)).to.have.length(2);
        expect(logs.name).to.equal("logs");
        expect(logs.outputs).to.equal(logs.inputs);
        expect(logs.inputs.kmsKeyId).to.equal(Unknown.instance);
        expect(cache.inputs.authToken).to.equal("[secret]");
        expect(cache.outputs.authToken).to.equal("[secret]");
    });

    it("exits 2 with a clear message and no stack trace for a missing, non-JSON or malformed file", async () => {
        const cases: [string, RegExp][] = [
            [path.join(os.tmpdir(), "no-such-preview.json"), /^cannot check .*no-such-preview\.json: the file cannot be read \(ENOENT\)$/],
            [tempFile("bad.json", "not json"), /^cannot check .*bad\.json: it is not valid JSON \(.*\)$/],
            [
                tempFile("empty.json", "{}"),
                /^cannot check .*empty\.json: it has no "steps" list; expected the output of `pulumi preview --json` or `npm run plan -- --json FILE`$/,
            ],
            [
                tempFile("steps.json", JSON.stringify({ steps: [{ op: "create", newState: { type: "x" } }] })),
                /^cannot check .*steps\.json: steps\[0\]\.newState has no urn or type$/,
            ],
        ];
        for (const [file, message] of cases) {
            const { status, text } = await check(file);
            expect(status, file).to.equal(2);
            expect(text).to.match(message);
            expect(text).to.not.match(/\n\s+at /);
        }
        expect((await check()).status).to.equal(2);
    });
});
