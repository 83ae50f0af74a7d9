import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { EKS } from "../../lib/types";
import { asNumber, asString, asStrings, at, describe, isAwsManagedKey, isFalse, isSetRef, isTrue, peek, prop, records } from "../../lib/values";

const TYPES = new Set<string>([EKS.cluster, EKS.launchTemplate]);

/** Kubernetes versions in EKS standard support; keep in step with versions.ts (a test checks it). */
export const SUPPORTED_VERSIONS = ["1.35", "1.36"];
/** Every control plane log type (audit itself is checked by platform-eks-cluster-baseline). */
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

interface Settings {
    supportedVersions?: string[];
    requiredLogTypes?: string[];
    maximumHopLimit?: number;
    requireDeletionProtection?: boolean;
    requirePrivateEndpoint?: boolean;
}

const policy: StackValidationPolicy = {
    name: "platform-eks-cluster-hardening",
    description:
        "EKS clusters use only the private API endpoint (prod; dev may keep a public endpoint restricted to listed CIDRs), send every control plane log type, run a Kubernetes version in EKS standard support and (prod) have deletion protection; node launch templates require IMDSv2 with a hop limit of 1 (pods cannot borrow the node role) and encrypt every EBS volume with a customer-managed key.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            supportedVersions: { type: "array", items: { type: "string" }, default: SUPPORTED_VERSIONS, description: "Kubernetes versions a cluster may run." },
            requiredLogTypes: { type: "array", items: { type: "string" }, default: LOG_TYPES, description: "Control plane log types that must be enabled." },
            maximumHopLimit: { type: "integer", minimum: 1, default: 1, description: "Highest IMDS PUT response hop limit of node launch templates." },
            requireDeletionProtection: { type: "boolean", default: true, description: "Require EKS deletion protection." },
            requirePrivateEndpoint: {
                type: "boolean",
                default: true,
                description:
                    "Require the private endpoint only (dev may keep a public endpoint restricted to listed CIDRs, which platform-eks-cluster-baseline enforces).",
            },
        },
    },
    validateStack: checkEachResource([EKS.cluster, EKS.launchTemplate], (args, reportViolation) => {
        if (!TYPES.has(args.type)) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const props = args.props;
        if (args.type === EKS.cluster) {
            if (
                settings.requirePrivateEndpoint === true &&
                (!isFalse(at(props, "vpcConfig", "endpointPublicAccess")) || !isTrue(at(props, "vpcConfig", "endpointPrivateAccess")))
            ) {
                reportViolation(
                    `${describe(args)} does not use the private API endpoint only. Set vpcConfig.endpointPrivateAccess: true and vpcConfig.endpointPublicAccess: false, and reach the API from the VPC (VPN, CI runners in the VPC).`,
                );
            }
            const enabled = asStrings(at(props, "enabledClusterLogTypes"));
            const missing = asStrings(settings.requiredLogTypes ?? LOG_TYPES).filter((t) => t !== "audit" && !enabled.includes(t));
            if (missing.length > 0) {
                reportViolation(`${describe(args)} does not send the ${missing.join(", ")} control plane logs. Add them to enabledClusterLogTypes.`);
            }
            const version = at(props, "version");
            const supported = asStrings(settings.supportedVersions ?? SUPPORTED_VERSIONS);
            if (typeof version === "string" && !supported.includes(version)) {
                reportViolation(
                    `${describe(args)} runs Kubernetes ${version}, which is not in EKS standard support. Upgrade one minor at a time to one of ${supported.join(", ")}.`,
                );
            }
            if (settings.requireDeletionProtection === true && at(props, "deletionProtection") !== true) {
                reportViolation(`${describe(args)} has no deletion protection. Set deletionProtection: true.`);
            }
            return;
        }
        const metadata = at(props, "metadataOptions");
        if (asString(prop(metadata, "httpTokens")) !== "required") {
            reportViolation(`${describe(args)} lets nodes use IMDSv1. Set metadataOptions.httpTokens: "required".`);
        }
        const maxHops = asNumber(settings.maximumHopLimit) ?? 1;
        const hops = asNumber(prop(metadata, "httpPutResponseHopLimit"));
        if (hops === undefined || hops > maxHops) {
            reportViolation(
                `${describe(args)} lets pods reach the instance metadata and the node role's credentials (metadataOptions.httpPutResponseHopLimit is ${hops ?? "unset"}). Set it to ${maxHops}; pods use their own service-account roles.`,
            );
        }
        const mappings = records(at(props, "blockDeviceMappings"));
        if (mappings.length === 0) {
            reportViolation(
                `${describe(args)} has no block device mappings, so the root volume takes the AMI's unencrypted default. Add a blockDeviceMappings entry for the root device with ebs.encrypted: "true" and ebs.kmsKeyId.`,
            );
        }
        mappings.forEach((mapping, i) => {
            const ebs = prop(mapping, "ebs");
            if (ebs === undefined) {
                return;
            }
            const device = asString(peek(mapping, "deviceName")) ?? `#${i + 1}`;
            if (!isTrue(prop(ebs, "encrypted"))) {
                reportViolation(
                    `${describe(args)} leaves the EBS volume ${device} unencrypted. Set blockDeviceMappings[${i}].ebs.encrypted: "true" with a kmsKeyId.`,
                );
            } else {
                const key = peek(ebs, "kmsKeyId");
                if (!isSetRef(key) || isAwsManagedKey(key)) {
                    reportViolation(
                        `${describe(args)} encrypts the EBS volume ${device} with the AWS-managed key. Set blockDeviceMappings[${i}].ebs.kmsKeyId to the stack's cluster key ARN.`,
                    );
                }
            }
        });
    }),
};

/** EKS-01 (prod; dev relies on EKS-02), EKS-04, EKS-05, EKS-07 (prod), EKS-09, EKS-10. */
export const hardenCluster: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "EKS-01",
        "EKS-04",
        "EKS-05",
        "EKS-07",
        "EKS-09",
        "EKS-10",
        "EKS.1",
        "EKS.2",
        "EKS.8",
        "EC2.8",
        "CKV_AWS_39",
        "CKV_AWS_37",
        "CKV_AWS_339",
        "CKV_AWS_79",
        "CKV_AWS_341",
        "AVD-AWS-0040",
        "AVD-AWS-0028",
        "AVD-AWS-0038",
        "AVD-AWS-0130",
    ],
    config: {
        prod: {
            supportedVersions: SUPPORTED_VERSIONS,
            requiredLogTypes: LOG_TYPES,
            maximumHopLimit: 1,
            requireDeletionProtection: true,
            requirePrivateEndpoint: true,
        },
        dev: {
            supportedVersions: SUPPORTED_VERSIONS,
            requiredLogTypes: LOG_TYPES,
            maximumHopLimit: 1,
            requireDeletionProtection: false,
            requirePrivateEndpoint: false,
        },
    },
};
