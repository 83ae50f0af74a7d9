import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main as plan } from "../../tools/plan";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `script` in a fresh node with the command-line tools' loader; returns what it prints. */
function withLoader(script: string): string {
    return node(["--require", "./tools/register.js", "-e", script]);
}

function node(args: string[]): string {
    return execFileSync(process.execPath, args, {
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

    // What `Object.keys` gives and what one sub-module is, for each index: the same with and without the loader.
    const SHAPE = (pkg: string, sub: string) =>
        `const m = require('${pkg}'); const loaded = (d) => Object.keys(require.cache).filter((f) => f.includes('/${pkg}/' + d + '/')).length;` +
        `const before = { ${sub}: loaded('${sub}'), others: Object.keys(require.cache).filter((f) => f.includes('/${pkg}/') && /^(?!types\\/)[^/]+\\//.test(f.split('/${pkg}/')[1])).length };` +
        `console.log(JSON.stringify({ keys: Object.keys(m), before, same: m.${sub} === require('${pkg}/${sub}'), after: loaded('${sub}') > 0 }))`;

    for (const [pkg, sub] of [
        ["@pulumi/aws", "ec2"],
        ["@pulumi/kubernetes", "apps"],
    ] as const) {
        it(`${pkg}: its sub-modules load on first use, and its exports are the same as without the loader`, () => {
            const lazy = JSON.parse(withLoader(SHAPE(pkg, sub))) as { keys: string[]; before: Record<string, number>; same: boolean; after: boolean };
            const eager = JSON.parse(node(["-e", SHAPE(pkg, sub)])) as typeof lazy;
            // Without the loader every sub-module loads with the index (the pinned index still has that shape) ...
            expect(eager.before[sub]).to.be.greaterThan(0);
            expect(eager.before.others).to.be.greaterThan(25);
            // ... with it, none until used (types/, which the index itself reads, aside).
            expect(lazy.before[sub]).to.equal(0);
            expect(lazy.before.others).to.equal(0);
            expect(lazy.keys).to.deep.equal(eager.keys);
            expect(lazy.same).to.equal(true);
            expect(lazy.after).to.equal(true);
        });
    }

    it("an index line stays eager when its local name is used elsewhere in the index, or the line has another shape", () => {
        const source = [
            'const a = __importStar(require("./a"));',
            "exports.a = a;",
            'const b = __importStar(require("./b"));',
            "exports.b = b;",
            "b.register();",
            'const c = __importStar(require("./other"));',
            "exports.c = c;",
        ].join("\n");
        const out = withLoader(`console.log(JSON.stringify(require('./tools/register.js').lazySubmodules(${JSON.stringify(source)}).split('\\n')))`);
        const lines = JSON.parse(out) as string[];
        expect(lines[0]).to.match(
            /^Object\.defineProperty\(exports, "a", \{ enumerable: true, configurable: true, get\(\) \{ const m = __importStar\(require\("\.\/a"\)\);/,
        );
        expect(lines.slice(1)).to.deep.equal(source.split("\n").slice(2));
    });

    it("a run of the offline plan through the loader writes exactly the plan the in-process run writes (dev)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-"));
        node(["--stack-trace-limit=0", "--require", "./tools/register.js", "tools/plan.ts", "--stack", "dev", "--json", path.join(dir, "cli.json")]);
        expect(await plan(["--stack", "dev", "--json", path.join(dir, "in-process.json")], () => undefined)).to.equal(0);
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;
        expect(read("cli.json")).to.deep.equal(read("in-process.json"));
    });

    it("keeps V8's code cache in one file: one entry per module file, made once, replaced when the source changes", () => {
        const cacheFile = path.join(ROOT, "node_modules", ".cache", `platform-code-${process.version}-${process.arch}.bin`);
        /** The cache file's header: [module file, source hash, bytes]. */
        const entries = (): [string, string, number][] => {
            const data = fs.readFileSync(cacheFile);
            return JSON.parse(data.subarray(4, 4 + data.readUInt32LE(0)).toString("utf8")) as [string, string, number][];
        };
        const mod = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-")), "answer.js");
        const run = () => JSON.parse(node(["--require", "./tools/register.js", mod])) as Record<string, unknown>;
        fs.writeFileSync(mod, "console.log(JSON.stringify({ answer: 6 * 7 }));\n");
        expect(run()).to.deep.equal({ answer: 42 });
        const first = entries().filter(([file]) => file === mod);
        expect(first).to.have.length(1);
        expect(first[0][2]).to.be.greaterThan(0);
        // A second run compiles nothing afresh, so the cache is not written again.
        const written = fs.statSync(cacheFile).mtimeMs;
        expect(run()).to.deep.equal({ answer: 42 });
        expect(fs.statSync(cacheFile).mtimeMs).to.equal(written);
        // A changed source is compiled afresh and replaces its entry.
        fs.writeFileSync(mod, "console.log(JSON.stringify({ answer: 41 + 1, changed: true }));\n");
        expect(run()).to.deep.equal({ answer: 42, changed: true });
        const second = entries().filter(([file]) => file === mod);
        expect(second).to.have.length(1);
        expect(second[0][1]).to.not.equal(first[0][1]);
    });
});
