import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    ENFORCED,
    NOT_APPLICABLE,
    NOT_ENFORCED,
    PEER_ID,
    PEERS,
    PROGRAM_TYPES,
    TOGETHER,
    coverageRows,
    isStructural,
    programSubjects,
} from "../../../policies/coverage";
import { rules } from "../../../policies/rules";
import { COVERAGE_DOCUMENT } from "../../../tools/generate";
import { readPolicyConfig } from "../../../tools/offline/policyRunner";
import { planWith, sharedPlan } from "../../harness";
import { sharedFile } from "../../components/eks/helpers";
import { catalogPeerIds } from "./catalogIds";

/** Ids that name a check of a peer tool, whatever the spelling (AVD-KSV-0007 is a misspelt KSV-0007). */
const TOOL_ID = /^(CKV|AVD-|KSV|KCV)/;

const peerIds = new Set(PEERS.checks.map((c) => c.id));
const tableFull = (rule: string) => ENFORCED.find((r) => r.rule === rule)?.full ?? [];
const tablePartial = (rule: string) => Object.keys(ENFORCED.find((r) => r.rule === rule)?.partial ?? {});

describe("the coverage table against checkov and trivy", () => {
    it("lists as fully enforced by a rule exactly the peer checks in that rule's sources", () => {
        for (const rule of rules) {
            const cited = rule.sources.filter((s) => PEER_ID.test(s));
            expect([...cited].sort(), rule.policy.name).to.deep.equal([...tableFull(rule.policy.name)].sort());
        }
    });

    it("lists as partly enforced by a rule exactly the peer checks in that rule's partial", () => {
        for (const rule of rules) {
            expect([...(rule.partial ?? [])].sort(), rule.policy.name).to.deep.equal([...tablePartial(rule.policy.name)].sort());
        }
    });

    it("names only rules of the pack", () => {
        const names = new Set(rules.map((r) => r.policy.name));
        for (const { rule } of ENFORCED) {
            expect(names.has(rule), rule).to.equal(true);
        }
        expect(new Set(ENFORCED.map((r) => r.rule)).size).to.equal(ENFORCED.length);
    });

    it("spells every peer id a rule cites as its tool does, and cites only checks the tools have", () => {
        for (const rule of rules) {
            for (const id of [...rule.sources, ...(rule.partial ?? [])].filter((s) => TOOL_ID.test(s))) {
                expect(id, rule.policy.name).to.match(PEER_ID);
                expect(peerIds.has(id), `${rule.policy.name}: ${id}`).to.equal(true);
            }
        }
    });

    it("puts each check in one place: enforced by rules, not enforced, or not applicable, each with its note or reason", () => {
        const places = new Map<string, string>();
        const place = (id: string, where: string) => {
            expect(peerIds.has(id), `${where}: ${id} is no check of the peers`).to.equal(true);
            const before = places.get(id);
            expect(before === undefined || before === where, `${id} is both ${before} and ${where}`).to.equal(true);
            places.set(id, where);
        };
        for (const { rule, full, partial = {}, notes = {} } of ENFORCED) {
            expect(new Set(full).size, rule).to.equal(full.length);
            full.forEach((id) => place(id, "enforced"));
            expect(
                full.filter((id) => id in partial),
                rule,
            ).to.deep.equal([]);
            for (const [id, note] of Object.entries(partial)) {
                place(id, "enforced");
                expect(note.length, `${rule} ${id}`).to.be.greaterThan(20);
            }
            expect(
                Object.keys(notes).filter((id) => !full.includes(id)),
                `${rule}: notes of checks it does not list as full`,
            ).to.deep.equal([]);
        }
        for (const [where, list] of [
            ["not enforced", NOT_ENFORCED],
            ["not applicable", NOT_APPLICABLE],
        ] as const) {
            for (const { reason, ids } of list) {
                expect(reason.length, ids.join(", ")).to.be.greaterThan(30);
                expect(ids.length, reason).to.be.greaterThan(0);
                ids.forEach((id) => place(id, where));
            }
        }
    });

    it("calls a check enforced by rules together only when at least two rules enforce parts of it and none all of it", () => {
        const rows = new Map(coverageRows().map((r) => [r.check.id, r]));
        for (const id of Object.keys(TOGETHER)) {
            const enforcedBy = rows.get(id)?.enforcedBy ?? [];
            expect(enforcedBy.length, id).to.be.greaterThan(1);
            expect(
                enforcedBy.map((e) => e.extent),
                id,
            ).to.not.include("full");
            expect(rows.get(id)?.status, id).to.equal("full");
        }
    });

    it("has a row for every check that reads what the program makes", () => {
        const rows = new Map(coverageRows().map((r) => [r.check.id, r]));
        const subjects = programSubjects();
        const reading = PEERS.checks.filter((c) => c.reads.some((s) => subjects.has(s)));
        expect(reading.length).to.be.greaterThan(400);
        for (const check of reading) {
            expect(rows.get(check.id)?.readsProgram, check.id).to.equal(true);
        }
    });

    it("maps exactly the resource types of the offline plans (dev, prod, prod with read replicas and an RDS Proxy)", async () => {
        const plans = [
            await sharedPlan("dev"),
            await sharedPlan("prod"),
            await planWith("prod", { "platform:database.readReplicas": 1, "platform:database.proxy": true }),
        ];
        const planned = new Set(plans.flatMap((p) => p.resources.map((r) => r.type)).filter((t) => !isStructural(t)));
        expect([...planned].sort()).to.deep.equal(Object.keys(PROGRAM_TYPES).sort());
    });

    it("maps the program's types to types the peers read", () => {
        const read = new Set(PEERS.checks.flatMap((c) => c.reads));
        const unread = Object.values(PROGRAM_TYPES)
            .flatMap((t) => t.peers)
            .filter((s) => !read.has(s));
        // Types no peer has a check for (yet): a misspelt mapping would land here too, so the list is spelt out.
        expect([...new Set(unread)].sort()).to.deep.equal([
            "aws_acm_certificate_validation",
            "aws_cloudwatch_event_rule",
            "aws_cloudwatch_event_target",
            "aws_db_proxy",
            "aws_db_proxy_default_target_group",
            "aws_db_proxy_target",
            "aws_db_subnet_group",
            "aws_eks_access_entry",
            "aws_eks_access_policy_association",
            "aws_eks_addon",
            "aws_elasticache_parameter_group",
            "aws_elasticache_subnet_group",
            "aws_flow_log",
            "aws_iam_openid_connect_provider",
            "aws_iam_service_linked_role",
            "aws_internet_gateway",
            "aws_kms_alias",
            "aws_nat_gateway",
            "aws_route_table_association",
            "aws_s3_bucket_logging",
            "aws_s3_bucket_object_lock_configuration",
            "aws_sns_topic_subscription",
            "aws_vpc_endpoint",
            "aws_wafv2_web_acl_association",
            "aws_wafv2_web_acl_logging_configuration",
            "k8s:Certificate",
            "k8s:ClusterIssuer",
            "k8s:EC2NodeClass",
            "k8s:ExternalSecret",
            "k8s:HorizontalPodAutoscaler",
            "k8s:Namespace",
            "k8s:NetworkPolicy",
            "k8s:NodePool",
            "k8s:PodDisruptionBudget",
            "k8s:PriorityClass",
            "k8s:PrometheusRule",
            "k8s:SecretStore",
            "k8s:ServiceMonitor",
            "k8s:StorageClass",
            "k8s:ValidatingAdmissionPolicy",
            "k8s:ValidatingAdmissionPolicyBinding",
            "random_password",
        ]);
    });

    it("covers every checkov and trivy id the hardening catalog cites", function () {
        const catalog = sharedFile("reference/hardening-catalog.md");
        if (catalog === undefined) {
            this.skip(); // ../shared is absent: nothing to compare against
        }
        const ids = catalogPeerIds(fs.readFileSync(catalog, "utf8"));
        expect(ids.length).to.be.greaterThan(200);
        const rows = new Set(coverageRows().map((r) => r.check.id));
        expect(ids.filter((id) => !rows.has(id))).to.deep.equal([]);
    });

    it("shows in docs/policy-coverage.md the level each stack's policy config gives the enforcing rule", () => {
        const configs = { dev: readPolicyConfig("dev"), prod: readPolicyConfig("prod") };
        const level = (stack: "dev" | "prod", rule: string) => {
            const entry = configs[stack][rule];
            return typeof entry === "string" ? entry : entry?.enforcementLevel;
        };
        const lines = fs
            .readFileSync(COVERAGE_DOCUMENT, "utf8")
            .split("\n")
            .filter((l) => /^\| (CKV|AVD|KSV|KCV)/.test(l));
        const enforcements = ENFORCED.reduce((n, r) => n + r.full.length + Object.keys(r.partial ?? {}).length, 0);
        expect(lines.length, path.relative(process.cwd(), COVERAGE_DOCUMENT)).to.equal(enforcements);
        for (const line of lines) {
            const [id, , , rule, extent, dev, prod] = line.split(" | ").map((c) => c.replace(/^\| /, "").replace(/`/g, ""));
            expect(level("dev", rule), `${id} ${rule}`).to.equal(dev);
            expect(level("prod", rule), `${id} ${rule}`).to.equal(prod);
            expect(extent === "full" ? tableFull(rule) : tablePartial(rule), `${id} ${rule}`).to.include(id);
        }
    });
});
