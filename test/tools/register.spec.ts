import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `script` in a fresh node with the command-line tools' loader; returns what it prints. */
function withLoader(script: string): string {
    return execFileSync(process.execPath, ["--require", "./tools/register.js", "-e", script], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
    });
}

describe("the command-line tools' loader (tools/register.js)", () => {
    it("loads @pulumi/pulumi without the Automation API, npm's arborist or the TypeScript compiler", () => {
        const loaded = withLoader(
            "require('@pulumi/pulumi'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /@npmcli[\\\\/]arborist|[\\\\/]typescript[\\\\/]lib|[\\\\/]pacote[\\\\/]/.test(f)).length))",
        );
        expect(JSON.parse(loaded)).to.equal(0);
    });

    it("the deferred parts still work when used: closure code paths, function serialization, the Automation API", () => {
        const out = withLoader(
            [
                "const pulumi = require('@pulumi/pulumi');",
                "(async () => {",
                "  const fn = await pulumi.runtime.serializeFunction(() => 42);",
                "  const hasWorkspace = typeof pulumi.automation.LocalWorkspace.create === 'function';",
                "  console.log(JSON.stringify({ text: fn.text.includes('42'), computeCodePaths: typeof pulumi.runtime.computeCodePaths, hasWorkspace }));",
                "})();",
            ].join("\n"),
        );
        expect(JSON.parse(out)).to.deep.equal({ text: true, computeCodePaths: "function", hasWorkspace: true });
    });
});
