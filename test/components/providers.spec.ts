import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../tools/offline/stackConfig";
import { sharedPlan } from "../harness";

describe("providers", () => {
    it("Pulumi.yaml disables the default aws and kubernetes providers", () => {
        const doc = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { value?: unknown }> };
        expect(doc.config["pulumi:disable-default-providers"].value).to.deep.equal(["aws", "kubernetes"]);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: every aws and kubernetes resource names an explicit provider of the stack`, async () => {
            const plan = await sharedPlan(stack);
            const providers = new Set(plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.urn));
            const resources = plan.resources.filter((r) => r.custom && /^(aws|kubernetes):/.test(r.type));
            expect(resources.length).to.be.greaterThan(50);
            for (const r of resources) {
                const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
                expect(providerUrn !== undefined && providers.has(providerUrn), `${r.type} ${r.name} uses ${r.provider}`).to.equal(true);
            }
        });
    }
});
