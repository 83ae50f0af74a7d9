/**
 * Config keys of the edge: the application domain and its Route 53 hosted zone (for the ACM
 * certificate), and the AWS WAF web ACL in front of the application load balancers (managed rule
 * groups, rate limits, country blocking, rules switched to count mode).
 */
import { integer, list, objectList, show, text, type Parsed } from "../fields";
import { nearest } from "../suggest";

/**
 * The AWS managed rule groups the web ACL may run, with their capacity (WCU). Source:
 * /work/shared/reference/aws-versions.json, section `waf.managedRuleGroups` (as of 2026-10-05; names
 * from the WAF developer guide; check live with `aws wafv2 list-available-managed-rule-groups --scope
 * REGIONAL`).
 */
export const AWS_MANAGED_RULE_GROUPS = {
    AWSManagedRulesCommonRuleSet: { wcu: 700, category: "baseline" },
    AWSManagedRulesAdminProtectionRuleSet: { wcu: 100, category: "baseline" },
    AWSManagedRulesKnownBadInputsRuleSet: { wcu: 200, category: "baseline" },
    AWSManagedRulesSQLiRuleSet: { wcu: 200, category: "use-case" },
    AWSManagedRulesLinuxRuleSet: { wcu: 200, category: "use-case" },
    AWSManagedRulesUnixRuleSet: { wcu: 100, category: "use-case" },
    AWSManagedRulesWindowsRuleSet: { wcu: 200, category: "use-case" },
    AWSManagedRulesPHPRuleSet: { wcu: 100, category: "use-case" },
    AWSManagedRulesWordPressRuleSet: { wcu: 100, category: "use-case" },
    AWSManagedRulesAmazonIpReputationList: { wcu: 25, category: "ip-reputation" },
    AWSManagedRulesAnonymousIpList: { wcu: 50, category: "ip-reputation" },
    AWSManagedRulesBotControlRuleSet: { wcu: 50, category: "intelligent-threat" },
    AWSManagedRulesATPRuleSet: { wcu: 50, category: "intelligent-threat" },
    AWSManagedRulesACFPRuleSet: { wcu: 50, category: "intelligent-threat" },
    AWSManagedRulesAntiDDoSRuleSet: { wcu: 50, category: "intelligent-threat" },
} as const;

/** The name of an AWS managed rule group. */
export type ManagedRuleGroupName = keyof typeof AWS_MANAGED_RULE_GROUPS;

/**
 * The groups every web ACL runs, whatever the config says: the core rule set (OWASP Top 10 style),
 * known bad inputs (Log4j and similar), SQL injection and the Amazon IP reputation list.
 */
export const ALWAYS_ON_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
] as const satisfies readonly ManagedRuleGroupName[];

const ALL_GROUP_NAMES = Object.keys(AWS_MANAGED_RULE_GROUPS) as ManagedRuleGroupName[];

/**
 * The groups `waf.managedRuleGroups` may add: the catalogue without the always-on groups and without the
 * paid intelligent-threat groups, which need a ManagedRuleGroupConfig (login or registration paths,
 * inspection level) that this key does not carry.
 */
export const OPTIONAL_RULE_GROUPS = ALL_GROUP_NAMES.filter(
    (name) => !(ALWAYS_ON_RULE_GROUPS as readonly string[]).includes(name) && AWS_MANAGED_RULE_GROUPS[name].category !== "intelligent-threat",
);

/** The lowest and highest limit AWS WAF accepts in a rate-based statement. */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;

/**
 * The officially assigned ISO 3166-1 alpha-2 country codes (249), the codes a WAF geo match statement
 * takes.
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
    (
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
        "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
        "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
        "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
    ).split(" "),
);

/** Codes people write that ISO 3166-1 spells differently. */
const COUNTRY_CODE_HINTS: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };

