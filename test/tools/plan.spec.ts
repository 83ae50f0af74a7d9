import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { main, markdownReport, parseArgs, unexpectedFailure } from "../../tools/plan";
import { previewDocument } from "../../tools/offline/previewJson";
import { Secret } from "../../tools/offline/values";
import { encryptedStackFile, secretKeys, stackConfig } from "../harness";

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
        expect(parseArgs(["--markdown", "plan.md"])).to.deep.equal({ stack: "dev", markdown: "plan.md" });
        expect(parseArgs(["--markdown", "--json"])).to.match(/^--markdown needs a value/);
    });

    it("plans dev by default: tree, counts, outputs, violations and elapsed time; exit 0", async () => {
        const markdown = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "dev.md");
        const { status, text } = await plan("--markdown", markdown);
        expect(status).to.equal(0);
        expect(text).to.include('Offline plan of stack "dev"');
        expect(text).to.match(/Resources \(\d+\), by component:/);
        expect(text).to.include("platform:network:Network  network");
        expect(text).to.match(/aws:ec2\/subnet:Subnet\s+6/);
        expect(text).to.include('flowLogGroupName: "/aws/vpc/platform-dev/flow-logs"');
        expect(text).to.include("Policy violations, mandatory (0):");
        expect(text).to.match(/Elapsed: \d+\.\d\d s/);
        // --markdown: the job-summary form of the same plan.
        const summary = fs.readFileSync(markdown, "utf8");
        const total = Number(/Resources \((\d+)\)/.exec(text)![1]);
        expect(summary).to.match(/^### Offline plan of `dev`: ✅ no mandatory policy violations\n/);
        expect(summary).to.include("Config `Pulumi.dev.yaml`, mock runtime, no cloud credentials used.");
        const advisory = Number(/Policy violations, advisory \((\d+)\)/.exec(text)![1]);
        expect(summary).to.include(`**${total} resources**; policy violations: **0 mandatory**, **${advisory} advisory**.`);
        expect(summary.match(/^\| advisory \| /gm) ?? []).to.have.length(advisory);
        expect(summary).to.include("| `aws:ec2/subnet:Subnet` | 6 |");
        expect(summary).to.include('| `flowLogGroupName` | "/aws/vpc/platform-dev/flow-logs" |');
        expect(text).to.include(`Wrote the Markdown summary to ${markdown}`);
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
        const markdown = path.join(path.dirname(file), "bad.md");
        const { status, text } = await plan("--config-file", file, "--markdown", markdown);
        expect(status).to.equal(2);
        const summary = fs.readFileSync(markdown, "utf8");
        expect(summary).to.match(/^### Offline plan of `dev`: ❌ invalid configuration in `.*bad\.yaml`\n/);
        expect(summary).to.include("- platform:natGateway: unknown configuration key; did you mean platform:network.natGateways?");
        expect(text).to.include("platform:network.cidr:");
        expect(text).to.include("platform:natGateway: unknown configuration key; did you mean platform:network.natGateways?");
        expect(text).to.not.match(/\n\s+at /);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack} with a secure: ciphertext on every secret key: exit 0, no violation, and the checks not made are listed (text, Markdown, JSON)`, async () => {
            const file = encryptedStackFile(stack);
            const markdown = path.join(path.dirname(file), "plan.md");
            const json = path.join(path.dirname(file), "plan.json");
            const { status, text } = await plan("--stack", stack, "--config-file", file, "--markdown", markdown, "--json", json);
            expect(status, text).to.equal(0);
            expect(text).to.include("Policy violations, mandatory (0):");
            expect(text).to.include("Policy violations, advisory (0):");
            expect(text).to.match(/\nNot checked offline \(4\): secure: values the offline tools cannot decrypt/);
            const summary = fs.readFileSync(markdown, "utf8");
            const doc = JSON.parse(fs.readFileSync(json, "utf8")) as {
                notCheckedOffline: { key: string; check: string }[];
                summary: { notCheckedOffline: number };
            };
            expect(doc.summary.notCheckedOffline).to.equal(4);
            for (const key of secretKeys()) {
                expect(text).to.match(new RegExp(`\\n  ${key.replace(/\./g, "\\.")}: is `));
                expect(summary).to.include(`| \`${key}\` | is `);
                expect(doc.notCheckedOffline.map((u) => u.key)).to.include(key);
            }
            expect(summary).to.include("**Not checked offline**");
            expect(text).to.not.include("[offline: secure value");
        });
    }

    it("a stack file that is not valid YAML is invalid configuration: exit 2, file, line and column; --markdown is still written", async () => {
        const file = tempFile("Pulumi.broken.yaml", "config:\n  aws:region: eu-west-1\n  platform:tags: [a\n  platform:environment: dev\n");
        const markdown = path.join(path.dirname(file), "broken.md");
        const { status, text } = await plan("--stack", "broken", "--config-file", file, "--markdown", markdown);
        expect(status).to.equal(2);
        expect(text).to.match(
            /^Invalid configuration in \S*Pulumi\.broken\.yaml:\n {2}- \S*Pulumi\.broken\.yaml:4:3: is not valid YAML: .+ \(BAD_INDENT\); expected /,
        );
        expect(text.split("\n")).to.have.length(2);
        const summary = fs.readFileSync(markdown, "utf8");
        expect(summary).to.match(
            /^### Offline plan of `broken`: ❌ invalid configuration in `\S*Pulumi\.broken\.yaml`\n\n- \S*Pulumi\.broken\.yaml:4:3: is not valid YAML/,
        );
    });

    it("a stack file whose config: is not a map is invalid configuration (exit 2)", async () => {
        const file = tempFile("Pulumi.list.yaml", "config:\n  - aws:region\n");
        const { status, text } = await plan("--stack", "list", "--config-file", file);
        expect(status).to.equal(2);
        expect(text).to.match(/Pulumi\.list\.yaml: config: is a list; expected a map of key: value$/);
    });

    it("an unexpected failure is reported in one line (exit 3)", () => {
        const error = new TypeError("cannot read x\n    at somewhere (file.ts:1:1)\n    at elsewhere");
        const message = unexpectedFailure(error);
        expect(message).to.equal("offline plan failed unexpectedly (exit 3; a bug of the tool or the program, not of the config): TypeError: cannot read x");
    });

    it("exits 2 on bad arguments and on a missing config file", async () => {
        expect((await plan("--bogus")).status).to.equal(2);
        expect((await plan("--stack", "nosuchstack")).status).to.equal(2);
    });

    it("exits 1 when a mandatory policy is violated (a stack with no policy config gets the prod levels)", async () => {
        // Dev's 14-day log retention is advisory under dev's policy config, mandatory under the pack's own levels.
        const file = tempFile("staging.yaml", stringify({ config: stackConfig("dev") }));
        const markdown = path.join(path.dirname(file), "staging.md");
        const { status, text } = await plan("--stack", "staging", "--config-file", file, "--markdown", markdown);
        expect(status).to.equal(1);
        const summary = fs.readFileSync(markdown, "utf8");
        expect(summary).to.match(/^### Offline plan of `staging`: ❌ mandatory policy violations\n/);
        expect(summary).to.match(/\n\| mandatory \| platform-logs-group-retention \| aws:cloudwatch\/logGroup:LogGroup \S+ \| /);
        expect(text).to.match(/Policy violations, mandatory \([1-9]\d*\):\n {2}\[platform-logs-group-retention\]/);
    });

    it("--json writes the plan in the shape of pulumi preview --json", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "dev.json");
        await plan("--json", out);
        const doc = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown> & {
            steps: { op: string; urn: string; provider: string; newState: Record<string, unknown> }[];
            summary: Record<string, unknown>;
            estimates: { monthlyCostUsd: { lines: Record<string, unknown>[] }; createMinutes: { criticalPath: unknown[] } };
        };
        expect(Object.keys(doc)).to.deep.equal(["stack", "project", "steps", "outputs", "policyViolations", "notCheckedOffline", "summary", "estimates"]);
        // The estimates in the shape the issue names: estimates.monthlyCostUsd = { total, lines: [{ item, usd }] }, estimates.createMinutes = { total, criticalPath }.
        expect(Object.keys(doc.estimates.monthlyCostUsd)).to.deep.equal(["total", "lines"]);
        expect(Object.keys(doc.estimates.monthlyCostUsd.lines[0])).to.deep.equal(["item", "usd"]);
        expect(Object.keys(doc.estimates.createMinutes)).to.deep.equal(["total", "criticalPath"]);
        expect(doc.estimates.createMinutes.criticalPath.length).to.be.greaterThan(2);
        expect(doc.stack).to.equal("dev");
        expect(doc.project).to.equal("platform");
        expect(Object.keys(doc.summary)).to.deep.equal(["resources", "byType", "mandatoryViolations", "advisoryViolations", "notCheckedOffline"]);
        expect(doc.notCheckedOffline).to.deep.equal([]);
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

    it("--markdown escapes table cells and masks secret outputs", () => {
        const resource = {
            urn: "urn:pulumi:dev::platform::aws:s3/bucket:Bucket::logs",
            type: "aws:s3/bucket:Bucket",
            name: "logs",
            custom: true,
            inputs: {},
            outputs: {},
            dependencies: [],
            propertyDependencies: {},
            protect: false,
            retainOnDelete: false,
        };
        const text = markdownReport(
            {
                stack: "dev",
                project: "platform",
                config: {},
                unchecked: [],
                outputs: { token: new Secret("t0k3n"), name: "a|b" },
                resources: [resource],
                invokes: [],
            },
            [{ policyPackName: "p", policyName: "rule-a", enforcementLevel: "advisory", urn: resource.urn, message: "uses | pipes\nand lines" }],
            "Pulumi.dev.yaml",
        );
        expect(text).to.include("| advisory | rule-a | aws:s3/bucket:Bucket logs | uses \\| pipes<br>and lines |");
        expect(text).to.include("**1 resources**; policy violations: **0 mandatory**, **1 advisory**.");
        expect(text).to.include('| `name` | "a\\|b" |');
        expect(text).to.include("| `token` | [secret] |");
        expect(text).to.not.include("t0k3n");
    });

    it("writes every secret as [secret], in steps and outputs", () => {
        const doc = previewDocument(
            {
                stack: "dev",
                project: "platform",
                config: {},
                invokes: [],
                unchecked: [],
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
