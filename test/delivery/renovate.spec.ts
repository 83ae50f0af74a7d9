/**
 * The Renovate configuration: valid against a strict schema of the options it uses (unknown or
 * misspelt options fail), and every custom manager, run the way Renovate runs a regex manager (each
 * match string, globally, over each file its patterns select), finds exactly the pins of versions.ts,
 * the stack files and the workflows. A new pin that no manager reads fails here.
 */
import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import * as versions from "../../versions";

const ROOT = path.resolve(__dirname, "../..");

interface CustomManager {
    customType: "regex";
    description: string;
    managerFilePatterns: string[];
    matchStrings: string[];
    datasourceTemplate: string;
    depNameTemplate?: string;
    versioningTemplate?: string;
    extractVersionTemplate?: string;
}
interface RenovateConfig {
    customManagers: CustomManager[];
    packageRules: Record<string, unknown>[];
    extends: string[];
}
const config = JSON.parse(fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8")) as RenovateConfig;

/** The datasources and option names of Renovate used or allowed here (docs.renovatebot.com). */
const DATASOURCES = ["helm", "docker", "aws-eks-addon", "github-releases", "github-tags", "npm"];
const stringList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 };
const SCHEMA = {
    type: "object",
    additionalProperties: false,
    required: ["$schema", "extends", "customManagers", "packageRules"],
    properties: {
        $schema: { const: "https://docs.renovatebot.com/renovate-schema.json" },
        description: { type: "string" },
        extends: stringList,
        labels: stringList,
        minimumReleaseAge: { type: "string", pattern: "^\\d+ (days?|hours?)$" },
        prConcurrentLimit: { type: "integer", minimum: 0 },
        customManagers: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["customType", "managerFilePatterns", "matchStrings", "datasourceTemplate"],
                properties: {
                    customType: { const: "regex" },
                    description: { type: "string" },
                    managerFilePatterns: { type: "array", items: { type: "string", pattern: "^/.+/$" }, minItems: 1 },
                    matchStrings: stringList,
                    datasourceTemplate: { enum: DATASOURCES },
                    depNameTemplate: { type: "string" },
                    versioningTemplate: { enum: ["aws-eks-addon", "docker", "helm", "semver", "npm"] },
                    extractVersionTemplate: { type: "string" },
                },
            },
        },
        packageRules: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["description"],
                minProperties: 3,
                properties: {
                    description: { type: "string" },
                    matchPackageNames: stringList,
                    matchManagers: stringList,
                    matchDatasources: { type: "array", items: { enum: DATASOURCES }, minItems: 1 },
                    matchUpdateTypes: { type: "array", items: { enum: ["major", "minor", "patch", "pin", "digest"] }, minItems: 1 },
                    groupName: { type: "string" },
                    allowedVersions: { type: "string", pattern: "^<\\d+\\.\\d+\\.\\d+$" },
                    dependencyDashboardApproval: { type: "boolean" },
                },
            },
        },
    },
};

/** One dependency a regex manager extracts, with its templates applied. */
interface Extracted {
    file: string;
    datasource: string;
    depName?: string;
    packageName?: string;
    currentValue: string;
    registryUrl?: string;
}

/** A `/regex/` manager file pattern as a RegExp. */
const filePattern = (p: string): RegExp => new RegExp(p.slice(1, -1));

/** Runs one custom manager over the repository files its patterns select. */
function extract(manager: CustomManager, files: string[]): Extracted[] {
    const out: Extracted[] = [];
    for (const file of files.filter((f) => manager.managerFilePatterns.some((p) => filePattern(p).test(f)))) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        for (const ms of manager.matchStrings) {
            for (const m of text.matchAll(new RegExp(ms, "g"))) {
                const g = m.groups ?? {};
                out.push({
                    file,
                    datasource: manager.datasourceTemplate,
                    depName: manager.depNameTemplate ?? g.depName,
                    packageName: g.packageName,
                    currentValue: g.currentValue,
                    ...(g.registryUrl ? { registryUrl: g.registryUrl } : {}),
                });
            }
        }
    }
    return out;
}

/** The files Renovate would see: the repository tree without node_modules and .git. */
function repositoryFiles(dir = ROOT, prefix = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (e.name === "node_modules" || e.name === ".git") {
            return [];
        }
        const rel = prefix + e.name;
        return e.isDirectory() ? repositoryFiles(path.join(dir, e.name), `${rel}/`) : [rel];
    });
}

