import { expect } from "chai";
import { imageRepositoryDefaults, lifecyclePolicy, referenceAppRepositoryName } from "../../../components/apps/imageRepository";
import { sharedPlan, type Plan } from "../../harness";

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

describe("the reference application's image repository", () => {
    const plans: Record<string, Plan> = {};
    before(async () => {
        plans.dev = await sharedPlan("dev");
        plans.prod = await sharedPlan("prod");
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: immutable tags, scan on push, the stack's cluster key, named after the stack`, () => {
            const plan = plans[stack];
            const [repo] = plan.ofType(REPOSITORY);
            expect(plan.ofType(REPOSITORY)).to.have.length(1);
            expect(repo.inputs).to.deep.include({
                name: `platform-${stack}-reference-app`,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
            });
            const [encryption] = repo.inputs.encryptionConfigurations as { encryptionType: string; kmsKey: string }[];
            expect(encryption.encryptionType).to.equal("KMS");
            expect(encryption.kmsKey).to.equal(plan.get("aws:kms/key:Key", "keys-cluster").outputs.arn);
            expect(plan.dependsOn(repo, plan.get("aws:kms/key:Key", "keys-cluster"))).to.equal(true);
            const parent = plan.byUrn(repo.parent!)!;
            expect(parent.type).to.equal("platform:apps:ImageRepository");
            // The stack's AWS provider, with its default tags (Pulumi.yaml disables the default provider).
            expect(plan.providerOf(repo)?.name).to.equal("aws");
        });

        it(`${stack}: a lifecycle policy on the repository keeps the newest images only`, () => {
            const plan = plans[stack];
            const [policy] = plan.ofType(LIFECYCLE);
            const repo = plan.ofType(REPOSITORY)[0];
            expect(policy.inputs.repository).to.equal(repo.outputs.name);
            expect(JSON.parse(String(policy.inputs.policy))).to.deep.equal(lifecyclePolicy(imageRepositoryDefaults.keepImages));
        });

        it(`${stack}: outputs the repository URL and the image pinned from it (npm run verify's check image)`, () => {
            const plan = plans[stack];
            const url = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${referenceAppRepositoryName(`platform-${stack}`)}`;
            expect(plan.outputs.referenceAppRepositoryUrl).to.equal(url);
            expect(plan.outputs.referenceAppImage).to.match(new RegExp(`^${url.replace(/\./g, "\\.")}@sha256:[a-f0-9]{64}$`));
        });
    }

    it("prod protects the repository and never deletes it with images; dev's goes with the stack", () => {
        const [prod] = plans.prod.ofType(REPOSITORY);
        const [dev] = plans.dev.ofType(REPOSITORY);
        expect([prod.protect, prod.inputs.forceDelete]).to.deep.equal([true, false]);
        expect([dev.protect, dev.inputs.forceDelete]).to.deep.equal([false, true]);
    });

    it("the lifecycle rule expires images beyond the newest N, whatever their tags, and nothing else", () => {
        expect(lifecyclePolicy(7)).to.deep.equal({
            rules: [
                {
                    rulePriority: 1,
                    description: "Keep the newest 7 images",
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 7 },
                    action: { type: "expire" },
                },
            ],
        });
    });
});
