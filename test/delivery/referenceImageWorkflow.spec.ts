/**
 * The reference image in pulumi-up.yml: the steps run in the order that makes the repository exist before
 * the first push and the pinned digest exist before the rollout, and each step's script does what it says
 * when run by bash (as GitHub runs it) against stand-ins for aws, pulumi, git and docker that record their
 * arguments.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
type Step = { name?: string; id?: string; run?: string; env?: Record<string, string> };
const workflow = parse(fs.readFileSync(path.join(ROOT, ".github/workflows/pulumi-up.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs)[0].steps;
const step = (name: string): Step => {
    const found = steps.find((s) => s.name === name);
    if (found === undefined) {
        throw new Error(`no step ${name}`);
    }
    return found;
};
const DIGEST = `sha256:${"c".repeat(64)}`;
const BUILT = `sha256:${"d".repeat(64)}`;
const URL = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app";

/**
 * Runs a step's script with stand-in commands: each logs its arguments to calls.log and answers as `answers`
 * says (a shell snippet per command, given "$*").
 */
function runStep(name: string, env: Record<string, string>, answers: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ref-image-step-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    for (const command of ["aws", "pulumi", "git", "docker"]) {
        // docker login reads the password from the pipe, as the real one does (else aws would get SIGPIPE).
        const body = `${command === "docker" ? "cat > /dev/null\n" : ""}${answers[command] ?? "exit 0"}`;
        fs.writeFileSync(path.join(bin, command), `#!/usr/bin/env bash\necho "${command} $*" >> "${dir}/calls.log"\nargs="$*"\n${body}\n`, { mode: 0o755 });
    }
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step(name).run!], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH}`, STACK: "dev", GITHUB_SHA: "abc123", GITHUB_OUTPUT: output, ...env },
        encoding: "utf8",
    });
    const calls = fs.existsSync(path.join(dir, "calls.log")) ? fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n") : [];
    return { status: result.status, out: `${result.stdout}${result.stderr}`, calls, outputs: fs.readFileSync(output, "utf8") };
}

describe("delivery: the reference image in pulumi-up.yml", () => {
    it("orders the steps: the stack's view, the repository (first deploy), the image, the pinned digest, then the update and its verification", () => {
        const names = steps.map((s) => s.name);
        const order = [
            "Reference image of the stack",
            "Image repository (first deploy without the reference application)",
            "Build and push the reference image",
            "Pinned reference image",
            "pulumi up",
            "Verify the deployed stack",
        ].map((n) => names.indexOf(n));
        expect(order.every((i) => i >= 0)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        expect(order[order.length - 1] - order[order.length - 2]).to.equal(1);
        expect(names.indexOf("AWS credentials (OIDC)")).to.be.lessThan(order[1]);
        expect(step("Reference image of the stack").run).to.equal('npm run --silent reference-image -- --stack "$STACK" >> "$GITHUB_OUTPUT"');
        expect(step("Pinned reference image").env).to.deep.include({
            PINNED: "${{ steps.reference.outputs.pinned }}",
            BUILT: "${{ steps.image.outputs.digest }}",
        });
    });

    describe("the first deploy's pass", () => {
        const env = { REPOSITORY: "platform-dev-reference-app", APP_URN: "urn:pulumi:dev::platform::platform:apps:Application::app-api" };

        it("deploys everything but the reference application when its repository does not exist yet", () => {
            const r = runStep("Image repository (first deploy without the reference application)", env, {
                aws: 'echo "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation" >&2; exit 254',
            });
            expect(r.status, r.out).to.equal(0);
            const up = r.calls.find((c) => c.startsWith("pulumi up"))!;
            expect(up).to.include(`--exclude ${env.APP_URN} --exclude-dependents`);
            expect(up).to.include("--policy-pack policies --policy-pack-config policies/config/dev.json");
        });

        it("does nothing once the repository exists, and stops on any other error of the lookup", () => {
            const exists = runStep("Image repository (first deploy without the reference application)", env, { aws: 'echo "{}"' });
            expect(exists.status).to.equal(0);
            expect(exists.calls.filter((c) => c.startsWith("pulumi"))).to.deep.equal([]);
            const denied = runStep("Image repository (first deploy without the reference application)", env, {
                aws: 'echo "An error occurred (AccessDeniedException)" >&2; exit 254',
            });
            expect(denied.status).to.equal(1);
            expect(denied.out).to.include("AccessDeniedException");
            expect(denied.calls.filter((c) => c.startsWith("pulumi"))).to.deep.equal([]);
        });
    });

    describe("the build", () => {
        const env = { REPOSITORY: "platform-dev-reference-app" };
        const aws = (tagExists: boolean) =>
            [
                'case "$args" in',
                `  "ecr describe-repositories"*) echo "${URL}" ;;`,
                `  "ecr describe-images"*"--query"*) echo "${BUILT}" ;;`,
                `  "ecr describe-images"*) ${tagExists ? "echo '{}'" : "exit 254"} ;;`,
                '  "ecr get-login-password"*) echo token ;;',
                "esac",
            ].join("\n");

        it("builds a single-platform image tagged by the tree of reference-app/, pushes it and outputs its digest", () => {
            const r = runStep("Build and push the reference image", env, { aws: aws(false), git: 'echo "0123456789ab"' });
            expect(r.status, r.out).to.equal(0);
            expect(r.calls).to.include("git rev-parse --short=12 HEAD:reference-app");
            expect(r.calls).to.include("docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            expect(r.calls).to.include(`docker build --pull --provenance=false --tag ${URL}:src-0123456789ab reference-app`);
            expect(r.calls).to.include(`docker push ${URL}:src-0123456789ab`);
            expect(r.outputs).to.equal(`image=${URL}@${BUILT}\ndigest=${BUILT}\n`);
        });

        it("never pushes a tag again (tags are immutable): the image of the same source is reused", () => {
            const r = runStep("Build and push the reference image", env, { aws: aws(true), git: 'echo "0123456789ab"' });
            expect(r.status, r.out).to.equal(0);
            expect(r.calls.filter((c) => c.startsWith("docker"))).to.deep.equal([]);
            expect(r.outputs).to.include(`digest=${BUILT}`);
        });
    });

    describe("the pinned digest", () => {
        const run = (pinned: string, held: boolean) =>
            runStep("Pinned reference image", { REPOSITORY: "platform-dev-reference-app", PINNED: pinned, BUILT }, { aws: held ? "exit 0" : "exit 254" });

        it("lets the update go on when the repository holds the pinned image, noting a newer build to pin", () => {
            const r = run(DIGEST, true);
            expect(r.status, r.out).to.equal(0);
            expect(r.calls).to.deep.equal([`aws ecr describe-images --repository-name platform-dev-reference-app --image-ids imageDigest=${DIGEST}`]);
            expect(r.out).to.include(
                `::notice::platform-dev-reference-app also holds ${BUILT}, built from this commit; pin it in Pulumi.dev.yaml to roll it out`,
            );
        });

        it("stops before the update when the stack file pins an image the repository does not hold (the first deploy's placeholder)", () => {
            const r = run(DIGEST, false);
            expect(r.status).to.equal(1);
            expect(r.out).to.include(
                `::error::Pulumi.dev.yaml pins ${DIGEST}, which platform-dev-reference-app does not hold. Pin an image it holds, such as ${BUILT} built from this commit, (docs/runbooks/first-deploy.md, section 6).`,
            );
        });

        it("has nothing to check when no application runs the reference image", () => {
            const r = run("", false);
            expect(r.status).to.equal(0);
            expect(r.calls).to.deep.equal([]);
        });
    });
});
