import { expect } from "chai";
import { hardenNodeClasses } from "../../../policies/rules/k8s/hardenNodeClasses";
import { Unknown } from "../../../tools/offline/values";
import { messages, REMOVE, resource, withValue } from "../check";
import { ec2NodeClass } from "../fixtures";

const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const d = `${NODE_CLASS} "general"`;
const run = (props: Record<string, unknown>) => messages(hardenNodeClasses, [resource(NODE_CLASS, "general", props)]);

describe("policy platform-karpenter-node-class-hardening (EKS-09, KARP-02)", () => {
    it("passes the platform's node class; absent metadata options are the CRD's hardened defaults; a key unknown in preview is set", async () => {
        expect(await run(ec2NodeClass)).to.deep.equal([]);
        expect(await run(withValue(ec2NodeClass, "spec.metadataOptions", REMOVE))).to.deep.equal([]);
        expect(await run(withValue(ec2NodeClass, "spec.blockDeviceMappings.0.ebs.kmsKeyID", Unknown.instance))).to.deep.equal([]);
    });

    it("fails IMDSv1 and a hop limit that lets pods reach the metadata service", async () => {
        expect(await run(withValue(ec2NodeClass, "spec.metadataOptions.httpTokens", "optional"))).to.deep.equal([
            `${d} allows IMDSv1 (spec.metadataOptions.httpTokens "optional"): set it to "required".`,
        ]);
        expect(await run(withValue(ec2NodeClass, "spec.metadataOptions.httpPutResponseHopLimit", 2))).to.deep.equal([
            `${d} lets pods reach the instance metadata and the node role's credentials (spec.metadataOptions.httpPutResponseHopLimit 2): set it to 1.`,
        ]);
    });

    it("fails default volumes, an unencrypted volume and a volume without a customer-managed key", async () => {
        expect(await run(withValue(ec2NodeClass, "spec.blockDeviceMappings", REMOVE))).to.deep.equal([
            `${d} takes the AMI family's default volumes, which are not encrypted with the stack's key: set spec.blockDeviceMappings with a rootVolume whose ebs has encrypted: true and kmsKeyID.`,
        ]);
        expect(await run(withValue(ec2NodeClass, "spec.blockDeviceMappings.0.ebs.encrypted", false))).to.deep.equal([
            `${d} has an unencrypted volume (spec.blockDeviceMappings[0].ebs.encrypted false): set it to true.`,
        ]);
        expect(await run(withValue(ec2NodeClass, "spec.blockDeviceMappings.0.ebs.kmsKeyID", REMOVE))).to.deep.equal([
            `${d} encrypts a volume without a customer-managed key (spec.blockDeviceMappings[0].ebs.kmsKeyID undefined): set the stack's key ARN.`,
        ]);
        expect(await run(withValue(ec2NodeClass, "spec.blockDeviceMappings.0.ebs.kmsKeyID", "alias/aws/ebs"))).to.deep.equal([
            `${d} encrypts a volume without a customer-managed key (spec.blockDeviceMappings[0].ebs.kmsKeyID "alias/aws/ebs"): set the stack's key ARN.`,
        ]);
    });

    it("fails public IP addresses and an AMI alias that follows @latest", async () => {
        expect(await run(withValue(ec2NodeClass, "spec.associatePublicIPAddress", true))).to.deep.equal([
            `${d} gives its nodes public IP addresses (spec.associatePublicIPAddress true): set it to false and launch in private subnets.`,
        ]);
        expect(await run(withValue(ec2NodeClass, "spec.amiSelectorTerms", [{ alias: "al2023@latest" }]))).to.deep.equal([
            `${d} follows the newest AMI (spec.amiSelectorTerms alias "al2023@latest"), so any release reaches the nodes unreviewed: pin a version such as al2023@v20260714.`,
        ]);
    });

    it("is mandatory in every stack", () => {
        expect(hardenNodeClasses.levels).to.deep.equal({ prod: "mandatory", dev: "mandatory" });
    });
});
