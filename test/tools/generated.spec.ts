import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { schema } from "../../config/schema";
import { generatedFiles } from "../../tools/generate";
import { REPO_ROOT } from "../../tools/offline/stackConfig";

describe("generated files", () => {
    for (const [file, expected] of Object.entries(generatedFiles())) {
        it(`${path.relative(REPO_ROOT, file)} is up to date (run npm run generate)`, () => {
            expect(fs.readFileSync(file, "utf8")).to.equal(expected);
        });
    }

    it("Pulumi.yaml declares every config key with a description, a type for scalars and lists, and its default", () => {
        const doc = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
        const projectKeys = Object.keys(doc.config).filter((key) => !key.includes(":"));
        expect(projectKeys.sort()).to.deep.equal(Object.keys(schema).sort());
        for (const [key, field] of Object.entries(schema)) {
            const decl = doc.config[key];
            expect(decl.description, key).to.be.a("string").and.not.equal("");
            expect(decl.type, key).to.equal(field.projectType);
            expect(decl.default, key).to.deep.equal(field.default);
        }
    });

    it("the CLI transpiles without type-checking (runtime tsconfig has noCheck)", () => {
        const doc = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { runtime: { options: { tsconfig: string } } };
        const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, doc.runtime.options.tsconfig), "utf8")) as { compilerOptions: { noCheck: boolean } };
        expect(tsconfig.compilerOptions.noCheck).to.equal(true);
    });
});
