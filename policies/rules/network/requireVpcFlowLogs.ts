import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asArray, describe, knownString } from "../../lib/values";
import type { PlatformRule } from "../../lib/rule";

/** The VPC keys (URNs, else the id) a resource points at through `vpcId`. */
function vpcRefs(resource: PolicyResource): string[] {
    const refs = (resource.propertyDependencies?.vpcId ?? []).map((dep) => dep.urn);
    if (refs.length > 0) {
        // The dependency says which VPC; the id itself may be unknown during preview, so do not read it.
        return refs;
    }
    const id = knownString(resource.props, "vpcId");
    return id === undefined ? [] : [id];
}

/** Groups resources of `type` by the VPCs they reference. */
function byVpc(resources: PolicyResource[], type: string): Map<string, PolicyResource[]> {
    const index = new Map<string, PolicyResource[]>();
    for (const r of resources) {
        if (r.type === type) {
            for (const ref of vpcRefs(r)) {
                index.set(ref, [...(index.get(ref) ?? []), r]);
            }
        }
    }
    return index;
}

const policy: StackValidationPolicy = {
    name: "platform-network-vpc-flow-logs",
    description: "Every VPC has flow logs and a managed default security group with no rules.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const flowLogs = byVpc(args.resources, "aws:ec2/flowLog:FlowLog");
        const defaultGroups = byVpc(args.resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        const of = (index: Map<string, PolicyResource[]>, vpc: PolicyResource) => {
            const id = knownString(vpc.props, "id");
            return new Set([...(index.get(vpc.urn) ?? []), ...(id === undefined ? [] : (index.get(id) ?? []))]);
        };
        for (const vpc of args.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")) {
            if (of(flowLogs, vpc).size === 0) {
                reportViolation(`${describe(vpc)} has no flow logs. Add an aws.ec2.FlowLog with vpcId set to this VPC.`, vpc.urn);
            }
            const groups = of(defaultGroups, vpc);
            if (groups.size === 0) {
                reportViolation(
                    `${describe(vpc)} leaves its default security group unmanaged (it allows all traffic between its members). Add an aws.ec2.DefaultSecurityGroup for this VPC with no ingress and no egress.`,
                    vpc.urn,
                );
            }
            for (const group of groups) {
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
    sources: ["X-06", "EC2.6", "EC2.2", "CKV2_AWS_11", "CKV2_AWS_12", "AVD-AWS-0178", "AVD-AWS-0173"],
};
