import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { main, parseArgs } from "../../tools/plan";
import { previewDocument } from "../../tools/offline/previewJson";
import { Secret } from "../../tools/offline/values";
import { stackConfig } from "../harness";

/** Runs the plan CLI in-process, returning its exit status and printed text. */
async function plan(...argv: string[]): Promise<{ status: number; text: string }> {
    const lines: string[] = [];
    const status = await main(argv, (t) => lines.push(t));
    return { status, text: lines.join("\n") };
}

function tempFile(name: string, content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

describe("the offline plan (npm run plan)", () => {
    it("parses its arguments and rejects unknown ones", () => {
        expect(parseArgs([])).to.deep.equal({ stack: "dev" });
        expect(parseArgs(["--stack", "prod", "--json", "out.json"])).to.deep.equal({ stack: "prod", json: "out.json" });
        expect(parseArgs(["--stak", "prod"])).to.match(/^unknown argument "--stak"/);
        expect(parseArgs(["--stack"])).to.match(/^--stack needs a value/);
    });

    it("plans dev by default: tree, counts, outputs, violations and elapsed time; exit 0", async () => {
        const { status, text } = await plan();
        expect(status).to.equal(0);
        expect(text).to.include('Offline plan of stack "dev"');
        expect(text).to.match(/Resources \(\d+\), by component:/);
        expect(text).to.include("platform:network:Network  network");
        expect(text).to.match(/aws:ec2\/subnet:Subnet\s+6/);
        expect(text).to.include('flowLogGroupName: "/aws/vpc/platform-dev/flow-logs"');
        expect(text).to.include("Policy violations, mandatory (0):");
        expect(text).to.match(/Elapsed: \d+\.\d\d s/);
    });

    it("plans prod with zero mandatory violations; protected resources are marked", async () => {
        const { status, text } = await plan("--stack", "prod");
        expect(status).to.equal(0);
        expect(text).to.include("aws:kms/key:Key  keys-data  (protected)");
    });

    it("exits 2 with the messages only (no stack trace) on invalid config", async () => {
        const file = tempFile(
            "bad.yaml",
            stringify({ config: { ...stackConfig("dev"), "platform:network.cidr": "10.0.0.0/8", "platform:natGateway": "single" } }),
        );
        const { status, text } = await plan("--config-file", file);
        expect(status).to.equal(2);
        expect(text).to.include("platform:network.cidr:");
        expect(text).to.include("platform:natGateway: unknown configuration key; did you mean platform:network.natGateways?");
        expect(text).to.not.match(/\n\s+at /);
    });

    it("exits 2 on bad arguments and on a missing config file", async () => {
        expect((await plan("--bogus")).status).to.equal(2);
        expect((await plan("--stack", "nosuchstack")).status).to.equal(2);
    });

    it("exits 1 when a mandatory policy is violated (a stack with no policy config gets the prod levels)", async () => {
        // Dev's 14-day log retention is advisory under dev's policy config, mandatory under the pack's own levels.
        const file = tempFile("staging.yaml", stringify({ config: stackConfig("dev") }));
        const { status, text } = await plan("--stack", "staging", "--config-file", file);
        expect(status).to.equal(1);
        expect(text).to.match(/Policy violations, mandatory \([1-9]\d*\):\n {2}\[platform-logs-group-retention\]/);
    });

    it("--json writes the plan in the shape of pulumi preview --json", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "dev.json");
        await plan("--json", out);
        const doc = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown> & {
            steps: { op: string; urn: string; provider: string; newState: Record<string, unknown> }[];
            summary: Record<string, unknown>;
        };
        expect(Object.keys(doc)).to.deep.equal(["stack", "project", "steps", "outputs", "policyViolations", "summary"]);
        expect(doc.stack).to.equal("dev");
        expect(doc.project).to.equal("platform");
        expect(Object.keys(doc.summary)).to.deep.equal(["resources", "byType", "mandatoryViolations", "advisoryViolations"]);
        expect(doc.summary.resources).to.equal(doc.steps.length);
        const vpc = doc.steps.find((s) => s.newState.type === "aws:ec2/vpc:Vpc")!;
        expect(vpc.op).to.equal("create");
        expect(Object.keys(vpc.newState)).to.include.members([
            "urn",
            "id",
            "type",
            "custom",
            "parent",
            "provider",
            "inputs",
            "outputs",
            "dependencies",
            "propertyDependencies",
            "protect",
            "retainOnDelete",
        ]);
        expect(vpc.provider).to.match(/pulumi:providers:aws::aws::/);
    });

    it("writes every secret as [secret], in steps and outputs", () => {
        const doc = previewDocument(
            {
                stack: "dev",
                project: "platform",
                config: {},
                outputs: { password: new Secret("hunter2"), nested: { token: new Secret("t0k3n") } },
                resources: [
                    {
                        urn: "urn:x",
                        type: "random:index/randomPassword:RandomPassword",
                        name: "pw",
                        custom: true,
                        inputs: { length: 32 },
                        outputs: { result: new Secret("hunter2") },
                        dependencies: [],
                        propertyDependencies: {},
                        protect: false,
                        retainOnDelete: false,
                    },
                ],
            },
            [],
        );
        const text = JSON.stringify(doc);
        expect(text).to.not.include("hunter2");
        expect(text).to.not.include("t0k3n");
        expect(JSON.parse(text).outputs).to.deep.equal({ password: "[secret]", nested: { token: "[secret]" } });
    });
});
