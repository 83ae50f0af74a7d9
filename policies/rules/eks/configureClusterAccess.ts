import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes } from "../../lib/graph";
import type { PlatformRule } from "../../lib/rule";
import { EKS } from "../../lib/types";
import { asString, at, describe } from "../../lib/values";

const policy: StackValidationPolicy = {
    name: "platform-eks-cluster-access-mode",
    description:
        'Recommended for EKS clusters: access entries only (accessConfig.authenticationMode "API", no aws-auth ConfigMap) and no implicit cluster-admin for whoever created the cluster (bootstrapClusterCreatorAdminPermissions: false), so every admin is listed and revocable. Advisory only, so it is checked once over the whole stack.',
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypes(args.resources, [EKS.cluster])) {
            const mode = asString(at(r.props, "accessConfig", "authenticationMode"));
            if (mode !== "API") {
                reportViolation(
                    `${describe(r)} authenticates with ${mode ?? "the default CONFIG_MAP mode"}. Set accessConfig.authenticationMode: "API" and grant access through access entries.`,
                    r.urn,
                );
            }
            if (at(r.props, "accessConfig", "bootstrapClusterCreatorAdminPermissions") !== false) {
                reportViolation(
                    `${describe(r)} gives whoever creates it an implicit cluster-admin entry. Set accessConfig.bootstrapClusterCreatorAdminPermissions: false and list administrators as access entries.`,
                    r.urn,
                );
            }
        }
    },
};

/** EKS-06; advisory in every stack. */
export const configureClusterAccess: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["EKS-06", "CIS EKS 4.1.7", "CIS EKS 5.5.1"],
};
