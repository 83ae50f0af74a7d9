import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asArray, asString, describe } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

/** True when `resource` refers to `vpc` through a property or a dependency. */
function references(resource: PolicyResource, property: string, vpc: PolicyResource): boolean {
    const viaDependency = (resource.propertyDependencies?.[property] ?? []).some((dep) => dep.urn === vpc.urn);
    const id = asString(vpc.props.id);
    return viaDependency || (id !== undefined && resource.props[property] === id);
}

const policy: StackValidationPolicy = {
    name: "platform-network-vpc-flow-logs",
    description: "Every VPC has flow logs and a managed default security group with no rules.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const vpcs = args.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc");
        for (const vpc of vpcs) {
            const flowLogs = args.resources.filter((r) => r.type === "aws:ec2/flowLog:FlowLog" && references(r, "vpcId", vpc));
            if (flowLogs.length === 0) {
                reportViolation(`${describe(vpc)} has no flow logs. Add an aws.ec2.FlowLog with vpcId set to this VPC.`, vpc.urn);
            }
            const defaultGroups = args.resources.filter((r) => r.type === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup" && references(r, "vpcId", vpc));
            if (defaultGroups.length === 0) {
                reportViolation(
                    `${describe(vpc)} leaves its default security group unmanaged (it allows all traffic between its members). Add an aws.ec2.DefaultSecurityGroup for this VPC with no ingress and no egress.`,
                    vpc.urn,
                );
            }
            for (const group of defaultGroups) {
                if (asArray(group.props.ingress).length > 0 || asArray(group.props.egress).length > 0) {
                    reportViolation(`${describe(group)} has rules. Set ingress: [] and egress: [] so the default group blocks all traffic.`, group.urn);
                }
            }
        }
    },
};

/** */
export const requireVpcFlowLogs: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["X-06", "CKV2_AWS_11", "CKV2_AWS_12", "AVD-AWS-0178", "AVD-AWS-0173", "EC2.6", "EC2.2"],
};
