// The loader of the command-line tools (plan, policy:check, bench); the tests keep tsx. What it does, each
// part below with its reason:
// - esbuild transpiles the repository's .ts files on require. tsx also hooks every .js file of
//   node_modules and turns source maps on, which costs the offline plan about 0.4 s. Transpiled output is
//   cached under node_modules/.cache/platform-ts, keyed by the esbuild version, the file's path and its
//   source, so a repeated run transpiles only what changed (about 0.4 s per run saved).
// - Parts of @pulumi/pulumi that no offline tool uses load on first use (the Automation API, closures).
// - The sub-modules of the @pulumi/aws and @pulumi/kubernetes indexes load on first use.
// - V8's code cache of every module it loads is kept, so that a repeated run compiles nothing it did
//   before (Node 22's module.enableCompileCache() does the same; Node 20 has no such switch).
// None of this changes what a module does: test/tools/register.spec.ts holds the plan written through
// the loader to the one written in-process under tsx.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { Buffer } = require("node:buffer");
// esbuild itself loads only when a file is not in the cache; its version (part of the key) is read from its package.json.
const ESBUILD_VERSION = require("esbuild/package.json").version;

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "platform-ts");
const OPTIONS = { loader: "ts", format: "cjs", target: "node20" };

function transpile(source, filename) {
    const key = crypto
        .createHash("sha256")
        .update(`${ESBUILD_VERSION}\0${JSON.stringify(OPTIONS)}\0${filename}\0${source}`)
        .digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    const { code } = require("esbuild").transformSync(source, { ...OPTIONS, sourcefile: filename });
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

// The indexes of @pulumi/aws and @pulumi/kubernetes load every one of their sub-modules when they load
// (about 240 AWS services, 0.2 s), though a program uses a few dozen. Their generated lines
//     const ec2 = __importStar(require("./ec2"));
//     exports.ec2 = ec2;
// are loaded as getters that load the sub-module on first use, as the packages already do for each
// resource class and function. The exports are the same (names, order, enumerability, the same module
// objects); a sub-module registers its resource modules when it loads, before any of its classes exists.
// An index whose lines do not look like this loads unchanged (test/tools/register.spec.ts checks the pins).
const SUBMODULE_LINE = /^const (\w+) = __importStar\(require\("\.\/(\1)"\)\);\nexports\.\1 = \1;$/gm;

/** The index's source with each sub-module loaded on first use; unchanged when a name is used elsewhere. */
function lazySubmodules(source) {
    // How often each identifier occurs on its own (not as `exports.x`, `"./x"` or part of a longer name).
    const uses = new Map();
    for (const [name] of source.matchAll(/(?<![.\w/"$])[A-Za-z_$][\w$]*/g)) {
        uses.set(name, (uses.get(name) ?? 0) + 1);
    }
    return source.replace(SUBMODULE_LINE, (line, name) => {
        if (uses.get(name) !== 2) {
            return line; // The local name is used elsewhere in the index: keep it eager.
        }
        return (
            `Object.defineProperty(exports, "${name}", { enumerable: true, configurable: true, get() { ` +
            `const m = __importStar(require("./${name}")); ` +
            `Object.defineProperty(exports, "${name}", { enumerable: true, configurable: true, writable: true, value: m }); return m; } });`
        );
    });
}

const LAZY_INDEXES = new Set(
    ["@pulumi/aws", "@pulumi/kubernetes"].flatMap((request) => {
        try {
            return [require.resolve(request, { paths: [path.join(__dirname, "..")] })];
        } catch {
            return []; // Not installed.
        }
    }),
);
const loadJs = require.extensions[".js"];
require.extensions[".js"] = (module, filename) => {
    if (LAZY_INDEXES.has(filename)) {
        module._compile(lazySubmodules(fs.readFileSync(filename, "utf8")), filename);
    } else {
        loadJs(module, filename);
    }
};

// V8's code cache. Each module is compiled as Node 20's loader compiles it (the CommonJS wrapper, run in
// this context, with the same require), but from the cached code when there is one for this file and
// source. A module compiled afresh has its cache made at exit, after the run, so that it holds the
// functions the run compiled too, not only the top level. V8 refuses a cache made by another version or
// with other flags (the module then compiles as usual and its cache is made again). The cache is one
// file, one entry per module file (a changed source replaces its entry): hundreds of small files cost
// more to write than the whole cache does to make.
const CODE_CACHE_FILE = path.join(__dirname, "..", "node_modules", ".cache", `platform-code-${process.version}-${process.arch}.bin`);

/** The cache file's entries: module file -> { hash of its source, V8's cached data }. */
function readCodeCache() {
    const entries = new Map();
    try {
        const data = fs.readFileSync(CODE_CACHE_FILE);
        const headerLength = data.readUInt32LE(0);
        let offset = 4 + headerLength;
        for (const [file, hash, length] of JSON.parse(data.subarray(4, 4 + headerLength).toString("utf8"))) {
            entries.set(file, { hash, data: data.subarray(offset, offset + length) });
            offset += length;
        }
    } catch {
        entries.clear(); // None yet, or unreadable: every module compiles as usual.
    }
    return entries;
}

const codeCache = readCodeCache();
const compiledAfresh = [];

function sourceHash(content) {
    return crypto.createHash("sha256").update(content).digest("hex");
}

/** The `require` Node gives a module (the same function, properties and resolution). */
function requireFor(mod) {
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return require;
}

Module.prototype._compile = function compileWithCodeCache(content, filename) {
    const hash = sourceHash(content);
    const entry = codeCache.get(filename);
    const cachedData = entry !== undefined && entry.hash === hash ? entry.data : undefined;
    const script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected) {
        compiledAfresh.push({ filename, hash, script });
    }
    const compiled = script.runInThisContext({ displayErrors: true });
    return compiled.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
};

process.on("exit", () => {
    if (compiledAfresh.length === 0) {
        return;
    }
    for (const { filename, hash, script } of compiledAfresh) {
        codeCache.set(filename, { hash, data: script.createCachedData() });
    }
    // Entries of files that are gone (a deleted module, a test's temporary one) are dropped.
    const files = [...codeCache].filter(([file]) => fs.existsSync(file));
    const header = Buffer.from(JSON.stringify(files.map(([file, { hash, data }]) => [file, hash, data.length])), "utf8");
    const headerLength = Buffer.alloc(4);
    headerLength.writeUInt32LE(header.length);
    try {
        fs.mkdirSync(path.dirname(CODE_CACHE_FILE), { recursive: true });
        // Written under a unique name, then renamed: a concurrent reader never sees half a file.
        const partial = `${CODE_CACHE_FILE}.${process.pid}.tmp`;
        fs.writeFileSync(partial, Buffer.concat([headerLength, header, ...files.map(([, { data }]) => data)]));
        fs.renameSync(partial, CODE_CACHE_FILE);
    } catch {
        // A read-only checkout still works, uncached.
    }
});

module.exports = { lazySubmodules };
