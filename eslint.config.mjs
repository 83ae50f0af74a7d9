// ESLint flat config: the recommended JS and TypeScript rules (syntax-level, fast; `npm run typecheck` does the types).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "policies/node_modules/**", "reference-app/node_modules/**", "reference-app/dist/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            eqeqeq: ["error", "always"],
            "no-restricted-syntax": [
                "error",
                {
                    selector: "LogicalExpression[operator='||'][right.type=/Literal|ArrayExpression|ObjectExpression/]",
                    message: 'Apply defaults with ?? (|| turns 0, false and "" into the default).',
                },
            ],
        },
    },
    {
        // The CommonJS loader of the command-line tools (plain Node.js, loaded with --require).
        files: ["tools/register.js"],
        languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly" } },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // k6 scripts: ES modules run by k6, whose global __ENV holds the -e variables.
        files: ["loadtest/k6/**/*.js"],
        languageOptions: { sourceType: "module", globals: { __ENV: "readonly" } },
    },
);
