import { expect } from "chai";
import { restrictPolicyPrivileges } from "../../../policies/rules/iam/restrictPolicyPrivileges";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";

const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const run = (type: string, props: Record<string, unknown>) => messages(restrictPolicyPrivileges, [resource(type, "p", props)]);

describe("policy platform-iam-policy-privileges (IAM-03, IAM-04)", () => {
    it("passes scoped policies in every place a document or an attachment goes", async () => {
        const scoped = doc({ Effect: "Allow", Action: ["s3:GetObject", "kms:Decrypt"], Resource: "arn:aws:s3:::b/*" });
        expect(await run("aws:iam/policy:Policy", { policy: scoped })).to.deep.equal([]);
        expect(await run("aws:iam/rolePolicy:RolePolicy", { role: "r", policy: scoped })).to.deep.equal([]);
        expect(
            await run("aws:iam/role:Role", {
                assumeRolePolicy: "{}",
                inlinePolicies: [{ name: "p", policy: scoped }],
                managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
            }),
        ).to.deep.equal([]);
        expect(
            await run("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }),
        ).to.deep.equal([]);
        expect(await run("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "ec2:DescribeVolumes", Resource: "*" }) })).to.deep.equal([]);
    });
    it("fails AdministratorAccess and IAMFullAccess, attached or managed, but not the EKS access policies", async () => {
        expect(
            await run("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        ).to.deep.equal([
            'aws:iam/rolePolicyAttachment:RolePolicyAttachment "p" attaches AdministratorAccess. Attach a policy with only the permissions the role needs.',
        ]);
        expect(await run("aws:iam/policyAttachment:PolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" })).to.have.length(1);
        expect(await run("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" })).to.have.length(1);
        expect(await run("aws:iam/role:Role", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })).to.have.length(1);
        expect(
            await run("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" }),
        ).to.deep.equal([]);
    });
    it("fails every action on every resource, kms:Decrypt on every key and iam:PassRole on every role", async () => {
        expect(await run("aws:iam/policy:Policy", { policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) })).to.deep.equal([
            'aws:iam/policy:Policy "p" allows every action on every resource ("Action": "*", "Resource": "*"). Grant the actions the principal needs, on the resources it needs.',
        ]);
        expect(await run("aws:iam/rolePolicy:RolePolicy", { policy: doc({ Effect: "Allow", Action: ["kms:De*"], Resource: ["*"] }) })).to.deep.equal([
            'aws:iam/rolePolicy:RolePolicy "p" allows kms:Decrypt with every key ("Resource": "*"). Name the key ARNs the principal needs.',
        ]);
        expect(
            await run("aws:iam/groupPolicy:GroupPolicy", { policy: { Statement: { Effect: "Allow", Action: "iam:PassRole", Resource: "*" } } }),
        ).to.deep.equal(['aws:iam/groupPolicy:GroupPolicy "p" allows iam:PassRole on every role ("Resource": "*"). Name the role ARNs it may pass.']);
    });
    it("ignores Deny statements", async () => {
        expect(await run("aws:iam/policy:Policy", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) })).to.deep.equal([]);
    });
    it("fails IAM users and their credentials", async () => {
        for (const type of [
            "aws:iam/user:User",
            "aws:iam/userPolicy:UserPolicy",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            "aws:iam/accessKey:AccessKey",
        ]) {
            expect(await run(type, {}), type).to.deep.equal([
                `${type} "p" creates an IAM user or its credentials. Use IAM roles (SSO for people, service-account roles for workloads) instead.`,
            ]);
        }
    });
    it("does not judge an omitted or malformed document", async () => {
        expect(await run("aws:iam/policy:Policy", {})).to.deep.equal([]);
        expect(await run("aws:iam/policy:Policy", { policy: "[1,2" })).to.deep.equal([]);
    });
    it("gives the preview's advisory note when a document is unknown (it names ARNs of new resources)", async () => {
        await expectCannotDecide(restrictPolicyPrivileges, [resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: Unknown.instance })]);
    });
});
