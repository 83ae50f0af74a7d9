import { expect } from "chai";
import { REDACTED_HEADERS, pathRuleName, webAclRules } from "../../../components/edge/webAcl";
import type { WafConfig } from "../../../config";
import { policyOf, sharedPlan, type Plan } from "../../harness";
import { T, rulesOf, variantPlan, webAclOf } from "./plans";

const ALWAYS_ON = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
] as const;

const FULL: WafConfig = {
    rateLimitPerIp: 1000,
    managedRuleGroups: [...ALWAYS_ON, "AWSManagedRulesAnonymousIpList", "AWSManagedRulesLinuxRuleSet"],
    blockedCountries: ["KP"],
    sensitivePaths: [
        { path: "/login", limit: 100 },
        { path: "/a.b", limit: 50 },
        { path: "/a-b", limit: 50 },
    ],
    countModeRules: [],
};

describe("edge: WAF web ACL", () => {
    let dev: Plan;
    let variant: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        variant = await variantPlan();
    });

    describe("rules (webAclRules)", () => {
        it("evaluates managed groups, then IP reputation, the country block, the path limits and last the site-wide limit", () => {
            const rules = webAclRules("platform-dev", FULL);
            expect(rules.map((r) => [r.priority, r.name])).to.deep.equal([
                [0, "AWSManagedRulesCommonRuleSet"],
                [1, "AWSManagedRulesKnownBadInputsRuleSet"],
                [2, "AWSManagedRulesSQLiRuleSet"],
                [3, "AWSManagedRulesLinuxRuleSet"],
                [4, "AWSManagedRulesAmazonIpReputationList"],
                [5, "AWSManagedRulesAnonymousIpList"],
                [6, "block-countries"],
                [7, "rate-limit-path-login"],
                [8, "rate-limit-path-a-b"],
                [9, "rate-limit-path-a-b-2"],
                [10, "rate-limit-per-ip"],
            ]);
        });

        it("every rule publishes CloudWatch metrics and sampled requests under its own metric name", () => {
            const rules = webAclRules("platform-dev", FULL);
            const metrics = rules.map((r) => r.visibilityConfig);
            expect(metrics.every((m) => m.cloudwatchMetricsEnabled === true && m.sampledRequestsEnabled === true)).to.equal(true);
            expect(metrics.map((m) => m.metricName)).to.deep.equal(rules.map((r) => `platform-dev-${r.name}`));
            expect(new Set(metrics.map((m) => m.metricName)).size).to.equal(rules.length);
            for (const { metricName } of metrics) {
                expect(metricName).to.match(/^[A-Za-z0-9_-]{1,255}$/);
            }
        });

        it("names path rules after the path, within WAF's rule-name alphabet", () => {
            expect(pathRuleName("/login")).to.equal("rate-limit-path-login");
            expect(pathRuleName("/Password/Reset/")).to.equal("rate-limit-path-password-reset");
            expect(pathRuleName("/")).to.equal("rate-limit-path-root");
            expect(pathRuleName(`/${"x".repeat(300)}`)).to.match(/^[a-z0-9-]{1,128}$/);
        });

        it("without countries or paths there is neither a country block nor a path rule", () => {
            const names = webAclRules("p", { ...FULL, blockedCountries: [], sensitivePaths: [] }).map((r) => r.name);
            expect(names).to.not.include("block-countries");
            expect(names.filter((n) => n.startsWith("rate-limit-path-"))).to.deep.equal([]);
            expect(names[names.length - 1]).to.equal("rate-limit-per-ip");
        });
    });

    describe("dev stack", () => {
        it("is a regional web ACL that allows by default and publishes metrics, with the always-on groups and a /login limit", () => {
            const acl = webAclOf(dev);
            expect(acl.inputs).to.deep.include({ name: "platform-dev-web-acl", scope: "REGIONAL", defaultAction: { allow: {} } });
            expect(acl.inputs.visibilityConfig).to.deep.equal({
                cloudwatchMetricsEnabled: true,
                metricName: "platform-dev-web-acl",
                sampledRequestsEnabled: true,
            });
            expect(rulesOf(dev).map((r) => r.name)).to.deep.equal([...ALWAYS_ON, "rate-limit-path-login", "rate-limit-per-ip"]);
            expect(dev.providerOf(acl)?.name).to.equal("aws");
        });

        it("managed groups are AWS's, keep their own block actions and override nothing by default", () => {
            for (const rule of rulesOf(dev).slice(0, 4)) {
                expect(rule.overrideAction, rule.name).to.deep.equal({ none: {} });
                expect(rule.statement.managedRuleGroupStatement, rule.name).to.deep.equal({ vendorName: "AWS", name: rule.name });
            }
        });

        it("the site-wide rule limits each client IP per 5 minutes and answers 429", () => {
            const rule = rulesOf(dev).find((r) => r.name === "rate-limit-per-ip");
            expect(rule?.statement).to.deep.equal({ rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300 } });
            expect(rule?.action).to.deep.equal({ block: { customResponse: { responseCode: 429 } } });
        });

        it("the /login rule counts only requests whose decoded, lower-cased path starts with /login", () => {
            const rule = rulesOf(dev).find((r) => r.name === "rate-limit-path-login");
            expect(rule?.action).to.deep.equal({ block: { customResponse: { responseCode: 429 } } });
            expect(rule?.statement).to.deep.equal({
                rateBasedStatement: {
                    limit: 100,
                    aggregateKeyType: "IP",
                    evaluationWindowSec: 300,
                    scopeDownStatement: {
                        byteMatchStatement: {
                            fieldToMatch: { uriPath: {} },
                            positionalConstraint: "STARTS_WITH",
                            searchString: "/login",
                            textTransformations: [
                                { priority: 0, type: "URL_DECODE" },
                                { priority: 1, type: "LOWERCASE" },
                            ],
                        },
                    },
                },
            });
        });

        it("logs every request to a KMS-encrypted aws-waf-logs- group with the stack's retention, without authorization and cookie headers", () => {
            const acl = webAclOf(dev);
            const logGroup = dev.get(T.logGroup, "edge-waf-log-group");
            expect(logGroup.inputs).to.deep.include({ name: "aws-waf-logs-platform-dev", retentionInDays: 14 });
            expect(logGroup.inputs.kmsKeyId).to.equal(dev.get(T.key, "keys-logs").outputs.arn);
            const logging = dev.get(T.logging, "edge-waf-logging");
            expect(logging.inputs.resourceArn).to.equal(acl.outputs.arn);
            expect(logging.inputs.logDestinationConfigs).to.deep.equal([logGroup.outputs.arn]);
            expect(logging.inputs.redactedFields).to.deep.equal([{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
            expect(REDACTED_HEADERS).to.deep.equal(["authorization", "cookie"]);
            expect(logging.inputs).to.not.have.property("loggingFilter");
        });

        it("the logs key lets CloudWatch Logs encrypt the WAF log group (its ARN is within the key policy's condition)", () => {
            const grant = policyOf(dev.get(T.key, "keys-logs").inputs.policy).Statement.find((s) => s.Sid === "AllowCloudWatchLogsForThisAccountsLogGroups");
            const pattern = (grant?.Condition as Record<string, Record<string, string>>).ArnLike["kms:EncryptionContext:aws:logs:arn"];
            const arn = String(dev.get(T.logGroup, "edge-waf-log-group").outputs.arn);
            expect(pattern.endsWith(":log-group:*")).to.equal(true);
            expect(arn.startsWith(pattern.slice(0, -1))).to.equal(true);
        });

        it("exports the web ACL's ARN for the application ingresses", () => {
            expect(dev.outputs.webAclArn).to.equal(webAclOf(dev).outputs.arn);
            expect(String(dev.outputs.webAclArn)).to.match(/^arn:aws:wafv2:eu-west-1:123456789012:regional\/webacl\/platform-dev-web-acl\//);
        });
    });

    describe("from config", () => {
        it("adds the extra groups, blocks the countries, limits every path and uses the configured site limit", () => {
            const rules = rulesOf(variant);
            expect(rules.map((r) => r.name)).to.deep.equal([
                ...ALWAYS_ON.slice(0, 3),
                "AWSManagedRulesLinuxRuleSet",
                "AWSManagedRulesAmazonIpReputationList",
                "AWSManagedRulesAnonymousIpList",
                "block-countries",
                "rate-limit-path-login",
                "rate-limit-path-password-reset",
                "rate-limit-per-ip",
            ]);
            expect(rules.map((r) => r.priority)).to.deep.equal(rules.map((_, i) => i));
            const byName = Object.fromEntries(rules.map((r) => [r.name, r]));
            expect(byName["block-countries"].statement).to.deep.equal({ geoMatchStatement: { countryCodes: ["KP", "IR"] } });
            expect(byName["block-countries"].action).to.deep.equal({ block: {} });
            const reset = byName["rate-limit-path-password-reset"].statement.rateBasedStatement as Record<string, unknown>;
            expect(reset.limit).to.equal(20);
            expect(reset.scopeDownStatement).to.have.nested.property("byteMatchStatement.searchString", "/password/reset");
            expect(byName["rate-limit-per-ip"].statement.rateBasedStatement).to.include({ limit: 1000 });
            expect(new Set(rules.map((r) => r.visibilityConfig.metricName)).size).to.equal(rules.length);
        });

        it("switches only the named rule of the named group to count mode", () => {
            const rules = rulesOf(variant);
            const common = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet");
            expect(common?.statement.managedRuleGroupStatement.ruleActionOverrides).to.deep.equal([
                { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
            ]);
            expect(common?.overrideAction).to.deep.equal({ none: {} });
            for (const other of rules.filter((r) => r.name !== "AWSManagedRulesCommonRuleSet" && r.statement.managedRuleGroupStatement)) {
                expect(other.statement.managedRuleGroupStatement, other.name).to.not.have.property("ruleActionOverrides");
            }
        });
    });
});
