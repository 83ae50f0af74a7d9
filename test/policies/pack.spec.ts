import { expect } from "chai";
import { rules } from "../../policies/rules";

const CATALOG_ID = /^(S3|EKS|IAM|RDS|EC|KMS|CW|SM|NET|ALB|WAF|K|SVC|ING|NP|NS|PDB|RBAC|HELM|X|SNS|SQS|ECR|ACM|EC2|K8S|ESO|KARP)-\d\d$/;

describe("the rules of the pack", () => {
    it("have unique names of the form platform-<area>-<resource>-<rule>", () => {
        const names = rules.map((r) => r.policy.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const name of names) {
            expect(name).to.match(/^platform-[a-z0-9]+-[a-z0-9]+(-[a-z0-9]+)+$/);
        }
    });
    it("say what they require, name their catalog ids first, and build in their prod level", () => {
        for (const rule of rules) {
            expect(rule.policy.description.length, rule.policy.name).to.be.greaterThan(60);
            expect(rule.sources[0], rule.policy.name).to.match(CATALOG_ID);
            expect(rule.policy.enforcementLevel, rule.policy.name).to.equal(rule.levels.prod === "disabled" ? "advisory" : rule.levels.prod);
        }
    });
    it("declare every threshold in configSchema with a default, and per-stack values only for those", () => {
        for (const rule of rules) {
            const properties = (rule.policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>;
            for (const [key, schema] of Object.entries(properties)) {
                expect(schema.default, `${rule.policy.name}.${key}`).to.not.equal(undefined);
            }
            for (const stack of ["dev", "prod"] as const) {
                for (const key of Object.keys(rule.config?.[stack] ?? {})) {
                    expect(properties, `${rule.policy.name} ${stack}`).to.have.property(key);
                }
            }
        }
    });
    it("run per resource exactly when they are mandatory in every stack (the others check once per stack)", () => {
        for (const rule of rules) {
            const perResource = "validateResource" in rule.policy;
            // Cross-resource rules can only be stack rules, whatever their levels.
            const crossResource = [
                "platform-network-vpc-flow-logs",
                "platform-network-default-vpc",
                "platform-network-private-placement",
                "platform-network-data-store-access",
                "platform-s3-bucket-public-access",
                "platform-s3-bucket-ownership",
            ];
            const mandatoryEverywhere = rule.levels.prod === "mandatory" && rule.levels.dev === "mandatory";
            if (!crossResource.includes(rule.policy.name)) {
                expect(perResource, rule.policy.name).to.equal(mandatoryEverywhere);
            }
        }
    });
});
