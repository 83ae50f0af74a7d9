import { expect } from "chai";
import { stackConfig } from "../harness";
import { itRejects, problems, resolve } from "./resolve";

describe("partition of the config's ARNs", () => {
    it("the checked-in stacks are in the aws partition with aws ARNs only", () => {
        expect(resolve("dev").partition).to.equal("aws");
        expect(resolve("prod").partition).to.equal("aws");
    });

    it("a stack moved to China with its ARNs in aws-cn passes", () => {
        const moved = {
            "aws:region": "cn-north-1",
            "platform:network.availabilityZones": ["cn-north-1a", "cn-north-1b"],
            "platform:eks.adminPrincipalArns": ["arn:aws-cn:iam::123456789012:role/platform-deployer"],
            "platform:eks.viewerPrincipalArns": [],
            "platform:preview.roleArns": ["arn:aws-cn:iam::123456789012:role/platform-preview-dev"],
            "platform:preview.secretsKeyArn": "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            // The reference image from the stack's repository in the moved region (ECR's China domain).
            "platform:apps": (stackConfig("dev")["platform:apps"] as { image: string }[]).map((a) => ({
                ...a,
                image: a.image.replace(".dkr.ecr.eu-west-1.amazonaws.com/", ".dkr.ecr.cn-north-1.amazonaws.com.cn/"),
            })),
        };
        expect(resolve("dev", moved).partition).to.equal("aws-cn");
        expect(problems("dev", { ...moved, "platform:apps": stackConfig("dev")["platform:apps"] })[0]).to.include(
            "expected <account>.dkr.ecr.cn-north-1.amazonaws.com.cn/platform-dev-reference-app@sha256:<digest>",
        );
        expect(problems("dev", { ...moved, "platform:preview.roleArns": ["arn:aws:iam::123456789012:role/platform-preview-dev"] })).to.have.length(1);
    });

    itRejects([
        [
            "a principal ARN of another partition than aws:region's",
            { "platform:eks.adminPrincipalArns": ["arn:aws-us-gov:iam::123456789012:role/platform-deployer"] },
            'platform:eks.adminPrincipalArns: "arn:aws-us-gov:iam::123456789012:role/platform-deployer" is in the "aws-us-gov" partition, but aws:region "eu-west-1" is in aws; expected an ARN that starts with arn:aws:',
        ],
    ]);
});
