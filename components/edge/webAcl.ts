/**
 * The AWS WAF web ACL in front of the application load balancers: AWS managed rule groups, IP
 * reputation, an optional country block, tighter rate limits on sensitive paths and a site-wide rate
 * limit per client IP, every rule with CloudWatch metrics; full request logs go to a KMS-encrypted
 * `aws-waf-logs-` log group with the credentials headers redacted.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WafConfig } from "../../config/edge";
import { AWS_MANAGED_RULE_GROUPS, type ManagedRuleGroupName } from "../../config/keys/edge";

/** Headers whose values never reach the WAF logs: they carry session tokens and credentials. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/** CloudWatch Logs only accepts WAF logs in groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";

/** The window every rate-based rule counts over, in seconds; the config's limits are per 5 minutes. */
export const RATE_WINDOW_SECONDS = 300;

/** What a rate limit answers: 429 Too Many Requests instead of WAF's default 403. */
const TOO_MANY_REQUESTS = { block: { customResponse: { responseCode: 429 } } };

/** Arguments of {@link WebAcl}. */
export interface WebAclArgs {
    /** Prefix of the web ACL, metric and log group names: `<project>-<stack>`. */
    namePrefix: string;
    /** The rules' settings (from `waf.*` config). */
    waf: WafConfig;
    /** The stack's `logs` KMS key, which encrypts the WAF log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Retention of the WAF log group, days. */
    logRetentionDays: number;
}

/** CloudWatch metrics and sampled requests of a rule or of the web ACL. */
export interface Visibility {
    /** Always true: every rule publishes CloudWatch metrics. */
    readonly cloudwatchMetricsEnabled: boolean;
    /** Unique in the stack: `<namePrefix>-<rule name>`. */
    readonly metricName: string;
    /** Always true: WAF keeps samples of matching requests for the console. */
    readonly sampledRequestsEnabled: boolean;
}

/** A web ACL rule as the provider takes it, with its name, priority and metrics known. */
export type WebAclRule = aws.types.input.wafv2.WebAclRule & { readonly name: string; readonly priority: number; readonly visibilityConfig: Visibility };

/** CloudWatch metrics and sampled requests for one rule (or the web ACL), under a metric name unique in the stack. */
export function visibility(metricName: string): Visibility {
    return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** A rule name (letters, digits, - and _) for the rate limit of a path: `rate-limit-path-login` for `/login`. */
export function pathRuleName(path: string): string {
    const slug = path
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 100);
    return `rate-limit-path-${slug === "" ? "root" : slug}`;
}

function managedGroupRule(group: ManagedRuleGroupName, waf: WafConfig): Omit<WebAclRule, "priority" | "visibilityConfig"> {
    const countOnly = waf.countModeRules.filter((r) => r.group === group);
    return {
        name: group,
        // "none" keeps the group's own actions (block); individual rules may be switched to count below.
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((r) => ({ name: r.rule, actionToUse: { count: {} } })) } : {}),
            },
        },
    };
}

/**
 * The rules of the web ACL in evaluation order: managed rule groups, then the IP reputation groups, the
 * country block, the per-path rate limits and last the site-wide rate limit. Priorities follow that order,
 * and every rule publishes metrics named `<namePrefix>-<rule name>`.
 */
export function webAclRules(namePrefix: string, waf: WafConfig): WebAclRule[] {
    const isReputation = (g: ManagedRuleGroupName) => AWS_MANAGED_RULE_GROUPS[g].category === "ip-reputation";
    const rules: Omit<WebAclRule, "priority" | "visibilityConfig">[] = [
        ...waf.managedRuleGroups.filter((g) => !isReputation(g)).map((g) => managedGroupRule(g, waf)),
        ...waf.managedRuleGroups.filter(isReputation).map((g) => managedGroupRule(g, waf)),
    ];
    if (waf.blockedCountries.length > 0) {
        rules.push({ name: "block-countries", action: { block: {} }, statement: { geoMatchStatement: { countryCodes: [...waf.blockedCountries] } } });
    }
    const pathRuleNames = new Set<string>();
    for (const { path, limit } of waf.sensitivePaths) {
        // Paths that differ only in punctuation ("/a.b", "/a-b") share a slug; number the later ones.
        const base = pathRuleName(path);
        let ruleName = base;
        for (let n = 2; pathRuleNames.has(ruleName); n++) {
            ruleName = `${base}-${n}`;
        }
        pathRuleNames.add(ruleName);
        rules.push({
            name: ruleName,
            action: TOO_MANY_REQUESTS,
            statement: {
                rateBasedStatement: {
                    limit,
                    aggregateKeyType: "IP",
                    evaluationWindowSec: RATE_WINDOW_SECONDS,
                    scopeDownStatement: {
                        byteMatchStatement: {
                            fieldToMatch: { uriPath: {} },
                            positionalConstraint: "STARTS_WITH",
                            searchString: path.toLowerCase(),
                            // Decode then lower-case, so /LOGIN and /log%69n count as /login.
                            textTransformations: [
                                { priority: 0, type: "URL_DECODE" },
                                { priority: 1, type: "LOWERCASE" },
                            ],
                        },
                    },
                },
            },
        });
    }
    rules.push({
        name: "rate-limit-per-ip",
        action: TOO_MANY_REQUESTS,
        // The load balancer is the edge, so the connection's source address is the client's.
        statement: { rateBasedStatement: { limit: waf.rateLimitPerIp, aggregateKeyType: "IP", evaluationWindowSec: RATE_WINDOW_SECONDS } },
    });
    return rules.map((rule, priority) => ({ ...rule, priority, visibilityConfig: visibility(`${namePrefix}-${rule.name}`) }));
}

/** The regional web ACL, its log group and its logging configuration. */
export class WebAcl extends pulumi.ComponentResource {
    /** The web ACL (attach it to internet-facing ALBs with the `alb.ingress.kubernetes.io/wafv2-acl-arn` annotation). */
    public readonly webAcl: aws.wafv2.WebAcl;
    /** The log group of the WAF request logs. */
    public readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:WebAcl", name, {}, opts);
        const aclName = `${args.namePrefix}-web-acl`;
        this.webAcl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                name: aclName,
                description: `${args.namePrefix}: managed rule groups, IP reputation, country block and per-IP rate limits for the application load balancers`,
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: webAclRules(args.namePrefix, args.waf),
                visibilityConfig: visibility(aclName),
                tags: { Name: aclName },
            },
            { parent: this },
        );
        const logGroupName = `${WAF_LOG_GROUP_PREFIX}${args.namePrefix}`;
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            {
                name: logGroupName,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.logsKeyArn,
                // WAF dictates the group's name prefix; the Name tag keeps the stack prefix every resource's tag has.
                tags: { Name: `${args.namePrefix}-waf-logs` },
            },
            { parent: this },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: this.webAcl.arn,
                logDestinationConfigs: [this.logGroup.arn],
                redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
            },
            { parent: this },
        );
        this.registerOutputs({ webAclArn: this.webAcl.arn, logGroupName: this.logGroup.name });
    }
}
