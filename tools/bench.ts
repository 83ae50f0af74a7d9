/**
 * Benchmarks (not timed tests): `npm run bench`.
 *
 * 1. The offline plan of prod against the bare cost of loading the SDKs, both measured in this run:
 *    the plan should cost at most 1.5x `require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/kubernetes')`
 *    (issue 18's budget). One plan runs first, unmeasured, so that the loader's caches (transpiled
 *    TypeScript, V8's code cache; tools/register.js) are as any earlier run leaves them.
 * 2. Evaluating the whole policy pack over 10,000 resources: under 1 s (at least 10,000 resources a second).
 *
 * Prints medians and ratios; exits 1 when a budget is exceeded.
 */
import { execFileSync } from "node:child_process";
import { evaluatePolicies, readPolicyConfig, type PolicyInput } from "./offline/policyRunner";
import { runProgram } from "./offline/runtime";
import { REPO_ROOT } from "./offline/stackConfig";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** The offline plan of prod against the bare SDK load: at most this ratio. */
const PLAN_RATIO_BUDGET = 1.5;

function wallTime(args: string[]): number {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: "ignore" });
    return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<number> {
    const sdk = ["-e", "require('@pulumi/pulumi');require('@pulumi/aws');require('@pulumi/kubernetes')"];
    const plan = ["--stack-trace-limit=0", "--require", "./tools/register.js", "tools/plan.ts", "--stack", "prod"];
    const sdkTimes: number[] = [];
    const planTimes: number[] = [];
    wallTime(plan);
    // Interleaved, so that load on the machine affects both alike.
    for (let i = 0; i < RUNS; i++) {
        sdkTimes.push(wallTime(sdk));
        planTimes.push(wallTime(plan));
    }
    const ratio = median(planTimes) / median(sdkTimes);
    console.log(`SDK load (median of ${RUNS}):          ${median(sdkTimes).toFixed(0)} ms`);
    console.log(`offline plan of prod (median of ${RUNS}): ${median(planTimes).toFixed(0)} ms`);
    console.log(`ratio: ${ratio.toFixed(2)} (budget ${PLAN_RATIO_BUDGET.toFixed(2)})`);

    const run = await runProgram({ stack: "prod" });
    const resources: PolicyInput[] = [];
    for (let i = 0; resources.length < 10_000; i++) {
        for (const r of run.resources) {
            resources.push({ ...r, urn: `${r.urn}-${i}`, name: `${r.name}-${i}` });
        }
    }
    resources.length = 10_000;
    const started = process.hrtime.bigint();
    const violations = await evaluatePolicies(resources, { config: readPolicyConfig("prod") });
    const policyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const perSecond = Math.round((resources.length / policyMs) * 1000);
    console.log(
        `policy pack over ${resources.length} resources: ${policyMs.toFixed(0)} ms (budget 1000 ms), ${perSecond} resources/s, ${violations.length} violations`,
    );
    return ratio <= PLAN_RATIO_BUDGET && policyMs < 1000 ? 0 : 1;
}

main().then((status) => (process.exitCode = status));