/** Every `{ repository, tag }` image and every full image-reference string among the exports of versions.ts. */
function imagePins(value: unknown, found: { depName: string; currentValue: string }[] = []): { depName: string; currentValue: string }[] {
    if (typeof value === "string") {
        const ref = /^([a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?::\d+)?\/[a-z0-9._/-]+):([A-Za-z0-9_][A-Za-z0-9_.-]*)$/.exec(value);
        if (ref) {
            found.push({ depName: ref[1], currentValue: ref[2] });
        }
    } else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (typeof record.repository === "string" && typeof record.tag === "string") {
            found.push({ depName: record.repository, currentValue: record.tag });
        } else {
            Object.values(record).forEach((v) => imagePins(v, found));
        }
    }
    return found;
}

/**
 * The stack's own reference image: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-reference-app@sha256:...`,
 * which the deploy workflow builds and the stack file pins by digest alone; no registry Renovate reads has it.
 */
const OWN_REFERENCE_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9-]+-reference-app@sha256:[a-f0-9]{64}$/;

/** Every `image:` value in the stack files' config, but the stack's own reference image. */
function stackImages(): { file: string; image: string }[] {
    const found: { file: string; image: string }[] = [];
    const walk = (file: string, value: unknown): void => {
        if (Array.isArray(value)) {
            value.forEach((v) => walk(file, v));
        } else if (value && typeof value === "object") {
            for (const [key, v] of Object.entries(value)) {
                if (key === "image" && typeof v === "string") {
                    if (!OWN_REFERENCE_IMAGE.test(v)) {
                        found.push({ file, image: v });
                    }
                } else {
                    walk(file, v);
                }
            }
        }
    };
    for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^/]+\.yaml$/.test(f))) {
        walk(file, parse(fs.readFileSync(path.join(ROOT, file), "utf8")));
    }
    return found;
}

