import { expect } from "chai";
import { hardenCluster, SUPPORTED_VERSIONS } from "../../../policies/rules/eks/hardenCluster";
import { Unknown } from "../../../tools/offline/values";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../../versions";
import { expectCannotDecide, messages, REMOVE, resource, stackConfig, withValue } from "../check";
import { eksCluster, launchTemplate } from "../fixtures";

const CLUSTER = "aws:eks/cluster:Cluster";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const run = (type: string, props: unknown, stack: "dev" | "prod" = "prod") =>
    messages(hardenCluster, [resource(type, "r", props as Record<string, unknown>)], stackConfig(hardenCluster, stack));

describe("policy platform-eks-cluster-hardening (EKS-01, EKS-04, EKS-05, EKS-07, EKS-09, EKS-10)", () => {
    it("passes the compliant cluster and launch template", async () => {
        expect(await run(CLUSTER, eksCluster)).to.deep.equal([]);
        expect(await run(TEMPLATE, launchTemplate)).to.deep.equal([]);
    });
    it("accepts the Kubernetes versions the program accepts (versions.ts)", () => {
        expect(SUPPORTED_VERSIONS).to.deep.equal([...SUPPORTED_KUBERNETES_VERSIONS]);
    });
    it("fails a public endpoint in prod, and accepts one in dev (where the baseline restricts its CIDRs)", async () => {
        const publicEndpoint = withValue(withValue(eksCluster, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", ["203.0.113.0/24"]);
        const message =
            'aws:eks/cluster:Cluster "r" does not use the private API endpoint only. Set vpcConfig.endpointPrivateAccess: true and vpcConfig.endpointPublicAccess: false, and reach the API from the VPC (VPN, CI runners in the VPC).';
        expect(await run(CLUSTER, publicEndpoint)).to.deep.equal([message]);
        expect(await run(CLUSTER, withValue(eksCluster, "vpcConfig.endpointPrivateAccess", REMOVE))).to.deep.equal([message]);
        expect(await run(CLUSTER, publicEndpoint, "dev")).to.deep.equal([]);
    });
    it("fails missing control plane log types (audit is the baseline's)", async () => {
        expect(await run(CLUSTER, withValue(eksCluster, "enabledClusterLogTypes", ["audit"]))).to.deep.equal([
            'aws:eks/cluster:Cluster "r" does not send the api, authenticator, controllerManager, scheduler control plane logs. Add them to enabledClusterLogTypes.',
        ]);
    });
    it("fails a version outside standard support, and accepts an unset one (EKS picks its default)", async () => {
        expect(await run(CLUSTER, { ...eksCluster, version: "1.31" })).to.deep.equal([
            `aws:eks/cluster:Cluster "r" runs Kubernetes 1.31, which is not in EKS standard support. Upgrade one minor at a time to one of ${SUPPORTED_VERSIONS.join(", ")}.`,
        ]);
        expect(await run(CLUSTER, withValue(eksCluster, "version", REMOVE))).to.deep.equal([]);
    });
    it("fails a cluster without deletion protection in prod only", async () => {
        expect(await run(CLUSTER, withValue(eksCluster, "deletionProtection", REMOVE))).to.deep.equal([
            'aws:eks/cluster:Cluster "r" has no deletion protection. Set deletionProtection: true.',
        ]);
        expect(await run(CLUSTER, withValue(eksCluster, "deletionProtection", false), "dev")).to.deep.equal([]);
    });
    it("fails IMDSv1 and a hop limit above 1 (or unset)", async () => {
        expect(await run(TEMPLATE, withValue(launchTemplate, "metadataOptions.httpTokens", "optional"))).to.deep.equal([
            'aws:ec2/launchTemplate:LaunchTemplate "r" lets nodes use IMDSv1. Set metadataOptions.httpTokens: "required".',
        ]);
        expect(await run(TEMPLATE, withValue(launchTemplate, "metadataOptions.httpPutResponseHopLimit", 2))).to.deep.equal([
            'aws:ec2/launchTemplate:LaunchTemplate "r" lets pods reach the instance metadata and the node role\'s credentials (metadataOptions.httpPutResponseHopLimit is 2). Set it to 1; pods use their own service-account roles.',
        ]);
        expect(await run(TEMPLATE, withValue(launchTemplate, "metadataOptions", REMOVE))).to.have.length(2);
    });
    it("fails unencrypted volumes, volumes on the AWS-managed key, and a template without block devices", async () => {
        expect(await run(TEMPLATE, withValue(launchTemplate, "blockDeviceMappings.0.ebs.encrypted", "false"))).to.deep.equal([
            'aws:ec2/launchTemplate:LaunchTemplate "r" leaves the EBS volume /dev/xvda unencrypted. Set blockDeviceMappings[0].ebs.encrypted: "true" with a kmsKeyId.',
        ]);
        expect(await run(TEMPLATE, withValue(launchTemplate, "blockDeviceMappings.0.ebs.kmsKeyId", REMOVE))).to.deep.equal([
            'aws:ec2/launchTemplate:LaunchTemplate "r" encrypts the EBS volume /dev/xvda with the AWS-managed key. Set blockDeviceMappings[0].ebs.kmsKeyId to the stack\'s cluster key ARN.',
        ]);
        expect(await run(TEMPLATE, withValue(launchTemplate, "blockDeviceMappings", REMOVE))).to.deep.equal([
            'aws:ec2/launchTemplate:LaunchTemplate "r" has no block device mappings, so the root volume takes the AMI\'s unencrypted default. Add a blockDeviceMappings entry for the root device with ebs.encrypted: "true" and ebs.kmsKeyId.',
        ]);
    });
    it("accepts the boolean spelling of encrypted and a key ARN unknown during preview; ignores instance-store mappings", async () => {
        expect(await run(TEMPLATE, withValue(launchTemplate, "blockDeviceMappings.0.ebs", { encrypted: true, kmsKeyId: Unknown.instance }))).to.deep.equal([]);
        expect(
            await run(TEMPLATE, {
                ...launchTemplate,
                blockDeviceMappings: [...launchTemplate.blockDeviceMappings, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }],
            }),
        ).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the token setting is unknown", async () => {
        await expectCannotDecide(
            hardenCluster,
            [resource(TEMPLATE, "r", withValue(launchTemplate, "metadataOptions.httpTokens", Unknown.instance))],
            stackConfig(hardenCluster, "prod"),
        );
    });
});
