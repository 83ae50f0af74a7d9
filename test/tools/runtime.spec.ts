import { expect } from "chai";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError } from "../../config";
import { structModule } from "../../tools/offline/plainStruct";
import { runProgram } from "../../tools/offline/runtime";

/** Internal modules of the SDK that the runtime's promise tracking works with. */
interface SdkState {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
}
interface Debuggable {
    leakedPromises(): [Set<Promise<unknown>>, string];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkState = require("@pulumi/pulumi/runtime/state") as SdkState;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;

/** Runs `body` and reports how many promises were tracked for the leak report and which sets held them. */
async function watchLeakCandidates<T>(body: () => Promise<T>): Promise<{ result: T; tracked: number; sets: Set<Promise<unknown>>[] }> {
    const getStore = sdkState.getStore;
    const sets: Set<Promise<unknown>>[] = [];
    let tracked = 0;
    sdkState.getStore = () => {
        const store = getStore();
        const set = store.leakCandidates;
        if (!sets.includes(set)) {
            sets.push(set);
            const add = set.add.bind(set);
            set.add = (p) => (tracked++, add(p));
        }
        return store;
    };
    try {
        return { result: await body(), tracked, sets };
    } finally {
        sdkState.getStore = getStore;
        for (const set of sets) {
            delete (set as { add?: unknown }).add;
        }
    }
}

/** Counts the stack traces formatted (with at least one frame) while `body` runs. */
async function countStackTraces<T>(body: () => Promise<T>): Promise<{ result: T; traces: number }> {
    const previous = Error.prepareStackTrace;
    let traces = 0;
    Error.prepareStackTrace = (error, frames) => {
        if (frames.length > 0) {
            traces++;
        }
        return previous ? previous(error, frames) : `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;
    };
    try {
        return { result: await body(), traces };
    } finally {
        Error.prepareStackTrace = previous;
    }
}

describe("the offline runtime (tools/offline/runtime.ts)", () => {
    for (const [stack, preview] of [
        ["dev", true],
        ["prod", true],
        ["prod", false],
    ] as const) {
        it(`records exactly what the SDK's MockMonitor answers give: ${stack}, ${preview ? "preview" : "update"} (same JSON, same order)`, async () => {
            const fast = await runProgram({ stack, preview });
            const reference = await runProgram({ stack, preview, viaSdkMonitor: true });
            expect(fast.resources.length).to.be.greaterThan(100);
            expect(fast.resources.map((r) => r.urn)).to.deep.equal(reference.resources.map((r) => r.urn));
            expect(JSON.stringify(fast)).to.equal(JSON.stringify(reference));
            // Unknowns and secrets are kept as such, not only as their JSON form.
            expect(fast).to.deep.equal(reference);
        });
    }

    it("formats no stack trace per resource (the SDK's source positions and promise stacks are diagnostics only)", async () => {
        const { result, traces } = await countStackTraces(() => runProgram({ stack: "prod" }));
        expect(result.resources.length).to.be.greaterThan(100);
        expect(traces, "stack traces formatted during the run").to.be.below(10);
    });

    it("leaves the SDK as it found it after a run", async () => {
        const resource = pulumi.Resource as unknown as { callsites: unknown };
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of the SDK
        const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
        const { Struct } = structModule;
        const state = () => [resource.callsites, debuggable.debuggablePromise, Struct.fromJavaScript];
        const before = state();
        await runProgram({ stack: "dev" });
        expect(state()).to.deep.equal(before);
        await runProgram({ stack: "dev", config: { "platform:network.cidr": "not a cidr" } }).catch(() => undefined);
        expect(state()).to.deep.equal(before);
    });

    it("the SDK's leak report still watches every promise of a run (only their stack traces are not taken)", async () => {
        const { result, tracked, sets } = await watchLeakCandidates(() => runProgram({ stack: "dev" }));
        expect(result.resources.length).to.be.greaterThan(100);
        expect(tracked, "promises tracked").to.be.greaterThan(1000);
        // Every tracked promise settled and left the set, as the SDK's own tracking does.
        expect(sets.map((s) => s.size)).to.deep.equal(sets.map(() => 0));
    });

    it("a promise that never settles is in the leak report, with its context", async () => {
        const run = await runProgram({ stack: "dev", program: path.join(__dirname, "fixtures", "leakyProgram.ts") });
        expect(run.outputs).to.deep.equal({ answer: 42 });
        // Read (and so cleared) here, before the report at this process's exit would fail the test run.
        const [leaked, message] = debuggable.leakedPromises();
        expect(message).to.match(/detected that 1 promise was still active/);
        expect([...leaked].map((p) => (p as { _debugCtx?: unknown })._debugCtx)).to.deep.equal(["a promise that never settles"]);
    });

    it("the program shares the tools' modules (one config module) and is run afresh each time", async () => {
        // The program's ConfigValidationError is the class the tools and tests import: config is not loaded twice.
        const error: unknown = await runProgram({ stack: "dev", config: { "platform:network.cidr": "not a cidr" } }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(ConfigValidationError);
        // Two runs with different config register different resources: the entry point and components ran again.
        const dev = await runProgram({ stack: "dev" });
        const prod = await runProgram({ stack: "prod" });
        expect(dev.resources.length).to.not.equal(prod.resources.length);
        expect((await runProgram({ stack: "dev" })).resources.map((r) => r.urn)).to.deep.equal(dev.resources.map((r) => r.urn));
    });
});
