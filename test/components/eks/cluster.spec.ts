import { expect } from "chai";
import { accessPolicyArn, controlPlaneLogGroupName, principalSlug } from "../../../components/eks/cluster";
import { policyOf, sharedPlan, type Plan } from "../../harness";
import { attachedPolicies, clusterOf, privateSubnetIds } from "./helpers";

const KEY = "aws:kms/key:Key";

describe("EKS cluster", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is named after the stack and runs the configured Kubernetes version", () => {
        expect(clusterOf(dev).inputs).to.include({ name: "platform-dev-eks", version: "1.36" });
        expect(clusterOf(prod).inputs).to.include({ name: "platform-prod-eks", version: "1.36" });
    });

    it("authenticates through access entries only and does not make its creator an admin", () => {
        for (const plan of [dev, prod]) {
            expect(clusterOf(plan).inputs.accessConfig).to.deep.equal({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        }
    });

    it("dev: private endpoint, plus a public one open to the configured CIDRs only", () => {
        expect(clusterOf(dev).inputs.vpcConfig).to.deep.include({
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
        });
    });

    it("prod: private endpoint only", () => {
        const vpcConfig = clusterOf(prod).inputs.vpcConfig as Record<string, unknown>;
        expect(vpcConfig).to.include({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect(vpcConfig).to.not.have.property("publicAccessCidrs");
    });

    it("puts the control plane's interfaces in the private subnets of every zone, in the control-plane security group", () => {
        for (const plan of [dev, prod]) {
            const vpcConfig = clusterOf(plan).inputs.vpcConfig as { subnetIds: unknown[]; securityGroupIds: unknown[] };
            expect(vpcConfig.subnetIds).to.deep.equal(privateSubnetIds(plan));
            expect(vpcConfig.securityGroupIds.map((id) => plan.byId(id)?.name)).to.deep.equal(["eks-security-groups-cluster"]);
        }
    });

    it("encrypts Kubernetes secrets with the stack's cluster key", () => {
        for (const plan of [dev, prod]) {
            const key = plan.get(KEY, "keys-cluster");
            expect(clusterOf(plan).inputs.encryptionConfig).to.deep.equal({ provider: { keyArn: key.outputs.arn }, resources: ["secrets"] });
        }
    });

    it("sends all five control-plane log types to a log group it creates first, with retention and the logs key", () => {
        for (const [plan, retention] of [
            [dev, 14],
            [prod, 400],
        ] as const) {
            const cluster = clusterOf(plan);
            expect(cluster.inputs.enabledClusterLogTypes).to.have.members(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            const logGroup = plan.get("aws:cloudwatch/logGroup:LogGroup", "eks-cluster-log-group");
            expect(logGroup.inputs).to.deep.include({
                name: controlPlaneLogGroupName(String(cluster.inputs.name)),
                retentionInDays: retention,
                kmsKeyId: plan.get(KEY, "keys-logs").outputs.arn,
            });
            expect(logGroup.inputs.name).to.equal(`/aws/eks/${String(cluster.inputs.name)}/cluster`);
            expect(plan.dependsOn(cluster, logGroup), "cluster waits for its log group").to.equal(true);
        }
    });

    it("has deletion protection in prod only, and upgrades on the standard support policy", () => {
        expect(clusterOf(prod).inputs).to.deep.include({ deletionProtection: true, upgradePolicy: { supportType: "STANDARD" } });
        expect(clusterOf(dev).inputs).to.deep.include({ deletionProtection: false, upgradePolicy: { supportType: "STANDARD" } });
    });

    it("lets EKS install no self-managed add-ons (the program installs them as managed add-ons)", () => {
        expect(clusterOf(dev).inputs.bootstrapSelfManagedAddons).to.equal(false);
    });

    it("has a role that only EKS assumes, with the EKS cluster policy and nothing else, kept until the cluster is gone", () => {
        const cluster = clusterOf(prod);
        const role = prod.byArn(cluster.inputs.roleArn)!;
        expect(policyOf(role.inputs.assumeRolePolicy).Statement).to.deep.equal([
            { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        expect(attachedPolicies(prod, role)).to.deep.equal(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
        expect(prod.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role.id)).to.deep.equal([]);
        expect(prod.dependsOn(cluster, prod.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-cluster-role-policy"))).to.equal(true);
    });

    it("gives admins cluster-admin and viewers the view policy, cluster-wide, through access entries", () => {
        const grants = dev
            .ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
            .map((a) => [a.inputs.principalArn, a.inputs.policyArn, a.inputs.accessScope]);
        const scope = { type: "cluster" };
        expect(grants).to.deep.equal([
            ["arn:aws:iam::123456789012:role/platform-deployer", accessPolicyArn("aws", "admin"), scope],
            ["arn:aws:iam::123456789012:role/platform-admins", accessPolicyArn("aws", "admin"), scope],
            ["arn:aws:iam::123456789012:role/developers", accessPolicyArn("aws", "viewer"), scope],
        ]);
        expect(accessPolicyArn("aws", "admin")).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        expect(accessPolicyArn("aws", "viewer")).to.equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
        // Karpenter's node role has the other kind of entry (EC2_LINUX, test/components/karpenter).
        for (const entry of dev.ofType("aws:eks/accessEntry:AccessEntry").filter((e) => !e.name.startsWith("karpenter-"))) {
            expect(entry.inputs).to.include({ clusterName: "platform-dev-eks", type: "STANDARD" });
        }
    });

    it("names access entries after the principal, so reordering the lists replaces nothing", () => {
        expect(principalSlug("arn:aws:iam::123456789012:role/platform-admins")).to.equal("role-platform-admins");
        expect(principalSlug("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123")).to.equal(
            "role-AWSReservedSSO-Admin-0123",
        );
        expect(principalSlug("arn:aws-us-gov:iam::123456789012:user/alice")).to.equal("user-alice");
    });

    it("has an IAM OIDC provider for its issuer, for the STS audience", () => {
        const cluster = clusterOf(dev);
        const issuer = (cluster.outputs.identities as { oidcs: { issuer: string }[] }[])[0].oidcs[0].issuer;
        const provider = dev.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "eks-cluster-oidc");
        expect(provider.inputs).to.deep.include({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    });
});
