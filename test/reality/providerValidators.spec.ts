import { expect } from "chai";
import * as fs from "node:fs";
import { sharedFile } from "../components/eks/helpers";
import { Secret, Unknown } from "../../tools/offline/values";
import { sharedPlan, type Plan } from "../harness";
import { realityPlans } from "./plans";
import { checkInputs, fromDependencies, valueProblems, type ValidatorTable } from "./providerValidators";

/** The validator data, or undefined when ../shared is absent. */
function validatorTable(): ValidatorTable | undefined {
    const file = sharedFile("reference/aws-provider-validators.json");
    return file === undefined ? undefined : (JSON.parse(fs.readFileSync(file, "utf8")) as ValidatorTable);
}

/** Every violation in a plan, one line each. */
function violationsOf(plan: Plan, table: ValidatorTable): string[] {
    return plan.resources.flatMap((r) =>
        checkInputs(
            r.type,
            r.inputs,
            table,
            fromDependencies(r, (urn) => plan.byUrn(urn)),
        ).map((v) => `${r.type} ${r.name}: ${v.path} ${v.message}`),
    );
}

describe("the AWS provider's input validators on both plans", () => {
    const table = validatorTable();
    const plans = realityPlans();
    for (const [label, plan] of plans) {
        it(`${label}: no literal input is one the provider's Check step would reject`, async function () {
            if (table === undefined) {
                this.skip(); // ../shared is absent: no validator data to apply
            }
            const run = await plan();
            expect(violationsOf(run, table)).to.deep.equal([]);
        });
    }

    it("the checker covers the plan: every validated type in the data that the plan uses has values checked", async function () {
        if (table === undefined) {
            this.skip(); // ../shared is absent: no validator data to apply
        }
        const plan = await sharedPlan("prod");
        const typesInPlan = new Set(plan.resources.map((r) => r.type));
        const covered = Object.keys(table).filter((t) => typesInPlan.has(t));
        // A mistyped type token or a change of the data's shape would silently check nothing.
        expect(covered.length).to.be.greaterThan(30);
    });
});

/** A small table in the data's shape, to test the checker on synthetic inputs. */
const SYNTHETIC: ValidatorTable = {
    "test:x:X": {
        cidrBlock: { format: "ipv4CidrNetwork" },
        vpcCidr: { format: "cidrNetwork", cidrPrefixMin: 16, cidrPrefixMax: 28 },
        retention: { enum: [1, 3, 7, 14] },
        name: { minLen: 1, maxLen: 8, regex: ["^[a-z0-9-]+$", "^[a-z]"] },
        roleArn: { format: "arn" },
        policy: { format: "iamPolicyJson" },
        "rules[].status": { enum: ["Enabled", "Disabled"] },
        "block.a": { conflictsWith: ["block.b"] },
        "block.b": { conflictsWith: ["block.a"] },
        "update.count": { exactlyOneOf: ["update.count", "update.percent"] },
        "update.percent": { exactlyOneOf: ["update.count", "update.percent"] },
        period: { anyOf: [{ enum: [7, 731] }, { divisibleBy: 31 }] },
        tags: { minItems: 1, maxItems: 2 },
        mode: { enum: ["evaluate", "ignore"], enumIgnoreCase: true },
    },
};

