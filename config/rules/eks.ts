/**
 * Cross-key rules of the EKS keys, checked after every key has parsed on its own.
 */
import { show } from "../fields";
import type { ConfigValues } from "../schema";
import type { ProblemList } from "../rules";

/**
 * The program creates Kubernetes resources through the API as whoever runs pulumi: someone must be
 * cluster-admin, and the API must be reachable from somewhere other than the nodes.
 */
export function checkClusterAccess(values: ConfigValues, problems: ProblemList): void {
    if (values["eks.adminPrincipalArns"].length === 0 && !values["eks.bootstrapCreatorAdmin"]) {
        problems.add(
            "eks.adminPrincipalArns",
            "[] leaves the cluster without an administrator (platform:eks.bootstrapCreatorAdmin is false); expected the ARN of the role pulumi runs as, which creates this program's Kubernetes resources, and those of your administrators",
        );
    }
    if (values["eks.publicAccessCidrs"].length === 0 && values["eks.privateAccessCidrs"].length === 0) {
        problems.add(
            "eks.privateAccessCidrs",
            "[] leaves the API unreachable from outside the cluster, as the public endpoint is off (platform:eks.publicAccessCidrs is empty); expected the private networks pulumi and operators connect from (VPN, CI runners)",
        );
    }
}

/** An IAM principal has one access entry, so it may be in only one of the access lists. */
export function checkAccessPrincipals(values: ConfigValues, problems: ProblemList): void {
    const admins = new Set(values["eks.adminPrincipalArns"]);
    for (const arn of values["eks.viewerPrincipalArns"]) {
        if (admins.has(arn)) {
            problems.add(
                "eks.viewerPrincipalArns",
                `${show(arn)} is also in platform:eks.adminPrincipalArns; expected each principal in one list (a principal has a single access entry)`,
            );
        }
    }
}

/** What prod requires of the cluster: deletion protection, and platform add-ons on uninterruptible, redundant nodes. */
export function checkEksProdRequirements(values: ConfigValues, problems: ProblemList): void {
    if (values.environment !== "prod") {
        return;
    }
    if (!values["eks.deletionProtection"]) {
        problems.add("eks.deletionProtection", "false is not allowed in prod; expected true (the cluster must not be deletable by accident)");
    }
    for (const group of values["eks.nodeGroups"].filter((g) => g.purpose === "system")) {
        if (group.capacityType !== "ON_DEMAND") {
            problems.add(
                "eks.nodeGroups",
                `the system group ${show(group.name)} has capacityType ${show(group.capacityType)}, which is not allowed in prod; expected "ON_DEMAND" (a spot reclaim would take the platform add-ons down)`,
            );
        }
        if (group.minSize < 2) {
            problems.add(
                "eks.nodeGroups",
                `the system group ${show(group.name)} has minSize ${group.minSize}, which is too small for prod; expected at least 2 (the platform add-ons run two replicas on different nodes)`,
            );
        }
    }
}
