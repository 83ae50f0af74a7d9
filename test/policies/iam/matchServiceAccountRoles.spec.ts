import { expect } from "chai";
import { matchServiceAccountRoles } from "../../../policies/rules/iam/matchServiceAccountRoles";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource } from "../check";
import { ISSUER, OIDC_PROVIDER } from "../fixtures";

const ROLE_ARN = "arn:aws:iam::123456789012:role/velero";
const role = (subject: string, arn = ROLE_ARN, name = "velero-role") =>
    resource("aws:iam/role:Role", name, {
        arn,
        assumeRolePolicy: JSON.stringify({
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: OIDC_PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { [`${ISSUER}:sub`]: subject, [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
                },
            ],
        }),
    });
const account = (namespace: string, name: string, arn: unknown, extra = {}) =>
    resource(
        "kubernetes:core/v1:ServiceAccount",
        `${namespace}-${name}`,
        { metadata: { name, namespace, annotations: { "eks.amazonaws.com/role-arn": arn } } },
        extra,
    );
const release = (namespace: string, values: Record<string, unknown>, extra = {}) =>
    resource("kubernetes:helm.sh/v3:Release", "velero", { chart: "velero", version: "12.1.0", namespace, values }, extra);

describe("policy platform-iam-service-account-roles (X-14)", () => {
    it("passes a ServiceAccount and the role that trusts exactly it (by ARN, or by dependency when the ARN is unknown)", async () => {
        const r = role("system:serviceaccount:velero:velero-server");
        expect(await messages(matchServiceAccountRoles, [r, account("velero", "velero-server", ROLE_ARN)])).to.deep.equal([]);
        expect(
            await messages(matchServiceAccountRoles, [
                r,
                account("velero", "velero-server", Unknown.instance, { propertyDependencies: { metadata: [r.urn] } }),
            ]),
        ).to.deep.equal([]);
    });
    it("passes a role used by an EKS add-on, and by a Helm release in its namespace that annotates the same account", async () => {
        const cni = role("system:serviceaccount:kube-system:aws-node", "arn:aws:iam::123456789012:role/cni", "cni-role");
        const addon = resource(
            "aws:eks/addon:Addon",
            "vpc-cni",
            { addonName: "vpc-cni", serviceAccountRoleArn: Unknown.instance },
            { propertyDependencies: { serviceAccountRoleArn: [cni.urn] } },
        );
        const values = { serviceAccount: { server: { name: "velero-server", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } } } };
        expect(
            await messages(matchServiceAccountRoles, [cni, addon, role("system:serviceaccount:velero:velero-server"), release("velero", values)]),
        ).to.deep.equal([]);
    });
    it("fails a ServiceAccount whose role trusts another account", async () => {
        expect(
            await messages(matchServiceAccountRoles, [role("system:serviceaccount:velero:velero"), account("velero", "velero-server", ROLE_ARN)]),
        ).to.deep.equal([
            'kubernetes:core/v1:ServiceAccount "velero-velero-server" gives service account velero/velero-server the role velero-role, but that role trusts velero/velero. Make the role\'s trust policy name system:serviceaccount:velero:velero-server, or annotate the right service account.',
            'aws:iam/role:Role "velero-role" trusts service account velero/velero, but nothing in the stack uses it (no ServiceAccount annotated with its ARN, EKS add-on or Helm release in that namespace). Annotate that service account with eks.amazonaws.com/role-arn, or remove the role.',
        ]);
    });
    it("fails a Helm release that annotates a differently named account, or installs into another namespace", async () => {
        const r = role("system:serviceaccount:velero:velero-server");
        const wrongName = { serviceAccount: { server: { name: "velero", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } } } };
        expect(await messages(matchServiceAccountRoles, [r, release("velero", wrongName)])).to.have.length(2);
        const rightName = { serviceAccount: { server: { name: "velero-server", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } } } };
        expect((await messages(matchServiceAccountRoles, [r, release("backup", rightName)]))[0]).to.equal(
            'kubernetes:helm.sh/v3:Release "velero" gives service account backup/velero-server the role velero-role, but that role trusts velero/velero-server. Make the role\'s trust policy name system:serviceaccount:backup:velero-server, or annotate the right service account.',
        );
    });
    it("fails a ServiceAccount that points to a role outside the stack", async () => {
        expect(await messages(matchServiceAccountRoles, [account("velero", "velero-server", "arn:aws:iam::999999999999:role/elsewhere")])).to.deep.equal([
            'kubernetes:core/v1:ServiceAccount "velero-velero-server" points to the role arn:aws:iam::999999999999:role/elsewhere, which is not a role of this stack. Create its role in the stack (a service-account role trusting velero/velero-server).',
        ]);
    });
    it("fails a service-account role nothing uses", async () => {
        expect(await messages(matchServiceAccountRoles, [role("system:serviceaccount:velero:velero-server")])).to.have.length(1);
    });
    it("does not judge roles whose trust policy is unknown during preview, or that are not service-account roles", async () => {
        const unknownTrust = resource("aws:iam/role:Role", "r", { assumeRolePolicy: Unknown.instance });
        const serviceRole = resource("aws:iam/role:Role", "s", {
            assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
        });
        expect(await messages(matchServiceAccountRoles, [unknownTrust, serviceRole])).to.deep.equal([]);
    });
});
