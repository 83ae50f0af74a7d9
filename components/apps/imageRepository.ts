/**
 * The ECR repository the deploy workflow pushes the reference application's image to
 * (reference-app/, .github/workflows/pulumi-up.yml): tags immutable, every image scanned on push, images
 * encrypted with a key of the stack, and a lifecycle policy that keeps the newest images only. The stack
 * config pins the image it runs by digest (`<repositoryUrl>@sha256:...`), so the tag is a label, never
 * what is deployed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Defaults of {@link ImageRepositoryArgs}. */
export const imageRepositoryDefaults = {
    /**
     * Images kept: the deploy workflow pushes one per change of reference-app/, and a rollback needs the
     * previous pins. An image the stack still pins must stay among these (docs/runbooks/first-deploy.md).
     */
    keepImages: 50,
} as const;

export { referenceAppRepositoryName } from "../../config/keys/apps";

/**
 * The lifecycle policy: expire images beyond the newest `keepImages`, whatever their tags. There is no
 * rule for untagged images: the workflow pushes single-platform images (`--provenance=false`), so none is
 * an index whose untagged children such a rule would delete.
 */
export function lifecyclePolicy(keepImages: number): { rules: Record<string, unknown>[] } {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Keep the newest ${keepImages} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
                action: { type: "expire" },
            },
        ],
    };
}

/** Arguments of {@link ImageRepository}. */
export interface ImageRepositoryArgs {
    /** Repository name, such as `platform-dev-reference-app`. */
    repositoryName: string;
    /** ARN of the stack's KMS key the images are encrypted with (ECR grants itself its use). */
    kmsKeyArn: pulumi.Input<string>;
    /** Images kept. Defaults to {@link imageRepositoryDefaults.keepImages}. */
    keepImages?: number;
    /**
     * Pulumi `protect`, and no `forceDelete`: a protected stack never deletes a repository with images.
     * Unprotected (dev), destroying the stack deletes the repository and its images.
     */
    protect: boolean;
}

/** An immutable, scanned, KMS-encrypted ECR repository with its lifecycle policy. */
export class ImageRepository extends pulumi.ComponentResource {
    /** The repository. */
    public readonly repository: aws.ecr.Repository;
    /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, what images are pushed to and pinned from. */
    public readonly repositoryUrl: pulumi.Output<string>;

    constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:ImageRepository", name, {}, opts);
        this.repository = new aws.ecr.Repository(
            name,
            {
                name: args.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                forceDelete: !args.protect,
                tags: { Name: args.repositoryName },
            },
            { parent: this, protect: args.protect },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            { repository: this.repository.name, policy: JSON.stringify(lifecyclePolicy(args.keepImages ?? imageRepositoryDefaults.keepImages)) },
            { parent: this },
        );
        this.repositoryUrl = this.repository.repositoryUrl;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl });
    }
}
