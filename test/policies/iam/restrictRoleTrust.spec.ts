import { expect } from "chai";
import { restrictRoleTrust } from "../../../policies/rules/iam/restrictRoleTrust";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";
import { ISSUER, OIDC_PROVIDER, ROOT } from "../fixtures";

const ROLE = "aws:iam/role:Role";
const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const run = (assumeRolePolicy: unknown) => messages(restrictRoleTrust, [resource(ROLE, "r", { assumeRolePolicy })]);
const irsa = (condition: Record<string, unknown>) =>
    trust({ Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
const exact = { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:velero:velero-server", [`${ISSUER}:aud`]: "sts.amazonaws.com" } };

describe("policy platform-iam-role-trust (IAM-01, IAM-02)", () => {
    it("passes service principals, conditioned account roots and exact service-account roles (string or object documents)", async () => {
        expect(await run(trust({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }))).to.deep.equal([]);
        expect(
            await run(trust({ Effect: "Allow", Principal: { AWS: ROOT }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } })),
        ).to.deep.equal([]);
        expect(await run(irsa(exact))).to.deep.equal([]);
        expect(await run(JSON.parse(irsa(exact)))).to.deep.equal([]);
    });
    it("fails a trust of any principal, whatever the condition", async () => {
        const message = 'aws:iam/role:Role "r" can be assumed by any AWS principal ("*"). Name the principals (services, roles) that may assume it.';
        expect(await run(trust({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }))).to.deep.equal([message]);
        expect(
            await run(
                trust({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
            ),
        ).to.deep.equal([message]);
    });
    it("fails an unconditioned account root, as ARN or account id", async () => {
        expect(await run(trust({ Effect: "Allow", Principal: { AWS: ROOT }, Action: "sts:AssumeRole" }))).to.deep.equal([
            `aws:iam/role:Role "r" trusts the whole account ${ROOT} without a condition. Name the role that assumes it, or add a condition (aws:PrincipalArn, sts:ExternalId).`,
        ]);
        expect(await run(trust({ Effect: "Allow", Principal: { AWS: "123456789012" }, Action: "sts:AssumeRole" }))).to.have.length(1);
    });
    it("fails a service-account role without a subject, with StringLike, or with a wildcard subject", async () => {
        expect(await run(irsa({ StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } }))).to.deep.equal([
            'aws:iam/role:Role "r" lets every service account of the cluster assume it: its web-identity trust has no StringEquals condition on <issuer>:sub. Add StringEquals { "<issuer>:sub": "system:serviceaccount:<namespace>:<name>" }.',
        ]);
        expect(
            await run(irsa({ StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:velero:*" }, StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } })),
        ).to.deep.equal([
            'aws:iam/role:Role "r" matches service accounts with StringLike (system:serviceaccount:velero:*). Use StringEquals with the exact "system:serviceaccount:<namespace>:<name>" of the one service account that needs the role.',
        ]);
        expect(
            await run(irsa({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:velero:*", [`${ISSUER}:aud`]: "sts.amazonaws.com" } })),
        ).to.deep.equal([
            'aws:iam/role:Role "r" trusts the subject "system:serviceaccount:velero:*", which is not one exact service account. Use "system:serviceaccount:<namespace>:<name>" with no wildcards.',
        ]);
    });
    it("fails a service-account role without the STS audience", async () => {
        expect(await run(irsa({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:velero:velero-server" } }))).to.deep.equal([
            'aws:iam/role:Role "r" does not pin the token audience. Add StringEquals { "<issuer>:aud": "sts.amazonaws.com" }.',
        ]);
    });
    it("does not apply to roles without a trust document it can read (omitted, malformed)", async () => {
        expect(await run(undefined)).to.deep.equal([]);
        expect(await run("{oops")).to.deep.equal([]);
    });
    it("gives the preview's advisory note when the trust policy is unknown (it names the OIDC provider's ARN)", async () => {
        await expectCannotDecide(restrictRoleTrust, [resource(ROLE, "r", { assumeRolePolicy: Unknown.instance })]);
    });
});
