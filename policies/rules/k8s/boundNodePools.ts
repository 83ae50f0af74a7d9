import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKind } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { at, describe, show } from "../../lib/values";

/** Resources whose limit bounds what a pool may launch: without both, one pending burst buys without bound. */
const BOUNDED_RESOURCES = ["cpu", "memory"] as const;

/** True for a limit that is set: a non-empty quantity string or a number (0 is a bound too: the pool launches nothing). */
function isLimit(value: unknown): boolean {
    return (typeof value === "string" && value.trim() !== "") || (typeof value === "number" && Number.isFinite(value) && value >= 0);
}

const policy: ResourceValidationPolicy = {
    name: "platform-karpenter-node-pool-bounds",
    description:
        "Every Karpenter NodePool bounds what it may launch and rolls its nodes: spec.limits sets both cpu and memory (the bound on spend: without one, a burst of pending pods, a bad HPA or a crash-looping Job buys instances without end), and spec.template.spec.expireAfter is not Never, so nodes are replaced within a known time and pick up new AMIs and their security fixes.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, K8S.nodePool)) {
            return;
        }
        const limits = at(args.props, "spec", "limits");
        const unbounded = BOUNDED_RESOURCES.filter((resource) => !isLimit(at(limits, resource)));
        if (unbounded.length > 0) {
            reportViolation(
                `${describe(args)} sets no limit on ${unbounded.join(" and ")}, so Karpenter may launch nodes without bound. Set ${unbounded.map((r) => `spec.limits.${r}`).join(" and ")} (platform:karpenter.nodePools cpuLimit and memoryLimitGiB).`,
            );
        }
        const expireAfter = at(args.props, "spec", "template", "spec", "expireAfter");
        if (expireAfter === "Never") {
            reportViolation(
                `${describe(args)} sets spec.template.spec.expireAfter ${show(expireAfter)}, so its nodes never roll to new AMIs. Set a duration such as "720h" (platform:karpenter.nodePools expireAfter).`,
            );
        }
    },
};

/** KARP-01 (Karpenter: bounded capacity and node lifetime); the platform's analogue of a node group's maximum size. */
export const boundNodePools: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["KARP-01"],
};