describe("delivery: Renovate configuration", () => {
    const files = repositoryFiles();
    const byManager = new Map(config.customManagers.map((m) => [m.description, extract(m, files)]));
    const all = [...byManager.values()].flat();

    it("is valid against the strict schema of the options it uses", () => {
        const ajv = new Ajv({ allErrors: true, strict: true });
        const validate = ajv.compile(SCHEMA);
        expect(validate(config), JSON.stringify(validate.errors)).to.equal(true);
        expect(config.extends).to.deep.equal(["config:recommended", "helpers:pinGitHubActionDigests"]);
    });

    it("the schema is not vacuous: a misspelt option or an unknown datasource is rejected", () => {
        const validate = new Ajv({ strict: true }).compile(SCHEMA);
        expect(validate({ ...config, packageRule: [] })).to.equal(false);
        const badManager = { ...config.customManagers[0], datasourceTemplate: "helm-chart" };
        expect(validate({ ...config, customManagers: [badManager] })).to.equal(false);
        const fileMatch = { ...config.customManagers[0], fileMatch: ["versions\\.ts$"] };
        expect(validate({ ...config, customManagers: [fileMatch] })).to.equal(false);
    });

    it("every manager finds something (no dead manager); the stack-file manager once the stacks name images", () => {
        for (const [description, deps] of byManager) {
            const stackManager = description.startsWith("Container images of the applications");
            expect(deps.length, description).to.be.greaterThan(stackManager && stackImages().length === 0 ? -1 : 0);
        }
    });

    it("the stack-file image manager reads quoted, unquoted and digest-pinned references", () => {
        const manager = config.customManagers.find((m) => m.description.startsWith("Container images of the applications"))!;
        const digest = `sha256:${"a".repeat(64)}`;
        const sample = [
            "      image: ghcr.io/acme/orders:1.4.2",
            '      image: "public.ecr.aws/nginx/nginx:1.29.1"',
            `      image: registry.example.com:5000/team/api:v2@${digest}`,
        ].join("\n");
        const found = [...sample.matchAll(new RegExp(manager.matchStrings[0], "g"))].map((m) => m.groups);
        expect(found).to.deep.equal([
            { depName: "ghcr.io/acme/orders", currentValue: "1.4.2", currentDigest: undefined },
            { depName: "public.ecr.aws/nginx/nginx", currentValue: "1.29.1", currentDigest: undefined },
            { depName: "registry.example.com:5000/team/api", currentValue: "v2", currentDigest: digest },
        ]);
    });

    it("reads every Helm chart of versions.ts with its repository (an OCI chart as its full reference, docker datasource)", () => {
        const charts = all.filter((d) => d.datasource === "helm" || (d.datasource === "docker" && d.file === "versions.ts" && d.packageName !== undefined));
        const expected = Object.values(versions.CHARTS).map((c: versions.ChartPin) =>
            c.repository.startsWith("oci://")
                ? {
                      file: "versions.ts",
                      datasource: "docker",
                      depName: c.chart,
                      packageName: `${c.repository.slice("oci://".length)}/${c.chart}`,
                      currentValue: c.version,
                  }
                : { file: "versions.ts", datasource: "helm", depName: c.chart, packageName: undefined, currentValue: c.version, registryUrl: c.repository },
        );
        expect(charts).to.have.deep.members(expected);
        expect(charts).to.have.length(expected.length);
        expect(expected.filter((c) => c.datasource === "docker").map((c) => c.packageName)).to.have.members([
            "public.ecr.aws/karpenter/karpenter",
            "public.ecr.aws/karpenter/karpenter-crd",
        ]);
    });

    it("reads every EKS add-on build for every Kubernetes minor, with the filter naming that minor and add-on", () => {
        const addons = all.filter((d) => d.datasource === "aws-eks-addon");
        const expected = Object.entries(versions.EKS_ADDON_VERSIONS).flatMap(([minor, builds]) =>
            Object.entries(builds).map(([addonName, build]) => ({ minor, addonName, build })),
        );
        expect(addons).to.have.length(expected.length);
        for (const { minor, addonName, build } of expected) {
            const match = addons.filter((d) => {
                const filter = JSON.parse(d.packageName!) as Record<string, string>;
                return filter.kubernetesVersion === minor && filter.addonName === addonName;
            });
            expect(match, `${addonName} on ${minor}`).to.have.length(1);
            expect(match[0].currentValue, `${addonName} on ${minor}`).to.equal(build);
        }
    });

    it("reads every container image of versions.ts", () => {
        const images = all
            // OCI charts are read with the docker datasource too, under their chart reference (the test above).
            .filter((d) => d.datasource === "docker" && d.file === "versions.ts" && d.packageName === undefined)
            .map((d) => ({ depName: d.depName, currentValue: d.currentValue }));
        const expected = imagePins(versions);
        expect(images).to.have.deep.members(expected);
        expect(images).to.have.length(expected.length);
    });

    it("reads the Grafana X-Ray plugin from its GitHub tags", () => {
        const plugin = all.filter((d) => d.datasource === "github-tags" && d.file === "versions.ts");
        expect(plugin.map((d) => ({ depName: d.depName, currentValue: d.currentValue }))).to.deep.equal([
            { depName: "grafana/x-ray-datasource", currentValue: versions.GRAFANA_XRAY_PLUGIN.version },
        ]);
    });

    it("reads every application image of the stack files", () => {
        const extracted = all.filter((d) => d.datasource === "docker" && d.file.startsWith("Pulumi."));
        const expected = stackImages();
        for (const { file, image } of expected) {
            expect(
                extracted.some((d) => d.file === file && image.startsWith(`${d.depName}:${d.currentValue}`)),
                `${file}: image ${image} is not read by a manager; write it as <registry>/<path>:<tag>`,
            ).to.equal(true);
        }
        expect(extracted).to.have.length(expected.length);
        // The reference images are the stack's own builds: pinned by digest, not read by Renovate.
        expect(extracted.filter((d) => (d.depName ?? "").includes("reference-app"))).to.deep.equal([]);
    });

    it("reads the Pulumi CLI version of the workflows and the Renovate version of the config check", () => {
        const cli = all.filter((d) => d.depName === "pulumi/pulumi");
        expect(cli.map((d) => d.file).sort()).to.deep.equal([".github/workflows/pull-request.yml", ".github/workflows/pulumi-up.yml"]);
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
        expect(new Set(cli.map((d) => d.currentValue))).to.deep.equal(new Set([lock.packages["node_modules/@pulumi/pulumi"].version]));
        expect(all.filter((d) => d.depName === "renovate").map((d) => d.file)).to.deep.equal([".github/workflows/renovate-config.yml"]);
    });

    it("leaves the evidence-gated Kubernetes, PostgreSQL and Redis versions alone", () => {
        const gated = new Set<string>([...Object.keys(versions.KUBERNETES_VERSIONS), ...versions.POSTGRES_VERSIONS, ...Object.keys(versions.REDIS_VERSIONS)]);
        expect(all.filter((d) => gated.has(d.currentValue))).to.deep.equal([]);
    });

    it("keeps the CLI and the SDK together, under the Node 20 limit the README gives", () => {
        const rule = config.packageRules.find((r) => r.groupName === "Pulumi CLI and SDK")!;
        expect(rule.matchPackageNames).to.deep.equal(["@pulumi/pulumi", "pulumi/pulumi"]);
        expect(rule.allowedVersions).to.equal("<3.249.0");
    });
});
