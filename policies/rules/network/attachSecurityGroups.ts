import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { NET } from "../../lib/types";
import { describe, peek, peekElements, UNKNOWN } from "../../lib/values";

/** Rule resources: their `securityGroupId` names the group they belong to, which does not attach it. */
const RULE_RESOURCES: readonly string[] = [NET.securityGroupRule, NET.ingressRule, NET.egressRule];

/**
 * Inputs that name security groups to attach or admit, by where they appear (top-level input, then
 * the path to the ids inside it), for references by value when no property dependency tells.
 */
const REFERENCE_INPUTS: readonly (readonly string[])[] = [
    ["vpcSecurityGroupIds"],
    ["securityGroupIds"],
    ["securityGroups"],
    ["vpcConfig", "securityGroupIds"],
    ["remoteAccess", "sourceSecurityGroupIds"],
    ["sourceSecurityGroupId"],
    ["referencedSecurityGroupId"],
];

/** The values at a path (a string, or the strings of a list; UNKNOWN when unknown during preview). */
function valuesAt(props: Record<string, unknown>, path: readonly string[]): unknown[] {
    const value = peek(props, ...path);
    return value === UNKNOWN ? [UNKNOWN] : Array.isArray(value) ? peekElements(value) : value === undefined ? [] : [value];
}

const policy: StackValidationPolicy = {
    name: "platform-network-sg-attached",
    description:
        "Recommended: every security group of the stack is attached to something (an instance, launch template, EKS cluster or node group, database, cache, network interface, load balancer, VPC endpoint, Kubernetes object, or the rule of another group that admits it); an unattached group is dead configuration that reviewers still have to read. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const groups = ResourceIndex.of(args.resources, [NET.securityGroup]);
        if (groups.all.length === 0) {
            return;
        }
        const attached = new Set<PolicyResource>();
        // A reference by a value unknown during preview, with no dependency saying which group: then no
        // group can be called unattached.
        let undecided = false;
        for (const r of args.resources) {
            if (r === null || typeof r !== "object" || typeof r.type !== "string") {
                continue;
            }
            const owners = RULE_RESOURCES.includes(r.type) ? new Set(groups.refs(r, "securityGroupId")) : new Set<PolicyResource>();
            if (r.type === NET.securityGroup) {
                owners.add(r);
            }
            const keys = Object.keys(r.propertyDependencies ?? {});
            for (const key of keys) {
                if (key === "securityGroupId" && RULE_RESOURCES.includes(r.type)) {
                    continue;
                }
                for (const dep of dependenciesOf(r, key)) {
                    if (groups.has(dep) && !owners.has(dep)) {
                        attached.add(dep);
                    }
                }
            }
            for (const path of REFERENCE_INPUTS) {
                if (keys.includes(path[0]) && dependenciesOf(r, path[0]).some((d) => groups.has(d))) {
                    continue;
                }
                for (const value of valuesAt(r.props, path)) {
                    if (value === UNKNOWN) {
                        undecided = true;
                    }
                    for (const group of groups.lookup(value)) {
                        if (!owners.has(group)) {
                            attached.add(group);
                        }
                    }
                }
            }
        }
        if (undecided) {
            return;
        }
        for (const group of groups.all) {
            if (!attached.has(group)) {
                reportViolation(
                    `${describe(group)} is attached to nothing: no instance, launch template, EKS cluster, database, cache, network interface, load balancer, VPC endpoint or other group's rule of the stack refers to it. Attach it where it is needed, or delete it.`,
                    group.urn,
                );
            }
        }
    },
};

/** X-06 (the attachment part; advisory in every stack). */
export const attachSecurityGroups: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["X-06", "CKV2_AWS_5"],
};
