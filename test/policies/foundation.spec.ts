import { expect } from "chai";
import { enableKeyRotation } from "../../policies/rules/kms/enableKeyRotation";
import { configureLogGroupRetention } from "../../policies/rules/logs/configureLogGroupRetention";
import { encryptLogGroup } from "../../policies/rules/logs/encryptLogGroup";
import { disallowPublicIpOnLaunch } from "../../policies/rules/network/disallowPublicIpOnLaunch";
import { requireVpcFlowLogs } from "../../policies/rules/network/requireVpcFlowLogs";
import { Unknown } from "../../tools/offline/values";
import { messages, resource, violations } from "./check";

const KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234";

describe("policy platform-kms-key-rotation", () => {
    const keyPolicy = JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    });
    const baseline = { enableKeyRotation: true, keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT", policy: keyPolicy };

    it("passes a rotating key", async () => {
        expect(await messages(enableKeyRotation, [resource(KEY, "k", baseline)])).to.deep.equal([]);
    });
    it("fails a key without rotation, and when rotation is omitted", async () => {
        const expected = ['aws:kms/key:Key "k" does not rotate its key material. Set enableKeyRotation: true.'];
        expect(await messages(enableKeyRotation, [resource(KEY, "k", { ...baseline, enableKeyRotation: false })])).to.deep.equal(expected);
        expect(await messages(enableKeyRotation, [resource(KEY, "k", { policy: keyPolicy })])).to.deep.equal(expected);
    });
    it("fails a key that bypasses the lockout safety check", async () => {
        expect(await messages(enableKeyRotation, [resource(KEY, "k", { ...baseline, bypassPolicyLockoutSafetyCheck: true })])).to.deep.equal([
            'aws:kms/key:Key "k" bypasses the policy lockout safety check. Remove bypassPolicyLockoutSafetyCheck or set it to false.',
        ]);
    });
    it("does not apply to asymmetric keys, which cannot rotate", async () => {
        expect(
            await messages(enableKeyRotation, [resource(KEY, "k", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY", policy: keyPolicy })]),
        ).to.deep.equal([]);
    });
    it("gives an advisory note, not a verdict, when rotation is unknown during preview", async () => {
        const found = await violations(enableKeyRotation, [resource(KEY, "k", { ...baseline, enableKeyRotation: Unknown.instance })]);
        expect(found.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(found[0].message).to.match(/^can't run policy platform-kms-key-rotation during preview: k\.enableKeyRotation is unknown/);
    });
});

describe("policy platform-logs-group-retention", () => {
    it("passes a year of retention by default", async () => {
        expect(await messages(configureLogGroupRetention, [resource(LOG_GROUP, "g", { retentionInDays: 365 })])).to.deep.equal([]);
    });
    it("fails retention below the configured minimum, and retention left unset", async () => {
        expect(await messages(configureLogGroupRetention, [resource(LOG_GROUP, "g", { retentionInDays: 30 })])).to.deep.equal([
            'aws:cloudwatch/logGroup:LogGroup "g" keeps its logs 30 days; at least 365 are required. Raise retentionInDays.',
        ]);
        expect(await messages(configureLogGroupRetention, [resource(LOG_GROUP, "g", {})])).to.deep.equal([
            'aws:cloudwatch/logGroup:LogGroup "g" keeps its logs forever (no retentionInDays). Set retentionInDays to at least 365.',
        ]);
    });
    it("reads the minimum from the policy config (dev accepts short retention)", async () => {
        const config = { "platform-logs-group-retention": { enforcementLevel: "advisory" as const, minimumRetentionDays: 1 } };
        expect(await messages(configureLogGroupRetention, [resource(LOG_GROUP, "g", { retentionInDays: 14 })], config)).to.deep.equal([]);
    });
});

describe("policy platform-logs-group-encryption", () => {
    it("passes a group encrypted with a customer-managed key", async () => {
        expect(await messages(encryptLogGroup, [resource(LOG_GROUP, "g", { kmsKeyId: KEY_ARN })])).to.deep.equal([]);
    });
    it("fails a group without a key or with an AWS-managed alias", async () => {
        expect(await messages(encryptLogGroup, [resource(LOG_GROUP, "g", {})])).to.have.length(1);
        expect(await messages(encryptLogGroup, [resource(LOG_GROUP, "g", { kmsKeyId: "alias/aws/logs" })])).to.deep.equal([
            'aws:cloudwatch/logGroup:LogGroup "g" uses the AWS-managed key alias/aws/logs. Use the stack\'s customer-managed logs key.',
        ]);
    });
});

describe("policy platform-network-subnet-public-ip", () => {
    const SUBNET = "aws:ec2/subnet:Subnet";
    it("passes private subnets and public subnets tagged as such", async () => {
        expect(await messages(disallowPublicIpOnLaunch, [resource(SUBNET, "a", { mapPublicIpOnLaunch: false }), resource(SUBNET, "b", {})])).to.deep.equal([]);
        expect(await messages(disallowPublicIpOnLaunch, [resource(SUBNET, "p", { mapPublicIpOnLaunch: true, tags: { tier: "public" } })])).to.deep.equal([]);
    });
    it("fails an untagged subnet that maps public IPs", async () => {
        expect(await messages(disallowPublicIpOnLaunch, [resource(SUBNET, "s", { mapPublicIpOnLaunch: true, tags: null })])).to.deep.equal([
            'aws:ec2/subnet:Subnet "s" gives every instance a public IP but is not a public subnet. Set mapPublicIpOnLaunch: false.',
        ]);
    });
});

describe("policy platform-network-vpc-flow-logs", () => {
    const vpc = resource("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-1", cidrBlock: "10.0.0.0/16" });
    const flowLog = resource("aws:ec2/flowLog:FlowLog", "fl", { vpcId: "vpc-1" });
    const defaultSg = resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "dsg", { vpcId: "vpc-1", ingress: [], egress: [] });

    it("passes a VPC with flow logs and a closed default security group", async () => {
        expect(await messages(requireVpcFlowLogs, [vpc, flowLog, defaultSg])).to.deep.equal([]);
    });
    it("also follows the reference through property dependencies (ids unknown in a real preview)", async () => {
        const byDependency = resource(
            "aws:ec2/flowLog:FlowLog",
            "fl",
            { vpcId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
            { propertyDependencies: { vpcId: [vpc.urn] } },
        );
        const sg = resource(
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
            "dsg",
            { vpcId: "x", ingress: [], egress: [] },
            { propertyDependencies: { vpcId: [vpc.urn] } },
        );
        expect(await messages(requireVpcFlowLogs, [vpc, byDependency, sg])).to.deep.equal([]);
    });
    it("decides from dependencies alone when the VPC's id is unknown during preview", async () => {
        const newVpc = resource("aws:ec2/vpc:Vpc", "vpc", { id: Unknown.instance });
        const deps = { propertyDependencies: { vpcId: [newVpc.urn] } };
        const fl = resource("aws:ec2/flowLog:FlowLog", "fl", { vpcId: Unknown.instance }, deps);
        const sg = resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "dsg", { vpcId: Unknown.instance, ingress: [], egress: [] }, deps);
        expect(await violations(requireVpcFlowLogs, [newVpc, fl, sg])).to.deep.equal([]);
    });
    it("fails a VPC without flow logs", async () => {
        expect(await messages(requireVpcFlowLogs, [vpc, defaultSg])).to.deep.equal([
            'aws:ec2/vpc:Vpc "vpc" has no flow logs. Add an aws.ec2.FlowLog with vpcId set to this VPC.',
        ]);
    });
    it("fails a VPC whose default security group is unmanaged or has rules", async () => {
        expect(await messages(requireVpcFlowLogs, [vpc, flowLog])).to.have.length(1);
        const open = resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "dsg", { vpcId: "vpc-1", ingress: [{ fromPort: 0 }], egress: [] });
        expect(await messages(requireVpcFlowLogs, [vpc, flowLog, open])).to.deep.equal([
            'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup "dsg" has rules. Set ingress: [] and egress: [] so the default group blocks all traffic.',
        ]);
    });
});