/** A path the web ACL rate-limits more tightly than the rest of the site. */
export interface SensitivePath {
    /** URI path prefix, matched case-insensitively after URL decoding (`/login` also covers `/login/`, `/login?x`). */
    readonly path: string;
    /** Requests per IP per 5 minutes to this path before WAF answers 429. */
    readonly limit: number;
}

/** A rule of a managed rule group that the web ACL only counts (for rules known to block legitimate traffic). */
export interface CountModeRule {
    /** The managed rule group. */
    readonly group: ManagedRuleGroupName;
    /** The rule's name inside the group, as in the group's documentation (for example `SizeRestrictions_BODY`). */
    readonly rule: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// The certificate's subject CN holds the domain, and X.509 limits it to 64 characters.
const MAX_DOMAIN_LENGTH = 64;
const ZONE_ID = /^Z[0-9A-Z]{1,31}$/;
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
// A byte match statement's search string holds at most 200 bytes.
const MAX_PATH_LENGTH = 200;
const RULE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Checks a DNS name: lower-case labels, at least two of them, no trailing dot, no wildcard. */
export function checkDnsName(value: string, maxLength = 253): string | undefined {
    const labels = value.split(".");
    if (value.length > maxLength) {
        return `is ${value.length} characters long; expected at most ${maxLength}`;
    }
    if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels[labels.length - 1])) {
        return 'is not a DNS name; expected lower-case labels of letters, digits and hyphens separated by dots, without a trailing dot or wildcard, for example "app.example.com"';
    }
    return undefined;
}

function checkZoneId(value: string): string | undefined {
    if (value === "" || ZONE_ID.test(value)) {
        return undefined;
    }
    return 'is not a Route 53 hosted zone id; expected "Z" followed by up to 31 upper-case letters and digits (without "/hostedzone/"), for example "Z0123456789EXAMPLE0AB", or "" for none';
}

function checkManagedGroup(value: string): string | undefined {
    if ((OPTIONAL_RULE_GROUPS as readonly string[]).includes(value)) {
        return undefined;
    }
    const optional = OPTIONAL_RULE_GROUPS.join(", ");
    if ((ALWAYS_ON_RULE_GROUPS as readonly string[]).includes(value)) {
        return `is always on; expected only groups to add: ${optional}`;
    }
    if ((ALL_GROUP_NAMES as readonly string[]).includes(value)) {
        return `is a paid intelligent-threat group that needs a ManagedRuleGroupConfig this key does not carry; expected one of: ${optional}`;
    }
    const suggestion = nearest(value, ALL_GROUP_NAMES);
    return `is not an AWS managed rule group${suggestion ? ` (did you mean ${suggestion}?)` : ""}; expected one of: ${optional}`;
}

function checkCountry(value: string): string | undefined {
    if (ISO_COUNTRY_CODES.has(value)) {
        return undefined;
    }
    const hint = COUNTRY_CODE_HINTS[value.toUpperCase()] ?? (ISO_COUNTRY_CODES.has(value.toUpperCase()) ? value.toUpperCase() : undefined);
    return `is not an ISO 3166-1 alpha-2 country code; expected two upper-case letters such as "DE" or "US"${hint ? ` (here probably "${hint}")` : ""}`;
}

function parseSensitivePath(value: Readonly<Record<string, unknown>>): Parsed<SensitivePath> {
    const unknown = Object.keys(value).find((k) => k !== "path" && k !== "limit");
    if (unknown !== undefined) {
        return { problem: `has a path with the unknown field ${show(unknown)}; expected only path and limit` };
    }
    const { path, limit } = value;
    if (typeof path !== "string" || !PATH.test(path) || path.length > MAX_PATH_LENGTH) {
        return {
            problem: `has the path ${show(path)}; expected a URI path of at most ${MAX_PATH_LENGTH} characters that starts with "/", for example "/login"`,
        };
    }
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < RATE_LIMIT_RANGE.min || limit > RATE_LIMIT_RANGE.max) {
        return {
            problem: `has the limit ${show(limit)} for ${show(path)}; expected a whole number of requests per IP per 5 minutes from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}`,
        };
    }
    return { value: { path, limit } };
}

