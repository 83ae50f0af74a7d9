/**
 * Writes the files derived from the code: Pulumi.yaml (from the config key tables), the per-stack
 * policy config files (from each rule's declared levels and thresholds), the README's config and
 * policy tables and the coverage table against the peers (docs/policy-coverage.md). `npm run generate`; a test
 * fails when a checked-in copy is out of date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnforcementLevel } from "@pulumi/policy";
import type { StackClass } from "../policies/lib/rule";
import { policyConfigFor, policyConfigPath } from "./offline/policyRunner";
import { appNamespace } from "../components/apps/application";
import { resolveConfig } from "../config";
import { buildStackConfig, readProjectFile, readStackFile, REPO_ROOT, stackFilePath } from "./offline/stackConfig";
import { projectFileText } from "./projectFile";
import { coverageDocument, coverageSummary, type LevelOf } from "./coverageTable";
import { configTable, policyTable, replaceSection } from "./readmeTables";

/** The generated coverage table of the pack against checkov and trivy. */
export const COVERAGE_DOCUMENT = path.join(REPO_ROOT, "docs", "policy-coverage.md");

/** The stacks that get a policy config file. */
export const POLICY_STACKS: readonly StackClass[] = ["dev", "prod"];

/**
 * The internet-facing Ingress allowlist of a stack: exactly the applications its stack file gives a host
 * (`<namespace>/<name>`), so a public ALB appears only through a reviewed change of the stack file.
 * A secret the stack file holds encrypted (`secure:`) is not needed here and does not stop it.
 */
export function publicIngresses(stack: StackClass, stackFile = stackFilePath(stack)): string[] {
    const config = resolveConfig({ stack, values: buildStackConfig(readProjectFile(), readStackFile(stackFile)).values });
    return config.apps.filter((app) => app.host !== undefined).map((app) => `${appNamespace(app.name)}/${app.name}`);
}

/**
 * The reviewed wildcard domains of a stack: its platform:edge.domain, whose certificate covers
 * `*.<domain>` by design (components/edge/certificate.ts); none without a domain.
 */
export function wildcardDomains(stack: StackClass, stackFile = stackFilePath(stack)): string[] {
    const config = resolveConfig({ stack, values: buildStackConfig(readProjectFile(), readStackFile(stackFile)).values });
    return config.edge.domain === undefined ? [] : [config.edge.domain];
}

/** A rule's settings with some replaced. */
function withSettings(config: ReturnType<typeof policyConfigFor>, rule: string, settings: Record<string, unknown>): ReturnType<typeof policyConfigFor> {
    return { ...config, [rule]: { ...(config[rule] as Record<string, unknown>), ...settings } };
}

/** The settings that come from the stack file rather than the rule: public Ingresses, the wildcard domain. */
function withPublicIngresses(config: ReturnType<typeof policyConfigFor>, stack: StackClass): ReturnType<typeof policyConfigFor> {
    const exposure = withSettings(config, "platform-k8s-service-exposure", { internetFacingIngresses: publicIngresses(stack) });
    return withSettings(exposure, "platform-acm-wildcard-certificate", { allowedWildcardDomains: wildcardDomains(stack) });
}

/** Every generated file: path to expected content. */
export function generatedFiles(): Record<string, string> {
    const files: Record<string, string> = { [path.join(REPO_ROOT, "Pulumi.yaml")]: projectFileText() };
    const configs = Object.fromEntries(POLICY_STACKS.map((stack) => [stack, withPublicIngresses(policyConfigFor(stack), stack)]));
    for (const stack of POLICY_STACKS) {
        files[policyConfigPath(stack)] = JSON.stringify(configs[stack], null, 2) + "\n";
    }
    const levelOf: LevelOf = (stack, rule) => (configs[stack][rule] as { enforcementLevel: EnforcementLevel }).enforcementLevel;
    files[COVERAGE_DOCUMENT] = coverageDocument(levelOf);
    const readme = path.join(REPO_ROOT, "README.md");
    let text = replaceSection(fs.readFileSync(readme, "utf8"), "config-reference", configTable());
    text = replaceSection(text, "policy-table", policyTable());
    files[readme] = replaceSection(text, "policy-coverage", coverageSummary(levelOf));
    return files;
}

if (require.main === module) {
    for (const [file, text] of Object.entries(generatedFiles())) {
        fs.writeFileSync(file, text);
        console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
    }
}
