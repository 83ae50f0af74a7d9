import { expect } from "chai";
import { restrictSensitiveActions } from "../../../policies/rules/iam/restrictSensitiveActions";
import { messages, resource } from "../check";

const POLICY = "aws:iam/rolePolicy:RolePolicy";
const doc = (...Statement: Record<string, unknown>[]) => ({ role: "r", policy: JSON.stringify({ Version: "2012-10-17", Statement }) });
const run = (...statements: Record<string, unknown>[]) => messages(restrictSensitiveActions, [resource(POLICY, "p", doc(...statements))]);
const fails = (problem: string) => [`aws:iam/rolePolicy:RolePolicy "p" ${problem}.`];
const BUCKET = "arn:aws:s3:::backups/*";

describe("policy platform-iam-policy-sensitive-actions", () => {
    it("passes scoped reads, Describe actions on *, and sensitive actions narrowed by a condition", async () => {
        expect(await run({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: BUCKET })).to.deep.equal([]);
        expect(await run({ Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeSubnets"], Resource: "*" })).to.deep.equal([]);
        expect(
            await run({
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
            }),
        ).to.deep.equal([]);
        expect(await run({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/node" })).to.deep.equal([]);
        expect(await run({ Effect: "Deny", Action: "s3:*", Resource: "*" })).to.deep.equal([]);
    });
    it("fails a service-wide wildcard, whatever the resource", async () => {
        expect(await run({ Effect: "Allow", Action: ["s3:*"], Resource: BUCKET })).to.deep.equal(
            fails("allows every action of a service (s3:*). List the actions the principal needs"),
        );
        expect(await run({ Effect: "Allow", Action: "iam:*", Resource: "arn:aws:iam::123456789012:role/x" })).to.deep.equal(
            fails("allows every action of a service (iam:*). List the actions the principal needs"),
        );
    });
    it('fails "*" on named resources (on every resource it is platform-iam-policy-privileges\'s administrator policy)', async () => {
        expect(await run({ Effect: "Allow", Action: "*", Resource: [BUCKET, "arn:aws:s3:::backups"] })).to.deep.equal(
            fails(
                "allows every action of every service (*) on arn:aws:s3:::backups/*, arn:aws:s3:::backups, its policy and access settings included. List the actions the principal needs",
            ),
        );
        expect(await run({ Effect: "Allow", Action: ["*:*"], Resource: BUCKET })).to.have.length(1);
        expect(await run({ Effect: "Allow", Action: "*", Resource: "*" })).to.deep.equal([]);
    });
    it("fails each category on every resource without a condition, through prefixes too", async () => {
        const on = (category: string, actions: string) =>
            fails(`allows ${actions} (${category}) on every resource without a condition. Name the resources, or add a condition that narrows them`);
        expect(await run({ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" })).to.deep.equal(on("privilege escalation", "iam:PutRolePolicy"));
        expect(await run({ Effect: "Allow", Action: "sts:GetFederationToken", Resource: "*" })).to.deep.equal(
            on("credentials exposure", "sts:GetFederationToken"),
        );
        expect(await run({ Effect: "Allow", Action: "secretsmanager:GetSecret*", Resource: "*" })).to.deep.equal(
            on("data exfiltration", "secretsmanager:GetSecretValue"),
        );
        expect(await run({ Effect: "Allow", Action: "kms:PutKeyPolicy", Resource: "*" })).to.deep.equal(on("permissions management", "kms:PutKeyPolicy"));
    });
    it("accepts the sensitive actions a reviewer listed in allowedOnAnyResource", async () => {
        const config = {
            [restrictSensitiveActions.policy.name]: { enforcementLevel: "mandatory" as const, allowedOnAnyResource: ["ecr:GetAuthorizationToken"] },
        };
        const token = resource(POLICY, "p", doc({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }));
        expect(await messages(restrictSensitiveActions, [token])).to.have.length(1);
        expect(await messages(restrictSensitiveActions, [token], config)).to.deep.equal([]);
    });
    it("fails iam:PassRole to roles matched by a wildcard", async () => {
        expect(await run({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/platform-*" })).to.deep.equal(
            fails("lets iam:PassRole pass roles matched by a wildcard (arn:aws:iam::123456789012:role/platform-*). Name each role it may pass"),
        );
    });
    it("reads inline policies of roles too", async () => {
        const role = resource("aws:iam/role:Role", "p", {
            inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }).policy }],
        });
        expect(await messages(restrictSensitiveActions, [role])).to.deep.equal([
            'aws:iam/role:Role "p" allows every action of a service (iam:*). List the actions the principal needs.',
        ]);
    });
});