function parseCountModeRule(value: string): CountModeRule | undefined {
    const [group, rule, ...rest] = value.split(":");
    return rest.length === 0 && rule !== undefined && (ALL_GROUP_NAMES as string[]).includes(group) && RULE_NAME.test(rule)
        ? { group: group as ManagedRuleGroupName, rule }
        : undefined;
}

/** Splits the items of `waf.countModeRules` (already validated) into group and rule. */
export function countModeRules(values: readonly string[]): CountModeRule[] {
    return values.map((value) => parseCountModeRule(value) as CountModeRule);
}

/** The edge keys. */
export const edgeKeys = {
    "edge.domain": text<string>({
        description:
            'Application domain, for example "dev.example.com": the ACM certificate covers it and *.<domain>, and application hosts are the domain or one label under it. Requires edge.hostedZoneId and edge.hostedZoneName. Empty: no certificate and no public hosts.',
        default: "",
        check: (value) => (value === "" ? undefined : checkDnsName(value, MAX_DOMAIN_LENGTH)),
    }),
    "edge.hostedZoneId": text<string>({
        description:
            "Id of the Route 53 public hosted zone that holds edge.domain; the certificate's DNS validation records go there. Set exactly when edge.domain is.",
        default: "",
        check: checkZoneId,
    }),
    "edge.hostedZoneName": text<string>({
        description:
            'Name of that hosted zone, for example "example.com" (no trailing dot); edge.domain must be the zone name or inside it. Set exactly when edge.domain is.',
        default: "",
        check: (value) => (value === "" ? undefined : checkDnsName(value)),
    }),
    "waf.rateLimitPerIp": integer({
        description:
            "Requests one client IP may send in any 5 minutes before the web ACL answers 429 (AWS WAF accepts 10 to 2,000,000,000). Sized for browsers behind shared NAT; lower it for APIs.",
        default: 2000,
        min: RATE_LIMIT_RANGE.min,
        max: RATE_LIMIT_RANGE.max,
    }),
    "waf.managedRuleGroups": list<string>({
        description: `AWS managed rule groups the web ACL runs on top of the always-on ${ALWAYS_ON_RULE_GROUPS.join(", ")}: any of ${OPTIONAL_RULE_GROUPS.join(", ")}.`,
        default: [],
        unique: true,
        item: checkManagedGroup,
    }),
    "waf.blockedCountries": list<string>({
        description: 'ISO 3166-1 alpha-2 codes of countries whose requests the web ACL blocks (for example ["KP"]). Empty: no country block.',
        default: [],
        unique: true,
        item: checkCountry,
    }),
    "waf.sensitivePaths": objectList<SensitivePath>({
        description:
            "Paths rate-limited more tightly than the site (login, password reset, sign-up): a list of {path, limit}, where path is a URI prefix starting with / (matched case-insensitively) and limit the requests per IP per 5 minutes, below waf.rateLimitPerIp.",
        typeName: "list of {path, limit}",
        default: [],
        item: parseSensitivePath,
        check: (items) => {
            const paths = items.map((p) => p.path.toLowerCase());
            const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
            if (duplicate !== undefined) {
                return `lists the path ${show(duplicate)} more than once (paths match case-insensitively); expected distinct paths`;
            }
            return items.length > 10 ? `has ${items.length} paths; expected at most 10` : undefined;
        },
    }),
    "waf.countModeRules": list<string>({
        description:
            'Rules of the managed groups the web ACL only counts instead of blocking, as "<group>:<rule>" (for example "AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY" for an app that takes uploads over 8 KB). For rules proven to block legitimate traffic; the group must be one the web ACL runs.',
        default: [],
        unique: true,
        item: (value) =>
            parseCountModeRule(value) === undefined
                ? `is not "<group>:<rule>"; expected an AWS managed rule group name, a colon and a rule name of letters, digits, _ and -, for example "AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY"`
                : undefined,
    }),
};
