import { expect } from "chai";
import { WorkloadRole, workloadTrustPolicy } from "../../../components/eks/workloadIdentity";
import { policyOf, sharedPlan, type Plan } from "../../harness";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
const ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123";

/** Every role a Kubernetes service account can assume: the ones trusting a federated principal. */
function workloadRoles(plan: Plan) {
    return plan
        .ofType("aws:iam/role:Role")
        .map((role) => ({ role, statements: policyOf(role.inputs.assumeRolePolicy).Statement }))
        .filter(({ statements }) => statements.some((s) => (s.Principal as { Federated?: string }).Federated !== undefined));
}

describe("workload identity (IRSA)", () => {
    it("trusts exactly one service account of one namespace, for the STS audience, with StringEquals", () => {
        expect(workloadTrustPolicy({ oidcProviderArn: PROVIDER, issuer: ISSUER, namespace: "kube-system", serviceAccount: "aws-node" })).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:kube-system:aws-node",
                            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("accepts the issuer with or without its scheme", () => {
        const ref = { oidcProviderArn: PROVIDER, namespace: "a", serviceAccount: "b" };
        expect(workloadTrustPolicy({ ...ref, issuer: ISSUER })).to.deep.equal(workloadTrustPolicy({ ...ref, issuer: ISSUER.replace("https://", "") }));
    });

    it("refuses wildcards and anything else that is not a Kubernetes name", () => {
        const ref = { oidcProviderArn: PROVIDER, issuer: ISSUER };
        expect(() => workloadTrustPolicy({ ...ref, namespace: "*", serviceAccount: "sa" })).to.throw(/namespace "\*" is not a Kubernetes namespace name/);
        expect(() => workloadTrustPolicy({ ...ref, namespace: "apps", serviceAccount: "controller-*" })).to.throw(/service account "controller-\*"/);
        expect(() => workloadTrustPolicy({ ...ref, namespace: "Apps", serviceAccount: "sa" })).to.throw(/not a Kubernetes namespace name/);
    });

    it("refuses a role without any policy", () => {
        expect(
            () =>
                new WorkloadRole("empty", {
                    oidcProviderArn: PROVIDER,
                    issuer: ISSUER,
                    namespace: "a",
                    serviceAccount: "b",
                    purpose: "nothing",
                    namePrefix: "x",
                }),
        ).to.throw(/needs a policy or a managed policy/);
    });

    describe("in the stacks", () => {
        let dev: Plan;
        let prod: Plan;
        before(async () => {
            dev = await sharedPlan("dev");
            prod = await sharedPlan("prod");
        });

        it("every controller role trusts the cluster's OIDC provider for exactly its own service account", () => {
            for (const plan of [dev, prod]) {
                const provider = plan.get("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "eks-cluster-oidc");
                const issuer = String(provider.inputs.url).replace("https://", "");
                const subjects = workloadRoles(plan).map(({ role, statements }) => {
                    expect(statements, role.name).to.have.length(1);
                    const [statement] = statements;
                    expect(statement.Principal, role.name).to.deep.equal({ Federated: provider.outputs.arn });
                    expect(statement.Action, role.name).to.equal("sts:AssumeRoleWithWebIdentity");
                    expect(Object.keys(statement.Condition as object), role.name).to.deep.equal(["StringEquals"]);
                    const equals = (statement.Condition as { StringEquals: Record<string, string> }).StringEquals;
                    expect(Object.keys(equals).sort(), role.name).to.deep.equal([`${issuer}:aud`, `${issuer}:sub`]);
                    expect(equals[`${issuer}:aud`]).to.equal("sts.amazonaws.com");
                    expect(JSON.stringify(statement)).to.not.match(/[*?]/);
                    return equals[`${issuer}:sub`];
                });
                expect(subjects.sort()).to.deep.equal([
                    "system:serviceaccount:aws-load-balancer-controller:aws-load-balancer-controller",
                    "system:serviceaccount:cert-manager:cert-manager",
                    // The External Secrets Operator's store in database-admin (the operator itself has no role).
                    "system:serviceaccount:database-admin:database-master-reader",
                    "system:serviceaccount:external-dns:external-dns",
                    "system:serviceaccount:karpenter:karpenter",
                    "system:serviceaccount:kube-system:aws-node",
                    "system:serviceaccount:kube-system:ebs-csi-controller-sa",
                    "system:serviceaccount:logging:fluent-bit",
                    "system:serviceaccount:monitoring:grafana",
                    "system:serviceaccount:tracing:otel-sampler",
                    "system:serviceaccount:velero:velero-server",
                ]);
            }
        });
    });
});
