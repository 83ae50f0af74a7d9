import { expect } from "chai";
import { autoScalingServiceRoleArn, keyPolicy } from "../../../components/keys";
import { nodeLabels, nodeLaunchTemplateArgs } from "../../../components/eks/nodeGroups";
import type { NodeGroupConfig } from "../../../config";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { attachedPolicies, inlineStatements, privateSubnetIds, roleByArn } from "./helpers";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function templateOf(plan: Plan, nodeGroup: RecordedResource): RecordedResource {
    const ref = nodeGroup.inputs.launchTemplate as { id: unknown; version: unknown };
    const template = plan.byId(ref.id)!;
    expect(template.type).to.equal(LAUNCH_TEMPLATE);
    expect(ref.version).to.equal(String(template.outputs.latestVersion));
    return template;
}

describe("EKS node groups", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("dev: one spot system group of two small nodes, from the stack config (Karpenter holds the workload capacity)", () => {
        const groups = dev.ofType(NODE_GROUP).map((g) => [g.name, g.inputs.capacityType, g.inputs.instanceTypes, g.inputs.scalingConfig]);
        expect(groups).to.have.deep.members([["eks-nodes-system", "SPOT", ["t3a.medium", "t3.medium"], { minSize: 2, desiredSize: 2, maxSize: 3 }]]);
    });

    it("prod: an on-demand system group with a node per zone at least (Karpenter holds the workload capacity)", () => {
        const groups = prod.ofType(NODE_GROUP).map((g) => [g.name, g.inputs.capacityType, g.inputs.scalingConfig]);
        expect(groups).to.have.deep.members([["eks-nodes-system", "ON_DEMAND", { minSize: 3, desiredSize: 3, maxSize: 4 }]]);
    });

    it("every node group spans the private subnets of every zone, which never map public addresses", () => {
        for (const plan of [dev, prod]) {
            for (const group of plan.ofType(NODE_GROUP)) {
                expect(group.inputs.subnetIds, group.name).to.deep.equal(privateSubnetIds(plan));
                for (const id of group.inputs.subnetIds as unknown[]) {
                    expect(plan.byId(id)?.inputs.mapPublicIpOnLaunch).to.equal(false);
                }
            }
        }
    });

    it("nodes carry the purpose label, the configured labels and taints, and run the cluster's version on AL2023", () => {
        const system = dev.get(NODE_GROUP, "eks-nodes-system");
        expect(system.inputs).to.deep.include({
            clusterName: "platform-dev-eks",
            version: "1.36",
            amiType: "AL2023_x86_64_STANDARD",
            nodeGroupNamePrefix: "system-",
            labels: { "platform/node-purpose": "system" },
            taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
            updateConfig: { maxUnavailable: 1 },
        });
        const workload = { name: "spot", purpose: "workload", labels: { "platform/workload-class": "general" } } as unknown as NodeGroupConfig;
        expect(nodeLabels(workload)).to.deep.equal({ "platform/workload-class": "general", "platform/node-purpose": "workload" });
    });

    it("no node group allows SSH or sets its disk outside the launch template", () => {
        for (const group of [...dev.ofType(NODE_GROUP), ...prod.ofType(NODE_GROUP)]) {
            expect(group.inputs, group.name).to.not.have.any.keys("remoteAccess", "diskSize");
        }
    });

    it("launch templates require IMDSv2 with hop limit 1, encrypt a gp3 root volume with the cluster key, and give no public address or key pair", () => {
        for (const plan of [dev, prod]) {
            const clusterKey = plan.get("aws:kms/key:Key", "keys-cluster").outputs.arn;
            const nodeGroupSecurityGroup = plan.get("aws:ec2/securityGroup:SecurityGroup", "eks-security-groups-node");
            for (const group of plan.ofType(NODE_GROUP)) {
                const template = templateOf(plan, group);
                expect(template.inputs.metadataOptions).to.deep.equal({
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                });
                const devices = template.inputs.blockDeviceMappings as { deviceName: string; ebs: Record<string, unknown> }[];
                expect(devices).to.have.length(1);
                expect(devices[0].deviceName).to.equal("/dev/xvda");
                expect(devices[0].ebs).to.include({ volumeType: "gp3", encrypted: "true", kmsKeyId: clusterKey, deleteOnTermination: "true" });
                expect(template.inputs.networkInterfaces).to.deep.equal([
                    { deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [nodeGroupSecurityGroup.id] },
                ]);
                expect(template.inputs).to.not.have.any.keys("keyName", "vpcSecurityGroupIds", "iamInstanceProfile", "userData");
            }
        }
    });

    it("each group's launch template has the group's disk size", () => {
        const sizes = prod
            .ofType(NODE_GROUP)
            .map((g) => [g.name, (templateOf(prod, g).inputs.blockDeviceMappings as { ebs: { volumeSize: number } }[])[0].ebs.volumeSize]);
        expect(sizes).to.have.deep.members([["eks-nodes-system", 50]]);
        expect(
            (
                nodeLaunchTemplateArgs({ name: "apps", diskSizeGiB: 100 } as NodeGroupConfig, {
                    namePrefix: "p",
                    securityGroupId: "sg",
                    volumeKeyArn: "k",
                    tags: {},
                }).blockDeviceMappings as { ebs: { volumeSize: number } }[]
            )[0].ebs.volumeSize,
        ).to.equal(100);
    });

    it("instances, volumes and interfaces launched from the templates carry the stack's tags", () => {
        const group = { name: "apps", diskSizeGiB: 20 } as NodeGroupConfig;
        const args = nodeLaunchTemplateArgs(group, { namePrefix: "platform-x-eks", securityGroupId: "sg-1", volumeKeyArn: "arn:key", tags: { owner: "team" } });
        const tags = { owner: "team", Name: "platform-x-eks-apps" };
        expect(args.tagSpecifications).to.deep.equal([
            { resourceType: "instance", tags },
            { resourceType: "volume", tags },
            { resourceType: "network-interface", tags },
        ]);
    });

    it("the node role is for EC2 only, with the worker and ECR read-only policies and no CNI permissions", () => {
        for (const plan of [dev, prod]) {
            const roles = new Set(plan.ofType(NODE_GROUP).map((g) => g.inputs.nodeRoleArn));
            expect(roles.size).to.equal(1);
            const role = roleByArn(plan, [...roles][0]);
            expect(policyOf(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            expect(attachedPolicies(plan, role)).to.deep.equal([
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            ]);
            expect(inlineStatements(plan, role)).to.deep.equal([]);
        }
    });

    it("node groups wait for the networking add-ons, the routes out of the VPC and the node role's policies", () => {
        for (const plan of [dev, prod]) {
            const waitFor = [
                ...["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].map((a) => plan.get("aws:eks/addon:Addon", `eks-node-addons-${a}`)),
                ...plan.ofType("aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId !== undefined),
                ...plan.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("eks-nodes-role-")),
            ];
            for (const group of plan.ofType(NODE_GROUP)) {
                for (const other of waitFor) {
                    expect(plan.dependsOn(group, other), `${group.name} after ${other.name}`).to.equal(true);
                }
            }
        }
    });

    it("the cluster key lets the Auto Scaling service-linked role encrypt node volumes, and grant only to AWS resources", () => {
        const ctx = { accountId: "123456789012", region: "eu-west-1", partition: "aws" };
        const role = autoScalingServiceRoleArn(ctx);
        expect(role).to.equal("arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
        const statements = keyPolicy("cluster", ctx).Statement.filter((s) => JSON.stringify(s.Principal).includes("AWSServiceRoleForAutoScaling"));
        expect(statements).to.deep.equal([
            {
                Sid: "AllowAutoScalingToUseTheKeyForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: role },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
            },
            {
                Sid: "AllowAutoScalingToGrantTheKeyToEc2ForNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: role },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
            },
        ]);
        const deployed = policyOf(prod.get("aws:kms/key:Key", "keys-cluster").inputs.policy).Statement;
        expect(deployed.filter((s) => s.Sid?.toString().startsWith("AllowAutoScaling"))).to.have.length(2);
        expect(JSON.stringify(policyOf(prod.get("aws:kms/key:Key", "keys-data").inputs.policy))).to.not.include("AutoScaling");
    });
});
