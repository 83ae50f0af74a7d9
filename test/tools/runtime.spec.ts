import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../../tools/offline/runtime";

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
        const before = [resource.callsites, debuggable.debuggablePromise];
        await runProgram({ stack: "dev" });
        expect([resource.callsites, debuggable.debuggablePromise]).to.deep.equal(before);
        await runProgram({ stack: "dev", config: { "platform:network.cidr": "not a cidr" } }).catch(() => undefined);
        expect([resource.callsites, debuggable.debuggablePromise]).to.deep.equal(before);
    });
});
