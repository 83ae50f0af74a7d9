import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKind } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { at, describe, isAwsManagedKey, isSetRef, isTrue, peek, records, show } from "../../lib/values";

/**
 * The metadata options Karpenter's EC2NodeClass CRD defaults when they are absent (karpenter.k8s.aws_ec2nodeclasses.yaml
 * at v1.14.1: httpTokens required, httpPutResponseHopLimit 1), so an absent field is the hardened value.
 */
const CRD_DEFAULTS = { httpTokens: "required", httpPutResponseHopLimit: 1 } as const;

/** What is wrong with one EC2NodeClass (message fragments, each naming the field and the fix). */
function nodeClassProblems(props: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const metadata = at(props, "spec", "metadataOptions");
    const tokens = at(metadata, "httpTokens") ?? CRD_DEFAULTS.httpTokens;
    if (tokens !== "required") {
        problems.push(`allows IMDSv1 (spec.metadataOptions.httpTokens ${show(tokens)}): set it to "required"`);
    }
    const hops = at(metadata, "httpPutResponseHopLimit") ?? CRD_DEFAULTS.httpPutResponseHopLimit;
    if (typeof hops !== "number" || hops > 1) {
        problems.push(
            `lets pods reach the instance metadata and the node role's credentials (spec.metadataOptions.httpPutResponseHopLimit ${show(hops)}): set it to 1`,
        );
    }
    const mappings = records(at(props, "spec", "blockDeviceMappings"));
    if (mappings.length === 0) {
        problems.push(
            "takes the AMI family's default volumes, which are not encrypted with the stack's key: set spec.blockDeviceMappings with a rootVolume whose ebs has encrypted: true and kmsKeyID",
        );
    }
    for (const [index, mapping] of mappings.entries()) {
        const at_ = `spec.blockDeviceMappings[${index}].ebs`;
        if (!isTrue(at(mapping, "ebs", "encrypted"))) {
            problems.push(`has an unencrypted volume (${at_}.encrypted ${show(at(mapping, "ebs", "encrypted"))}): set it to true`);
        }
        const key = peek(mapping, "ebs", "kmsKeyID");
        if (!isSetRef(key) || isAwsManagedKey(key)) {
            problems.push(`encrypts a volume without a customer-managed key (${at_}.kmsKeyID ${show(key)}): set the stack's key ARN`);
        }
    }
    if (isTrue(at(props, "spec", "associatePublicIPAddress"))) {
        problems.push("gives its nodes public IP addresses (spec.associatePublicIPAddress true): set it to false and launch in private subnets");
    }
    for (const term of records(at(props, "spec", "amiSelectorTerms"))) {
        const alias = at(term, "alias");
        if (typeof alias === "string" && alias.endsWith("@latest")) {
            problems.push(
                `follows the newest AMI (spec.amiSelectorTerms alias ${show(alias)}), so any release reaches the nodes unreviewed: pin a version such as al2023@v20260714`,
            );
        }
    }
    return problems;
}

const policy: ResourceValidationPolicy = {
    name: "platform-karpenter-node-class-hardening",
    description:
        "Every Karpenter EC2NodeClass launches nodes as hardened as the managed node groups' launch template: IMDSv2 only with a hop limit of 1 (pods cannot take the node role's credentials), every block device encrypted with a customer-managed key (no reliance on the AMI's default volumes), no public IP addresses, and an AMI alias pinned to a release, never @latest.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, K8S.ec2NodeClass)) {
            return;
        }
        for (const problem of nodeClassProblems(args.props)) {
            reportViolation(`${describe(args)} ${problem}.`);
        }
    },
};

/** EKS-09 (IMDSv2, hop limit 1) for the nodes Karpenter launches, plus KARP-02 (volumes encrypted with the stack's key, private nodes, a pinned AMI). */
export const hardenNodeClasses: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["EKS-09", "KARP-02", "CKV_AWS_8", "CKV_AWS_79", "CKV_AWS_88", "AVD-AWS-0028", "AVD-AWS-0131"],
};
