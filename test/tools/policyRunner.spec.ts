import { expect } from "chai";
import type { PlatformRule } from "../../policies/lib/rule";
import { evaluatePolicies } from "../../tools/offline/policyRunner";
import { Secret, UNKNOWN_SENTINEL, Unknown } from "../../tools/offline/values";
import { resource } from "../policies/check";

/** A resource rule that reports what `read` returns for each resource's props (as JSON). */
function reading(read: (props: Record<string, unknown>) => unknown): PlatformRule {
    return {
        policy: {
            name: "test-reading",
            description: "reports what it reads",
            enforcementLevel: "mandatory",
            validateResource: (args, report) => report(JSON.stringify(read(args.props as Record<string, unknown>))),
        },
        levels: { dev: "mandatory", prod: "mandatory" },
        sources: [],
    };
}

const PROPS = {
    known: { list: [1, { deep: "x" }], secret: new Secret("s3cr3t") },
    pending: { nested: { arn: Unknown.instance }, list: ["a", UNKNOWN_SENTINEL], name: "n" },
};

async function read(fn: (props: Record<string, unknown>) => unknown) {
    return (await evaluatePolicies([resource("test:index:Thing", "thing", PROPS)], { rules: [reading(fn)] })).map((v) => [v.enforcementLevel, v.message]);
}

describe("the offline policy evaluator (tools/offline/policyRunner.ts)", () => {
    it("gives policies known values as they are, secrets in the clear", async () => {
        expect(await read((p) => p.known)).to.deep.equal([["mandatory", JSON.stringify({ list: [1, { deep: "x" }], secret: "s3cr3t" })]]);
        const arrays = await read((p) => [Array.isArray((p.known as { list: unknown }).list), Array.isArray((p.pending as { list: unknown }).list)]);
        expect(arrays).to.deep.equal([["mandatory", "[true,true]"]]);
    });

    it("stops a policy that reads a value unknown during preview, at any depth, naming its path; known values beside it read as usual", async () => {
        expect(await read((p) => (p.pending as { name: string }).name)).to.deep.equal([["mandatory", '"n"']]);
        expect(await read((p) => (p.pending as { nested: { arn: unknown } }).nested.arn)).to.deep.equal([
            ["advisory", "can't run policy test-reading during preview: thing.pending.nested.arn is unknown during preview"],
        ]);
        expect(await read((p) => (p.pending as { list: unknown[] }).list[1])).to.deep.equal([
            ["advisory", "can't run policy test-reading during preview: thing.pending.list.1 is unknown during preview"],
        ]);
        // Walking every value reaches the unknown too.
        expect(await read((p) => JSON.stringify(p))).to.deep.equal([
            ["advisory", "can't run policy test-reading during preview: thing.pending.nested.arn is unknown during preview"],
        ]);
    });
});
