import { expect } from "chai";
import { itRejects, resolve, type RejectedCase } from "./resolve";

const DEV_ROLE = "arn:aws:iam::123456789012:role/platform-preview-dev";

describe("preview configuration", () => {
    it("the checked-in stacks give their preview role the state bucket and their own secrets key", () => {
        expect(resolve("dev").preview).to.deep.equal({
            roleArns: [DEV_ROLE],
            stateBucket: "platform-pulumi-state-123456789012",
            secretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        });
        expect(resolve("prod").preview.roleArns).to.deep.equal(["arn:aws:iam::123456789012:role/platform-preview-prod"]);
    });

    it("without preview roles neither the bucket nor the key is needed", () => {
        const none = { "platform:preview.roleArns": undefined, "platform:preview.stateBucket": undefined, "platform:preview.secretsKeyArn": undefined };
        expect(resolve("dev", none).preview).to.deep.equal({ roleArns: [], stateBucket: undefined, secretsKeyArn: undefined });
    });

    const cases: RejectedCase[] = [
        [
            "a preview principal that is a user, not a role",
            { "platform:preview.roleArns": ["arn:aws:iam::123456789012:user/ci"] },
            'platform:preview.roleArns: ["arn:aws:iam::123456789012:user/ci"] has the item "arn:aws:iam::123456789012:user/ci", which is not an IAM role ARN; expected "arn:aws:iam::<account>:role/<name>" (the role the pull-request job assumes; the preview policy is attached to roles)',
        ],
        [
            "a bucket URL instead of a bucket name",
            { "platform:preview.stateBucket": "s3://platform-state" },
            'platform:preview.stateBucket: "s3://platform-state" is not an S3 bucket name; expected the bucket of PULUMI_BACKEND_URL without "s3://", for example "platform-pulumi-state"',
        ],
        [
            "the secrets key's alias instead of its ARN",
            { "platform:preview.secretsKeyArn": "alias/pulumi-dev" },
            'platform:preview.secretsKeyArn: "alias/pulumi-dev" is not a KMS key ARN; expected "arn:aws:kms:<region>:<account>:key/<key id>", the key behind the stack\'s secrets provider (aws kms describe-key --key-id alias/pulumi-<stack> --query KeyMetadata.Arn), not its alias',
        ],
        [
            "preview roles without the state bucket and the secrets key",
            { "platform:preview.stateBucket": undefined, "platform:preview.secretsKeyArn": undefined },
            [
                "platform:preview.stateBucket: is not set, but platform:preview.roleArns lists preview roles; expected the bucket of PULUMI_BACKEND_URL (s3://<bucket>), whose state of this stack they read",
                "platform:preview.secretsKeyArn: is not set, but platform:preview.roleArns lists preview roles; expected the ARN of the stack's secrets provider key (aws kms describe-key --key-id alias/pulumi-<stack> --query KeyMetadata.Arn), with which they decrypt the stack's secrets",
            ],
        ],
        [
            "a preview role that is also a viewer",
            { "platform:eks.viewerPrincipalArns": [DEV_ROLE] },
            `platform:preview.roleArns: "${DEV_ROLE}" is also in platform:eks.viewerPrincipalArns; expected each principal in one list (a principal has a single access entry, and a preview role must not hold more than previews need)`,
        ],
        [
            "a preview role that is also an admin",
            { "platform:eks.adminPrincipalArns": ["arn:aws:iam::123456789012:role/platform-deployer", DEV_ROLE] },
            `platform:preview.roleArns: "${DEV_ROLE}" is also in platform:eks.adminPrincipalArns; expected each principal in one list (a principal has a single access entry, and a preview role must not hold more than previews need)`,
        ],
    ];
    itRejects(cases);
});
