import { expect } from "chai";
import { restrictRoleTrust } from "../../../policies/rules/iam/restrictRoleTrust";
import type { PolicyPackConfig } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";
import { ISSUER, OIDC_PROVIDER, ROOT } from "../fixtures";

const ROLE = "aws:iam/role:Role";
const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const OTHER = "210987654321";
/** The policy config of a stack that trusts the account of ROOT (the stack's own, in the fixtures). */
const trusting = (...accounts: string[]) => ({ "platform-iam-role-trust": { trustedAccounts: accounts } });
const run = (assumeRolePolicy: unknown, config: PolicyPackConfig = trusting("123456789012")) =>
    messages(restrictRoleTrust, [resource(ROLE, "r", { assumeRolePolicy })], config);
const assume = (principal: unknown, condition?: Record<string, unknown>) =>
    trust({ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", ...(condition === undefined ? {} : { Condition: condition }) });
const externalId = { StringEquals: { "sts:ExternalId": "x" } };
const untrusted = (account: string, principal: string) =>
    `aws:iam/role:Role "r" trusts the root of account ${account} (${principal}), which is not in trustedAccounts: every principal that account's administrators allow may assume it, whatever the condition says. Name the role of that account that assumes it, or add ${account} to trustedAccounts of the stack's policy config once the cross-account access is reviewed.`;
const irsa = (condition: Record<string, unknown>) =>
    trust({ Effect: "Allow", Principal: { Federated: OIDC_PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition });
const exact = { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:velero:velero-server", [`${ISSUER}:aud`]: "sts.amazonaws.com" } };

describe("policy platform-iam-role-trust (IAM-01, IAM-02)", () => {
    it("passes service principals, conditioned roots of trusted accounts and exact service-account roles (string or object documents)", async () => {
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
    it("fails the root of an account not in trustedAccounts, whatever its condition", async () => {
        const root = `arn:aws:iam::${OTHER}:root`;
        expect(await run(assume(root, externalId))).to.deep.equal([untrusted(OTHER, root)]);
        expect(await run(assume(root))).to.deep.equal([untrusted(OTHER, root)]);
    });
    it("fails another account given as a bare account id, or in another partition", async () => {
        expect(await run(assume(OTHER, externalId))).to.deep.equal([untrusted(OTHER, OTHER)]);
        const china = `arn:aws-cn:iam::${OTHER}:root`;
        expect(await run(assume([china], externalId))).to.deep.equal([untrusted(OTHER, china)]);
    });
    it("fails every account root when trustedAccounts is empty (the default: the pack cannot tell the stack's account)", async () => {
        expect(await run(assume(ROOT, externalId), trusting())).to.deep.equal([untrusted("123456789012", ROOT)]);
        expect(await run(assume(ROOT, externalId), {})).to.deep.equal([untrusted("123456789012", ROOT)]);
    });
    it("passes another account's root once the account is in trustedAccounts, with a condition", async () => {
        expect(await run(assume(`arn:aws:iam::${OTHER}:root`, externalId), trusting(OTHER))).to.deep.equal([]);
    });
    it("reports each untrusted account of a statement, and a trusted one's missing condition apart", async () => {
        const other = `arn:aws:iam::${OTHER}:root`;
        expect(await run(assume([ROOT, other]))).to.deep.equal([
            untrusted(OTHER, other),
            `aws:iam/role:Role "r" trusts the whole account ${ROOT} without a condition. Name the role that assumes it, or add a condition (aws:PrincipalArn, sts:ExternalId).`,
        ]);
    });
    it("leaves a named role of another account to the review of the role (only account roots are refused)", async () => {
        expect(await run(assume(`arn:aws:iam::${OTHER}:role/deployer`))).to.deep.equal([]);
    });
    it("ignores malformed trustedAccounts entries", async () => {
        expect(await run(assume(`arn:aws:iam::${OTHER}:root`, externalId), trusting(`arn:aws:iam::${OTHER}:root`, "*"))).to.deep.equal([
            untrusted(OTHER, `arn:aws:iam::${OTHER}:root`),
        ]);
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
