// A minimal TypeScript loader for the command-line tools (plan, policy:check, bench): esbuild transpiles
// the repository's .ts files on require, and nothing else is hooked. tsx also hooks every .js file of
// node_modules and turns source maps on, which costs the offline plan about 0.4 s; the tests keep tsx.
// Transpiled output is cached under node_modules/.cache/platform-ts, keyed by the esbuild version, the
// file's path and its source, so a repeated run transpiles only what changed (about 0.4 s per run saved).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "platform-ts");
const OPTIONS = { loader: "ts", format: "cjs", target: "node20" };

function transpile(source, filename) {
    const key = crypto
        .createHash("sha256")
        .update(`${esbuild.version}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
        .digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        // Written under a unique name, then renamed: a concurrent reader never sees half a file.
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, cached);
    } catch {
        // A read-only checkout still works, uncached.
    }
    return code;
}

require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};

// Parts of @pulumi/pulumi that its index loads eagerly and that no offline tool uses: the Automation API
// and closure serialization, which bring npm's arborist and pacote and the TypeScript compiler (about 0.6 s
// together; the program serializes no function and drives no stack). Each is replaced in the module cache
// by a stand-in that loads the real module on first use: its exported functions (`functions`, which the SDK
// copies out of it when it loads) call through to the real ones, any other property loads it. Nothing
// changes for code that does use them, only when the cost is paid.
const Module = require("node:module");

function deferModule(request, functions) {
    let filename;
    try {
        filename = require.resolve(request, { paths: [path.join(__dirname, "..")] });
    } catch {
        return; // Not installed: nothing to defer.
    }
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[filename];
            real = require(filename);
        }
        return real;
    };
    const wrappers = Object.fromEntries(functions.map((name) => [name, (...args) => load()[name](...args)]));
    const exports = new Proxy(wrappers, {
        get: (target, key) => (key === "__esModule" ? true : key in target ? target[key] : Reflect.get(load(), key)),
        has: (target, key) => key === "__esModule" || key in target || Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (target, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(key in target ? target : load(), key);
            return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
        },
    });
    const standIn = new Module(filename, module);
    standIn.filename = filename;
    standIn.loaded = true;
    standIn.exports = exports;
    require.cache[filename] = standIn;
}

deferModule("@pulumi/pulumi/automation", []);
deferModule("@pulumi/pulumi/runtime/closure/serializeClosure", ["serializeFunction", "serializeFunctionAsync"]);
deferModule("@pulumi/pulumi/runtime/closure/codePaths", ["computeCodePaths", "findWorkspaceRoot"]);
