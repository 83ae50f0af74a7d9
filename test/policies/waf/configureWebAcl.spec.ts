import { expect } from "chai";
import { configureWebAcl } from "../../../policies/rules/waf/configureWebAcl";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, REMOVE, resource, withValue } from "../check";
import { webAcl } from "../fixtures";

const ACL = "aws:wafv2/webAcl:WebAcl";
const d = `${ACL} "acl"`;
const run = (props: unknown, ...others: ReturnType<typeof resource>[]) =>
    messages(configureWebAcl, [resource(ACL, "acl", props as Record<string, unknown>), ...others]);
const separate = (type: string, name: string, props: Record<string, unknown>) =>
    resource(type, name, { ...props, webAclArn: Unknown.instance }, { propertyDependencies: { webAclArn: [`urn:pulumi:test::platform::${ACL}::acl`] } });

describe("policy platform-waf-web-acl-rules (WAF-01, WAF-02)", () => {
    it("passes inline rules with the managed groups and metrics", async () => {
        expect(await run(webAcl)).to.deep.equal([]);
    });
    it("passes rules declared in ruleJson, as WebAclRule resources, or as WebAclRuleGroupAssociations", async () => {
        const json = JSON.stringify(
            ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"].map((Name) => ({
                Name,
                OverrideAction: { None: {} },
                Statement: { ManagedRuleGroupStatement: { Name, VendorName: "AWS" } },
            })),
        );
        expect(await run({ ...withValue(webAcl, "rules", REMOVE), ruleJson: json })).to.deep.equal([]);
        const bare = withValue(webAcl, "rules", REMOVE);
        expect(
            await run(
                bare,
                separate("aws:wafv2/webAclRule:WebAclRule", "common", {
                    priority: 1,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet" } },
                }),
                separate("aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation", "bad-inputs", {
                    ruleName: "bad",
                    priority: 2,
                    managedRuleGroup: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendorName: "AWS" },
                }),
            ),
        ).to.deep.equal([]);
    });
    it("fails a web ACL without rules (omitted)", async () => {
        expect(await run(withValue(webAcl, "rules", REMOVE))).to.deep.equal([
            `${d} has no rules, so it only applies its default action. Add the AWS managed rule groups AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesCommonRuleSet.`,
        ]);
    });
    it("fails a rule without an action, missing managed groups and missing metrics", async () => {
        const custom = { name: "rate", priority: 9, statement: { rateBasedStatement: { limit: 1000 } }, visibilityConfig: webAcl.visibilityConfig };
        const acl = { ...webAcl, rules: [webAcl.rules[0], custom], visibilityConfig: { ...webAcl.visibilityConfig, cloudwatchMetricsEnabled: false } };
        expect(await run(acl)).to.deep.equal([
            `${d} has rule "rate" with neither action nor overrideAction. Set action (for a rule) or overrideAction: { none: {} } (for a rule group).`,
            `${d} does not run the AWS managed rule groups AWSManagedRulesKnownBadInputsRuleSet. Add a rule with a managedRuleGroupStatement for each.`,
            `${d} publishes no CloudWatch metrics. Set visibilityConfig.cloudwatchMetricsEnabled: true.`,
        ]);
    });
    it("gives the preview's advisory note when the metrics flag is unknown", async () => {
        await expectCannotDecide(configureWebAcl, [resource(ACL, "acl", withValue(webAcl, "visibilityConfig.cloudwatchMetricsEnabled", Unknown.instance))]);
    });
});
