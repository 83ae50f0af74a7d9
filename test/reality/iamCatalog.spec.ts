import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Secret } from "../../tools/offline/values";
import { sharedPlan, type Plan } from "../harness";
import { realityPlans } from "./plans";
import { IamCatalog, findPolicyDocuments, isConditionOperator } from "./iamCatalog";

const catalog = new IamCatalog();

/** Every problem of every policy document in a plan's inputs, one line each, and how many documents were read. */
async function planProblems(plan: Plan): Promise<{ problems: string[]; documents: Map<string, number> }> {
    const problems: string[] = [];
    const documents = new Map<string, number>();
    for (const resource of plan.resources) {
        for (const { path: at, document } of findPolicyDocuments(resource.inputs)) {
            documents.set(resource.type, (documents.get(resource.type) ?? 0) + 1);
            for (const p of await catalog.documentProblems(document, at)) {
                problems.push(`${resource.type} ${resource.name}: ${p.where}: ${p.message}`);
            }
        }
    }
    return { problems, documents };
}

const POLICY_FILES_DIR = path.resolve(__dirname, "..", "..", "components", "policies");

describe("every IAM action and condition key of both plans is in the IAM catalog", () => {
    const plans = realityPlans();
    for (const [label, plan] of plans) {
        it(`${label}: no unknown action, condition key or operator in any policy document`, async () => {
            const { problems } = await planProblems(await plan());
            expect(problems).to.deep.equal([]);
        });
    }

    it("reads the documents of every kind the plan holds: trust, inline, managed, bucket, key and topic policies", async () => {
        const { documents } = await planProblems(await sharedPlan("prod"));
        // A change of how documents are found would otherwise check nothing and pass.
        expect([...documents.keys()]).to.include.members([
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/policy:Policy",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:kms/key:Key",
            "aws:sns/topicPolicy:TopicPolicy",
        ]);
    });

    for (const file of fs.readdirSync(POLICY_FILES_DIR).filter((f) => f.endsWith(".json"))) {
        it(`components/policies/${file}: every action and condition key exists`, async () => {
            const documents = findPolicyDocuments(JSON.parse(fs.readFileSync(path.join(POLICY_FILES_DIR, file), "utf8")));
            expect(documents).to.have.length(1);
            expect(await catalog.documentProblems(documents[0].document)).to.deep.equal([]);
        });
    }
});

describe("the IAM catalog checker (synthetic documents)", () => {
    const problemsOf = async (statement: Record<string, unknown>) =>
        (await catalog.documentProblems({ Version: "2012-10-17", Statement: [statement] })).map((p) => p.message);

    it("rejects a typo'd action, a wildcard that matches nothing and an unknown service", async () => {
        expect(
            await problemsOf({ Effect: "Allow", Action: ["s3:GetObjet", "s3:Gte*", "s4:GetObject", "s3:GetObject", "s3:Get*", "*"], Resource: "*" }),
        ).to.deep.equal([
            'action "s3:GetObjet" does not exist in s3',
            'action pattern "s3:Gte*" matches no s3 action',
            'action "s4:GetObject": IAM has no service prefix "s4"',
        ]);
        expect(await problemsOf({ Effect: "Deny", NotAction: "iam:CreatRole", Resource: "*" })).to.deep.equal(['action "iam:CreatRole" does not exist in iam']);
    });

    it("rejects a typo'd condition key and operator, and accepts tag-key patterns and OIDC provider keys", async () => {
        expect(
            await problemsOf({
                Effect: "Allow",
                Action: "ec2:CreateTags",
                Resource: "*",
                Condition: {
                    StringEquals: {
                        "aws:SourceAcount": "1",
                        "ec2:CreateActon": "x",
                        "aws:ResourceTag/team": "a",
                        "ec2:ResourceTag/kubernetes.io/cluster/x": "owned",
                    },
                    StringEqualsIfExists: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:a:b" },
                    "ForAnyValue:StringLike": { "aws:TagKeys": "x" },
                    StringEqual: { "aws:SourceArn": "x" },
                },
            }),
        ).to.deep.equal([
            'condition key "aws:SourceAcount" does not exist among the global keys',
            'condition key "ec2:CreateActon" does not exist in ec2',
            'condition operator "StringEqual" does not exist',
        ]);
        expect(
            await problemsOf({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringLike: { "s3:ExistingObjectTag/owner": "x" } } }),
        ).to.deep.equal([]);
        expect(isConditionOperator("NullIfExists")).to.equal(false);
        expect(isConditionOperator("ForAllValues:ArnLikeIfExists")).to.equal(true);
    });

    it("rejects a service condition key that none of the statement's actions has in its request context", async () => {
        expect(
            await problemsOf({
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
            }),
        ).to.deep.equal([
            'condition key "kms:ViaService" is in the request context of none of the statement\'s actions (s3:GetObject): the condition never matches',
        ]);
        expect(
            await problemsOf({
                Effect: "Allow",
                Action: "ec2:DescribeVolumes",
                Resource: "*",
                Condition: { StringEquals: { "ec2:CreateAction": "CreateVolume" } },
            }),
        ).to.have.length(1);
        // Wildcards expand: s3:TlsVersion is a key of every S3 action; resource-type keys count too.
        expect(await problemsOf({ Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } })).to.deep.equal(
            [],
        );
        expect(
            await problemsOf({ Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: "*", Condition: { StringEquals: { "ec2:Encrypted": "true" } } }),
        ).to.deep.equal([]);
    });

    it("finds documents given as objects or JSON strings, nested at any depth, inside secrets too", () => {
        const doc = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
        const found = findPolicyDocuments({
            policy: JSON.stringify(doc),
            inlinePolicies: [{ name: "a", policy: new Secret(JSON.stringify(doc)) }],
            values: { nested: { document: doc } },
            other: "{ not json with Statement",
        });
        expect(found.map((f) => f.path)).to.deep.equal(["policy", "inlinePolicies[0].policy", "values.nested.document"]);
    });
});
