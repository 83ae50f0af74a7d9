import { expect } from "chai";
import { planStack, type Plan } from "../harness";

describe("tags and the AWS provider", () => {
    let plans: Record<"dev" | "prod", Plan>;
    before(async () => {
        plans = { dev: await planStack("dev"), prod: await planStack("prod") };
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: one explicit AWS provider in aws:region, tagging with the stack's tags by default`, () => {
            const providers = plans[stack].ofType("pulumi:providers:aws");
            expect(providers).to.have.length(1);
            const inputs = providers[0].inputs;
            expect(inputs.region).to.equal("eu-west-1");
            const defaultTags = (typeof inputs.defaultTags === "string" ? JSON.parse(inputs.defaultTags) : inputs.defaultTags) as {
                tags: Record<string, string>;
            };
            expect(defaultTags.tags).to.include({
                environment: stack,
                project: "platform",
                stack,
                "managed-by": "pulumi",
                owner: "platform-team",
                "cost-center": `cc-platform-${stack}`,
            });
        });

        it(`${stack}: every AWS resource is created through that provider, so every taggable one carries the tags`, () => {
            const provider = plans[stack].ofType("pulumi:providers:aws")[0];
            const aws = plans[stack].resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(aws.length).to.be.greaterThan(20);
            for (const r of aws) {
                expect(r.provider?.startsWith(`${provider.urn}::`), `${r.type} ${r.name} uses ${r.provider}`).to.equal(true);
            }
        });

        it(`${stack}: every resource that takes tags gets a Name tag with the stack prefix`, () => {
            const tagged = plans[stack].resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.inputs.tags !== undefined);
            for (const r of tagged) {
                expect((r.inputs.tags as Record<string, string>).Name, `${r.type} ${r.name}`).to.match(new RegExp(`^(platform-${stack}-|/aws/)`));
            }
        });
    }
});
