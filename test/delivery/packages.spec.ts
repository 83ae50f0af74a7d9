/**
 * The policy pack's package.json: `pulumi policy publish` packs `policies/` alone, so the pack must
 * declare every package it loads, with the ranges the root installs (the pack resolves them from
 * ../node_modules in this repository, so a different range would publish a pack nobody tested).
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const POLICIES = path.join(ROOT, "policies");

type PackageJson = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; workspaces?: unknown };
const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;

/** Every TypeScript file of the pack. */
function packSources(dir = POLICIES): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? (e.name === "node_modules" ? [] : packSources(path.join(dir, e.name))) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
        );
}

/** The packages a source imports (bare specifiers, `node:` built-ins left out), by package name. */
function importedPackages(source: string): string[] {
    const specifiers = [...source.matchAll(/\bfrom "([^"]+)"|\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]);
    return specifiers
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:"))
        .map((s) =>
            s
                .split("/")
                .slice(0, s.startsWith("@") ? 2 : 1)
                .join("/"),
        );
}

describe("delivery: the policy pack's package.json", () => {
    const pack = readJson(path.join(POLICIES, "package.json"));
    const root = readJson(path.join(ROOT, "package.json"));

    it("declares @pulumi/policy and @pulumi/pulumi with the root's ranges", () => {
        expect(pack.dependencies).to.deep.equal({
            "@pulumi/policy": root.dependencies!["@pulumi/policy"],
            "@pulumi/pulumi": root.dependencies!["@pulumi/pulumi"],
        });
    });

    it("declares every package the pack's sources import", () => {
        const imported = new Set(packSources().flatMap((file) => importedPackages(fs.readFileSync(file, "utf8"))));
        expect([...imported]).to.include("@pulumi/policy");
        for (const name of imported) {
            expect(Object.keys(pack.dependencies ?? {}), name).to.include(name);
        }
    });

    it("reaches nothing outside policies/: no relative import leaves it and its tsconfig extends nothing", () => {
        for (const file of packSources()) {
            const relative = [...fs.readFileSync(file, "utf8").matchAll(/\bfrom "(\.[^"]*)"/g)].map((m) => m[1]);
            for (const specifier of relative) {
                const target = path.resolve(path.dirname(file), specifier);
                expect(path.relative(POLICIES, target).startsWith(".."), `${path.relative(ROOT, file)} imports ${specifier}`).to.equal(false);
            }
        }
        const tsconfig = JSON.parse(fs.readFileSync(path.join(POLICIES, "tsconfig.json"), "utf8")) as { extends?: string };
        expect(tsconfig.extends, "a published pack has no ../tsconfig.json").to.equal(undefined);
    });

    it("is not a workspace of the root, so the root's npm ci and lock file do not change", () => {
        expect(root.workspaces).to.equal(undefined);
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
        expect(Object.keys(lock.packages).filter((p) => p.startsWith("policies"))).to.deep.equal([]);
    });
});
