import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { ECR_REPOSITORY } from "../../lib/types";
import { asString, at, describe, isSetRef, peek, records, UNKNOWN } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-ecr-repository-hardening",
    description:
        "ECR repositories keep tags immutable (a pinned tag always means the same image), scan every image on push, and encrypt images with a customer-managed KMS key (platform-kms-key-customer-managed checks it is a key of the stack).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== ECR_REPOSITORY) {
            return;
        }
        const mutability = asString(args.props.imageTagMutability) ?? "MUTABLE";
        if (!mutability.startsWith("IMMUTABLE")) {
            reportViolation(`${describe(args)} lets a tag be pushed again over another image (${mutability}). Set imageTagMutability: "IMMUTABLE".`);
        }
        if (at(args.props, "imageScanningConfiguration", "scanOnPush") !== true) {
            reportViolation(`${describe(args)} does not scan images on push. Set imageScanningConfiguration.scanOnPush: true.`);
        }
        const encryption = peek(args.props, "encryptionConfigurations");
        if (encryption === UNKNOWN) {
            return;
        }
        const kms = records(encryption).find((c) => asString(peek(c, "encryptionType")) === "KMS" && isSetRef(peek(c, "kmsKey")));
        if (kms === undefined) {
            reportViolation(
                `${describe(args)} encrypts images with AES256 (an AWS-owned key) or the AWS-managed ECR key. Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <a key of the stack> }].`,
            );
        }
    },
};

/** ECR repositories: immutable tags, scan on push, a key of the stack. */
export const hardenRepository: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["ECR-01", "ECR-02", "ECR-03", "ECR.1", "ECR.2", "CKV_AWS_51", "CKV_AWS_163", "CKV_AWS_136", "AVD-AWS-0031", "AVD-AWS-0030", "AVD-AWS-0033"],
};
