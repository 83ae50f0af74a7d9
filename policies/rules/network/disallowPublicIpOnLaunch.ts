import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { describe, tagsOf } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

const policy: StackValidationPolicy = {
    name: "platform-network-subnet-public-ip",
    description: "Subnets do not hand out public IPv4 addresses on launch, except subnets tagged as public.",
    enforcementLevel: "mandatory",
    validateStack: checkEachResource(["aws:ec2/subnet:Subnet"], (args, reportViolation) => {
        if (args.type !== "aws:ec2/subnet:Subnet" || args.props.mapPublicIpOnLaunch !== true) {
            return;
        }
        const tags = tagsOf(args.props);
        if (tags.tier === "public" || tags["kubernetes.io/role/elb"] === "1") {
            return;
        }
        reportViolation(`${describe(args)} gives every instance a public IP but is not a public subnet. Set mapPublicIpOnLaunch: false.`);
    }),
};

/** NET-04. */
export const disallowPublicIpOnLaunch: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["NET-04", "EC2.15", "CKV_AWS_130", "AVD-AWS-0164"],
};
