import { expect } from "chai";
import { ISO_COUNTRY_CODES, OPTIONAL_RULE_GROUPS, checkDnsName } from "../../config/keys/edge";
import { problems, resolve, itRejects, type RejectedCase } from "./resolve";

const OPTIONAL = OPTIONAL_RULE_GROUPS.join(", ");
// Without a domain there are no public hosts, so the stack file's applications go too.
const NO_DOMAIN = {
    "platform:apps": undefined,
    "platform:edge.domain": undefined,
    "platform:edge.hostedZoneId": undefined,
    "platform:edge.hostedZoneName": undefined,
};

describe("stack configuration: edge (domain, hosted zone, WAF)", () => {
    it("dev and prod each have a domain in the example.com zone, the always-on rule groups and a tight limit on /login", () => {
        const dev = resolve("dev");
        expect(dev.edge).to.deep.equal({ domain: "dev.example.com", hostedZoneId: "Z0123456789EXAMPLE0AB", hostedZoneName: "example.com" });
        expect(dev.waf).to.deep.equal({
            rateLimitPerIp: 2000,
            managedRuleGroups: [
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
                "AWSManagedRulesAmazonIpReputationList",
            ],
            blockedCountries: [],
            sensitivePaths: [{ path: "/login", limit: 100 }],
            countModeRules: [],
        });
        expect(resolve("prod").edge.domain).to.equal("example.com");
    });

    it("a stack without a domain gets no domain, no zone, and the secure WAF defaults", () => {
        const bare = resolve("dev", { ...NO_DOMAIN, "platform:waf.rateLimitPerIp": undefined, "platform:waf.sensitivePaths": undefined });
        expect(bare.edge).to.deep.equal({ domain: undefined, hostedZoneId: undefined, hostedZoneName: undefined });
        expect(bare.waf.rateLimitPerIp).to.equal(2000);
        expect(bare.waf.managedRuleGroups).to.have.length(4);
        expect(bare.waf.sensitivePaths).to.deep.equal([]);
    });

    it("extra groups follow the always-on ones; countries, paths and count-mode rules are typed", () => {
        const waf = resolve("dev", {
            "platform:waf.managedRuleGroups": ["AWSManagedRulesAnonymousIpList", "AWSManagedRulesLinuxRuleSet"],
            "platform:waf.blockedCountries": ["KP", "IR"],
            "platform:waf.sensitivePaths": [
                { path: "/login", limit: 100 },
                { path: "/Password/Reset", limit: 20 },
            ],
            "platform:waf.countModeRules": ["AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY", "AWSManagedRulesLinuxRuleSet:LFI_URIPATH"],
        }).waf;
        expect(waf.managedRuleGroups.slice(4)).to.deep.equal(["AWSManagedRulesAnonymousIpList", "AWSManagedRulesLinuxRuleSet"]);
        expect(waf.blockedCountries).to.deep.equal(["KP", "IR"]);
        expect(waf.sensitivePaths[1]).to.deep.equal({ path: "/Password/Reset", limit: 20 });
        expect(waf.countModeRules).to.deep.equal([
            { group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY" },
            { group: "AWSManagedRulesLinuxRuleSet", rule: "LFI_URIPATH" },
        ]);
    });

    it("a domain equal to the zone name is inside the zone", () => {
        expect(resolve("prod").edge).to.deep.include({ domain: "example.com", hostedZoneName: "example.com" });
    });

    it("knows all 249 assigned ISO 3166-1 alpha-2 codes and names a valid DNS name valid", () => {
        expect(ISO_COUNTRY_CODES.size).to.equal(249);
        expect(checkDnsName("a-b.dev.example.com")).to.equal(undefined);
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const cases: RejectedCase[] = [
            [
                "a domain outside the hosted zone",
                { "platform:apps": undefined, "platform:edge.domain": "app.example.org" },
                'platform:edge.domain: "app.example.org" is outside platform:edge.hostedZoneName "example.com"; expected "example.com" itself or a name ending in ".example.com" (the certificate is validated by records in that zone)',
            ],
            [
                "a domain that only ends with the zone's letters",
                { "platform:apps": undefined, "platform:edge.domain": "notexample.com" },
                'platform:edge.domain: "notexample.com" is outside platform:edge.hostedZoneName "example.com"; expected "example.com" itself or a name ending in ".example.com" (the certificate is validated by records in that zone)',
            ],
            [
                "a domain without a hosted zone",
                { "platform:edge.hostedZoneId": undefined, "platform:edge.hostedZoneName": undefined },
                [
                    'platform:edge.hostedZoneId: is not set, but platform:edge.domain is "dev.example.com"; expected the id of the Route 53 public hosted zone that holds it (for example "Z0123456789EXAMPLE0AB"), where the certificate\'s validation records go',
                    'platform:edge.hostedZoneName: is not set, but platform:edge.domain is "dev.example.com"; expected the name of the Route 53 public hosted zone that holds it (for example "example.com")',
                ],
            ],
            [
                "a domain without the zone's name",
                { "platform:edge.hostedZoneName": undefined },
                'platform:edge.hostedZoneName: is not set, but platform:edge.domain is "dev.example.com"; expected the name of the Route 53 public hosted zone that holds it (for example "example.com")',
            ],
            [
                "a hosted zone without a domain",
                { "platform:apps": undefined, "platform:edge.domain": undefined },
                [
                    'platform:edge.hostedZoneId: "Z0123456789EXAMPLE0AB" is set without platform:edge.domain; expected "" too, or platform:edge.domain set to a name in the zone',
                    'platform:edge.hostedZoneName: "example.com" is set without platform:edge.domain; expected "" too, or platform:edge.domain set to a name in the zone',
                ],
            ],
            [
                "a zone id with the /hostedzone/ prefix",
                { "platform:edge.hostedZoneId": "/hostedzone/Z0123456789EXAMPLE0AB" },
                'platform:edge.hostedZoneId: "/hostedzone/Z0123456789EXAMPLE0AB" is not a Route 53 hosted zone id; expected "Z" followed by up to 31 upper-case letters and digits (without "/hostedzone/"), for example "Z0123456789EXAMPLE0AB", or "" for none',
            ],
            [
                "a zone id in lower case",
                { "platform:edge.hostedZoneId": "z0123456789example0ab" },
                'platform:edge.hostedZoneId: "z0123456789example0ab" is not a Route 53 hosted zone id; expected "Z" followed by up to 31 upper-case letters and digits (without "/hostedzone/"), for example "Z0123456789EXAMPLE0AB", or "" for none',
            ],
            [
                "a wildcard domain (the program adds the wildcard itself)",
                { "platform:edge.domain": "*.dev.example.com" },
                'platform:edge.domain: "*.dev.example.com" is not a DNS name; expected lower-case labels of letters, digits and hyphens separated by dots, without a trailing dot or wildcard, for example "app.example.com"',
            ],
            [
                "a zone name with a trailing dot",
                { "platform:edge.hostedZoneName": "example.com." },
                'platform:edge.hostedZoneName: "example.com." is not a DNS name; expected lower-case labels of letters, digits and hyphens separated by dots, without a trailing dot or wildcard, for example "app.example.com"',
            ],
            [
                "a domain longer than a certificate's subject allows",
                { "platform:edge.domain": `${"a".repeat(53)}.example.com` },
                `platform:edge.domain: "${"a".repeat(53)}.example.com" is 65 characters long; expected at most 64`,
            ],
            [
                "a country code ISO 3166 does not assign (UK is GB)",
                { "platform:waf.blockedCountries": ["KP", "UK"] },
                'platform:waf.blockedCountries: ["KP","UK"] has the item "UK", which is not an ISO 3166-1 alpha-2 country code; expected two upper-case letters such as "DE" or "US" (here probably "GB")',
            ],
            [
                "a country code in lower case",
                { "platform:waf.blockedCountries": ["ru"] },
                'platform:waf.blockedCountries: ["ru"] has the item "ru", which is not an ISO 3166-1 alpha-2 country code; expected two upper-case letters such as "DE" or "US" (here probably "RU")',
            ],
            [
                "a path limit equal to the site-wide limit",
                { "platform:waf.sensitivePaths": [{ path: "/login", limit: 2000 }] },
                'platform:waf.sensitivePaths: has the limit 2000 for "/login", which is not below platform:waf.rateLimitPerIp (2000); expected a limit below 2000, so that the path is limited more tightly than the site',
            ],
            [
                "a path limit above a lowered site-wide limit",
                { "platform:waf.rateLimitPerIp": 500, "platform:waf.sensitivePaths": [{ path: "/api/token", limit: 600 }] },
                'platform:waf.sensitivePaths: has the limit 600 for "/api/token", which is not below platform:waf.rateLimitPerIp (500); expected a limit below 500, so that the path is limited more tightly than the site',
            ],
            [
                "a path that does not start with /",
                { "platform:waf.sensitivePaths": [{ path: "login", limit: 100 }] },
                'platform:waf.sensitivePaths[0]: has the path "login"; expected a URI path of at most 200 characters that starts with "/", for example "/login"',
            ],
            [
                "a path limit below WAF's minimum",
                { "platform:waf.sensitivePaths": [{ path: "/login", limit: 5 }] },
                'platform:waf.sensitivePaths[0]: has the limit 5 for "/login"; expected a whole number of requests per IP per 5 minutes from 10 to 2000000000',
            ],
            [
                "a path map with a misspelt field",
                { "platform:waf.sensitivePaths": [{ path: "/login", limt: 100 }] },
                'platform:waf.sensitivePaths[0]: has a path with the unknown field "limt"; expected only path and limit',
            ],
            [
                "the same path twice in different case",
                {
                    "platform:waf.sensitivePaths": [
                        { path: "/login", limit: 100 },
                        { path: "/LOGIN", limit: 50 },
                    ],
                },
                'platform:waf.sensitivePaths: lists the path "/login" more than once (paths match case-insensitively); expected distinct paths',
            ],
            [
                "a site-wide rate limit below WAF's minimum",
                { "platform:waf.rateLimitPerIp": 5 },
                'platform:waf.rateLimitPerIp: "5" is out of range; expected a whole number from 10 to 2000000000',
            ],
            [
                "an unknown managed rule group, with a suggestion",
                { "platform:waf.managedRuleGroups": ["AWSManagedRulesLinuxRuleSetX"] },
                `platform:waf.managedRuleGroups: ["AWSManagedRulesLinuxRuleSetX"] has the item "AWSManagedRulesLinuxRuleSetX", which is not an AWS managed rule group (did you mean AWSManagedRulesLinuxRuleSet?); expected one of: ${OPTIONAL}`,
            ],
            [
                "an always-on group listed again",
                { "platform:waf.managedRuleGroups": ["AWSManagedRulesCommonRuleSet"] },
                `platform:waf.managedRuleGroups: ["AWSManagedRulesCommonRuleSet"] has the item "AWSManagedRulesCommonRuleSet", which is always on; expected only groups to add: ${OPTIONAL}`,
            ],
            [
                "a paid group that needs its own configuration",
                { "platform:waf.managedRuleGroups": ["AWSManagedRulesATPRuleSet"] },
                `platform:waf.managedRuleGroups: ["AWSManagedRulesATPRuleSet"] has the item "AWSManagedRulesATPRuleSet", which is a paid intelligent-threat group that needs a ManagedRuleGroupConfig this key does not carry; expected one of: ${OPTIONAL}`,
            ],
            [
                "a count-mode rule of a group the web ACL does not run",
                { "platform:waf.countModeRules": ["AWSManagedRulesPHPRuleSet:PHPHighRiskMethodsVariables_BODY"] },
                'platform:waf.countModeRules: "AWSManagedRulesPHPRuleSet:PHPHighRiskMethodsVariables_BODY" names the rule PHPHighRiskMethodsVariables_BODY of AWSManagedRulesPHPRuleSet, which the web ACL does not run; expected a rule of one of: AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesAmazonIpReputationList (add the group to platform:waf.managedRuleGroups first)',
            ],
            [
                "a count-mode rule without its group",
                { "platform:waf.countModeRules": ["SizeRestrictions_BODY"] },
                'platform:waf.countModeRules: ["SizeRestrictions_BODY"] has the item "SizeRestrictions_BODY", which is not "<group>:<rule>"; expected an AWS managed rule group name, a colon and a rule name of letters, digits, _ and -, for example "AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY"',
            ],
        ];
        itRejects(cases);
    });

    it("a domain without any zone key reports both missing keys together", () => {
        const found = problems("dev", { "platform:edge.hostedZoneId": undefined, "platform:edge.hostedZoneName": undefined });
        expect(found.filter((m) => m.startsWith("platform:edge."))).to.have.length(2);
    });
});
