// A minimal TypeScript loader for the command-line tools (plan, policy:check, bench): esbuild transpiles
// the repository's .ts files on require, and nothing else is hooked. tsx also hooks every .js file of
// node_modules and turns source maps on, which costs the offline plan about 0.4 s; the tests keep tsx.
"use strict";
const fs = require("node:fs");
const { transformSync } = require("esbuild");

require.extensions[".ts"] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, "utf8"), { loader: "ts", format: "cjs", target: "node20", sourcefile: filename });
    module._compile(code, filename);
};
