import { expect } from "chai";
import { planStack, type Plan } from "../harness";

describe("tags and the AWS provider", () => {
    let plans: Record<"dev" | "prod", Plan>;
    before(async () => {
        plans = { dev: await planStack("dev"), prod: await planStack("prod") };
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: one explicit AWS provider in aws:region (plus prod's backup-replica region), all tagging with the stack's tags by default`, () => {
            const providers = plans[stack].ofType("pulumi:providers:aws");
            expect(providers.map((p) => [p.name, p.inputs.region])).to.deep.equal(
                stack === "prod"
                    ? [
                          ["aws", "eu-west-1"],
                          ["aws-backup-replica", "eu-central-1"],
                      ]
                    : [["aws", "eu-west-1"]],
            );
            for (const { inputs } of providers) {
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
            }
        });

        it(`${stack}: every AWS resource is created through an explicit provider, so every taggable one carries the tags`, () => {
            const providers = plans[stack].ofType("pulumi:providers:aws");
            const aws = plans[stack].resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            expect(aws.length).to.be.greaterThan(20);
            for (const r of aws) {
                const provider = providers.find((p) => r.provider?.startsWith(`${p.urn}::`));
                expect(provider, `${r.type} ${r.name} uses ${r.provider}`).to.not.equal(undefined);
                // Only the backup replicas' resources live in the second region.
                const inReplicaRegion = r.name.startsWith("data-backups-replica-") || /^data-postgres-backup-replication-(key|replication)/.test(r.name);
                expect(provider?.name === "aws" || inReplicaRegion, `${r.type} ${r.name}`).to.equal(true);
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
