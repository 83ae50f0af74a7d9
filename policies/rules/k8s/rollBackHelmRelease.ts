import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE } from "../../lib/types";
import { describe, prop } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-k8s-helm-release-atomic",
    description:
        "Recommended in prod: Helm releases are atomic, so a failed upgrade rolls back instead of leaving the add-on half-upgraded. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, [HELM_RELEASE])) {
            if (prop(r.props, "atomic") !== true) {
                reportViolation(`${describe(r)} is not atomic: a failed upgrade leaves it half-applied. Set atomic: true (and cleanupOnFail: true).`, r.urn);
            }
        }
    },
};

/** HELM-02 (atomic); advisory in prod, off in dev. */
export const rollBackHelmRelease: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "disabled" },
    sources: ["HELM-02"],
};