describe("the provider-validator checker (synthetic inputs)", () => {
    const check = (inputs: Record<string, unknown>) => checkInputs("test:x:X", inputs, SYNTHETIC).map((v) => `${v.path}: ${v.message}`);

    it("accepts valid values and ignores types it has no data for", () => {
        expect(
            check({
                cidrBlock: "10.0.0.0/16",
                vpcCidr: "10.1.0.0/20",
                retention: 7,
                name: "ab-1",
                roleArn: "arn:aws:iam::123456789012:role/x",
                policy: '{"Version":"2012-10-17"}',
                period: 62,
                mode: "IGNORE",
            }),
        ).to.deep.equal([]);
        expect(checkInputs("test:other:Other", { cidrBlock: "nonsense" }, SYNTHETIC)).to.deep.equal([]);
    });

    it("rejects a CIDR that is not in canonical network form, or outside the prefix range", () => {
        expect(check({ cidrBlock: "10.0.0.1/16" })).to.deep.equal(['cidrBlock: "10.0.0.1/16" is not in canonical network form (host bits are set)']);
        expect(check({ vpcCidr: "10.0.0.0/8" })).to.deep.equal(['vpcCidr: "10.0.0.0/8" has a prefix shorter than /16']);
        expect(check({ vpcCidr: "fd00::1/64" })).to.have.length(1);
        expect(check({ vpcCidr: "fd00::/64" })).to.have.length(1); // /64 is over the max of 28
        expect(check({ vpcCidr: "fd00::/20" })).to.deep.equal([]);
    });

    it("rejects a value outside an enum, a too-long or badly formed name, a bad ARN and a non-object policy", () => {
        expect(check({ retention: 5 })).to.deep.equal(["retention: 5 is not one of 1, 3, 7, 14"]);
        expect(check({ name: "1-too-long" })).to.deep.equal([
            'name: "1-too-long" is 10 bytes, over the maximum 8',
            'name: "1-too-long" does not match /^[a-z]/',
        ]);
        expect(check({ roleArn: "arn:aws:iam:::role" })).to.deep.equal([]);
        expect(check({ roleArn: "role/x" })).to.have.length(1);
        expect(check({ roleArn: "arn:aws:iam::12345:role/x" })).to.deep.equal(['roleArn: "arn:aws:iam::12345:role/x" has an invalid account id "12345"']);
        expect(check({ policy: "[]" })).to.have.length(1);
        expect(check({ policy: "{" })).to.have.length(1);
    });

    it("applies list-element paths to every element and names the element", () => {
        expect(check({ rules: [{ status: "Enabled" }, { status: "enabled" }] })).to.deep.equal([
            'rules[1].status: "enabled" is not one of "Enabled", "Disabled"',
        ]);
    });

    it("applies relations only when their block exists, and exactlyOneOf even when the input is absent", () => {
        expect(check({ block: { a: 1, b: false } })).to.deep.equal([
            "block.a: conflicts with block.b, which is also set",
            "block.b: conflicts with block.a, which is also set",
        ]);
        expect(check({ block: { a: 1 } })).to.deep.equal([]);
        expect(check({})).to.deep.equal([]);
        expect(check({ update: {} })).to.deep.equal(["update.count: exactly one of update.count, update.percent must be set; none is"]);
        expect(check({ update: { count: 1, percent: 50 } })).to.have.length(1);
        expect(check({ update: { percent: 50 } })).to.deep.equal([]);
    });

    it("anyOf passes when one member passes; item counts apply to lists", () => {
        expect(check({ period: 731 })).to.deep.equal([]);
        expect(check({ period: 30 })).to.have.length(1);
        expect(check({ tags: [] })).to.deep.equal(["tags: has 0 items, fewer than 1"]);
        expect(check({ tags: ["a", "b", "c"] })).to.deep.equal(["tags: has 3 items, more than 2"]);
    });

    it("skips secrets, unknowns and values from other resources", () => {
        expect(check({ retention: new Secret(5), cidrBlock: Unknown.instance })).to.deep.equal([]);
        const fromOther = (input: string, value: string) => input === "name" && value.includes("Generated");
        expect(checkInputs("test:x:X", { name: "Generated-Name-Too-Long" }, SYNTHETIC, fromOther)).to.deep.equal([]);
        // A document around another resource's output is still checked as JSON.
        const everything = () => true;
        expect(checkInputs("test:x:X", { policy: '{"Statement": [' }, SYNTHETIC, everything)).to.have.length(1);
    });

    it("recognises another resource's output inside a literal input only through that input's dependencies", () => {
        const other = { urn: "urn:b", outputs: { name: "bucket-0123456789", port: 443 }, propertyDependencies: {} };
        const resource = { urn: "urn:a", outputs: {}, propertyDependencies: { bucket: ["urn:b"] } };
        const fromOther = fromDependencies(resource, (urn) => (urn === "urn:b" ? other : undefined));
        expect(fromOther("bucket", "arn:aws:s3:::bucket-0123456789/*")).to.equal(true);
        expect(fromOther("bucket", "my-literal-bucket")).to.equal(false);
        expect(fromOther("name", "bucket-0123456789")).to.equal(false);
    });

    it("fails loudly on a format it does not know", () => {
        expect(() => valueProblems("x", { format: "somethingNew" })).to.throw(/unknown validator format "somethingNew"/);
    });
});
