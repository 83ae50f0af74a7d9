import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { EKS } from "../../lib/types";
import { asStrings, at, describe, isFalse, isSetRef, isSetRefList, isTrue, peek, records } from "../../lib/values";

const TYPES = new Set<string>([EKS.cluster, EKS.nodeGroup, EKS.launchTemplate]);

const policy: ResourceValidationPolicy = {
    name: "platform-eks-cluster-baseline",
    description:
        "What no EKS cluster may lack, in any stack: a public API endpoint (if any) restricted to listed CIDRs, Kubernetes Secrets envelope-encrypted with a KMS key, the audit log enabled; nodes without SSH open to the world and without public IP addresses.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!TYPES.has(args.type)) {
            return;
        }
        const props = args.props;
        if (args.type === EKS.cluster) {
            // EKS turns the public endpoint on, open to 0.0.0.0/0, unless told otherwise.
            if (!isFalse(at(props, "vpcConfig", "endpointPublicAccess"))) {
                const cidrs = asStrings(at(props, "vpcConfig", "publicAccessCidrs"));
                const open = cidrs.filter((c) => c === "0.0.0.0/0" || c === "::/0");
                if (cidrs.length === 0) {
                    reportViolation(
                        `${describe(args)} has a public API endpoint open to the whole internet (vpcConfig.publicAccessCidrs is unset, which means 0.0.0.0/0). Set vpcConfig.endpointPublicAccess: false, or list the CIDRs that may reach it in publicAccessCidrs.`,
                    );
                } else if (open.length > 0) {
                    reportViolation(
                        `${describe(args)} opens its public API endpoint to ${open.join(" and ")}. List only the CIDRs that need the API (VPN, CI) in vpcConfig.publicAccessCidrs.`,
                    );
                }
            }
            const encryption = at(props, "encryptionConfig");
            if (!asStrings(at(encryption, "resources")).includes("secrets") || !isSetRef(peek(encryption, "provider", "keyArn"))) {
                reportViolation(
                    `${describe(args)} does not envelope-encrypt Kubernetes Secrets. Set encryptionConfig: { resources: ["secrets"], provider: { keyArn: <the stack's cluster key ARN> } }.`,
                );
            }
            if (!asStrings(at(props, "enabledClusterLogTypes")).includes("audit")) {
                reportViolation(`${describe(args)} does not enable the audit log. Add "audit" to enabledClusterLogTypes.`);
            }
        } else if (args.type === EKS.nodeGroup) {
            const remote = at(props, "remoteAccess");
            if (isSetRef(peek(remote, "ec2SshKey")) && !isSetRefList(peek(remote, "sourceSecurityGroupIds"))) {
                reportViolation(
                    `${describe(args)} accepts SSH from anywhere (remoteAccess.ec2SshKey without sourceSecurityGroupIds). Remove remoteAccess and use SSM Session Manager, or set remoteAccess.sourceSecurityGroupIds.`,
                );
            }
        } else {
            records(at(props, "networkInterfaces")).forEach((nic, i) => {
                if (isTrue(at(nic, "associatePublicIpAddress"))) {
                    reportViolation(
                        `${describe(args)} gives nodes a public IP address (networkInterfaces[${i}].associatePublicIpAddress). Set it to false: nodes live in private subnets.`,
                    );
                }
            });
        }
    },
};

/** EKS-02, EKS-03, EKS-04 (audit), EKS-08, EKS-11. */
export const protectCluster: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: [
        "EKS-02",
        "EKS-03",
        "EKS-04",
        "EKS-08",
        "EKS-11",
        "EKS.3",
        "EC2.25",
        "CKV_AWS_38",
        "CKV_AWS_58",
        "CKV_AWS_100",
        "CKV_AWS_88",
        "AVD-AWS-0041",
        "AVD-AWS-0039",
    ],
    partial: ["CKV_AWS_37", "AVD-AWS-0038"],
};
