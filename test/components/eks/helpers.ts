/**
 * Lookups the EKS specs share: the cluster, the private subnets, a role's policies, the chart data in
 * ../shared.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { policyOf, type Plan, type RecordedResource } from "../../harness";

/** The upstream reference data beside the repository (absent on a user's machine). */
export const SHARED_DIR = path.resolve(__dirname, "..", "..", "..", "..", "shared");

/** A file in ../shared, or undefined when ../shared is absent. */
export function sharedFile(relative: string): string | undefined {
    const file = path.join(SHARED_DIR, relative);
    return fs.existsSync(file) ? file : undefined;
}

/** The control plane. */
export function clusterOf(plan: Plan): RecordedResource {
    return plan.get("aws:eks/cluster:Cluster", "eks-cluster-control-plane");
}

/** Ids of the private subnets, in zone order. */
export function privateSubnetIds(plan: Plan): unknown[] {
    return plan
        .ofType("aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs.tags as Record<string, string>).tier === "private")
        .map((s) => s.id);
}

/** Managed policy ARNs attached to a role, sorted. */
export function attachedPolicies(plan: Plan, role: RecordedResource): string[] {
    return plan
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === role.outputs.name)
        .map((a) => String(a.inputs.policyArn))
        .sort();
}

/** The statements of a role's inline policies. */
export function inlineStatements(plan: Plan, role: RecordedResource): Record<string, unknown>[] {
    return plan
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === role.id)
        .flatMap((p) => policyOf(p.inputs.policy).Statement);
}

/** The role whose ARN an input holds. */
export function roleByArn(plan: Plan, arn: unknown): RecordedResource {
    const role = plan.byArn(arn);
    if (role?.type !== "aws:iam/role:Role") {
        throw new Error(`no role with ARN ${String(arn)}`);
    }
    return role;
}
