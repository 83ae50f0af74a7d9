import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigValidationError, resolveConfig, type OtherStackFile } from "../../config";
import { readOtherStackFiles } from "../../config/stackFiles";
import { REPO_ROOT, readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { itRejects, problems, raw, resolve, type RejectedCase } from "./resolve";

const OWNER_ID = "platform:externalDns.txtOwnerId";
const POLICY = "platform:externalDns.policy";
const SHARED_HINT =
    "expected an id no other stack uses (change it in one of the two files; the default <project>-<stack>-eks differs for every stack): two external-dns instances with one owner id take each other's records for their own";

/** The messages of resolving dev (with overrides) next to the given other stack files. */
function problemsBeside(otherStacks: readonly OtherStackFile[], overrides: Record<string, unknown> = {}): string[] {
    try {
        resolveConfig({ stack: "dev", values: raw("dev", overrides), otherStacks });
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigValidationError);
        return (error as ConfigValidationError).problems.map((p) => p.message);
    }
    throw new Error("expected the config to be rejected");
}

/** The dev stack file's applications, moved to another host. */
function appsOnHost(host: string): unknown[] {
    return (readStackFile(stackFilePath("dev"))["platform:apps"] as Record<string, unknown>[]).map((app) => ({ ...app, host }));
}

describe("stack configuration: external-dns", () => {
    it("dev and prod resolve to owner ids of their own stack and cluster, sync in dev and upsert-only in prod", () => {
        expect(resolve("dev").externalDns).to.deep.equal({ txtOwnerId: "platform-dev-eks", policy: "sync" });
        expect(resolve("prod").externalDns).to.deep.equal({ txtOwnerId: "platform-prod-eks", policy: "upsert-only" });
    });

    it("secure default: a stack that sets no policy never deletes a record", () => {
        expect(resolve("dev", { [POLICY]: undefined }).externalDns.policy).to.equal("upsert-only");
    });

    it("the checked-in stack files do not share an owner id", () => {
        for (const stack of ["dev", "prod"] as const) {
            const others = readOtherStackFiles(REPO_ROOT, stack);
            expect(others.map((o) => o.file)).to.include(stack === "dev" ? "Pulumi.prod.yaml" : "Pulumi.dev.yaml");
            expect(() => resolveConfig({ stack, values: raw(stack), otherStacks: others })).to.not.throw();
        }
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const cases: RejectedCase[] = [
            [
                "an owner id with a comma (it would break the TXT record's key=value list)",
                { [OWNER_ID]: "platform,dev" },
                'platform:externalDns.txtOwnerId: "platform,dev" is not an owner id; expected 1 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit (for example "platform-dev-eks"), or "" for the default <project>-<stack>-eks',
            ],
            ["an unknown policy", { [POLICY]: "create-only" }, 'platform:externalDns.policy: "create-only" is not allowed; expected one of: upsert-only, sync'],
            [
                "application hosts outside the hosted zone",
                { "platform:edge.domain": "dev.example.org", "platform:apps": appsOnHost("app.dev.example.org") },
                [
                    'platform:edge.domain: "dev.example.org" is outside platform:edge.hostedZoneName "example.com"; expected "example.com" itself or a name ending in ".example.com" (the certificate is validated by records in that zone)',
                    'platform:apps: the application "api" has the host "app.dev.example.org", which is outside platform:edge.hostedZoneName "example.com"; expected a name in that zone (external-dns publishes records there only, so the host would never resolve)',
                    'platform:apps: the application "web" has the host "app.dev.example.org", which is outside platform:edge.hostedZoneName "example.com"; expected a name in that zone (external-dns publishes records there only, so the host would never resolve)',
                ],
            ],
        ];
        itRejects(cases);

        it("rejects sync in prod", () => {
            expect(problems("prod", { [POLICY]: "sync" })).to.deep.equal([
                'platform:externalDns.policy: "sync" is not allowed in prod; expected "upsert-only": prod\'s external-dns creates and updates records but never deletes one (stale records are removed by hand, docs/runbooks/dns.md)',
            ]);
        });

        it("rejects an owner id another stack file sets, naming both files", () => {
            expect(problemsBeside([{ file: "Pulumi.staging.yaml", stack: "staging", txtOwnerId: "shared" }], { [OWNER_ID]: "shared" })).to.deep.equal([
                `platform:externalDns.txtOwnerId: the owner id "shared" that Pulumi.dev.yaml sets is also the owner id "shared" that Pulumi.staging.yaml sets (stack "staging"); ${SHARED_HINT}`,
            ]);
        });

        it("rejects an id another file sets that is this stack's default, and one that is another stack's default", () => {
            expect(problemsBeside([{ file: "Pulumi.staging.yaml", stack: "staging", txtOwnerId: "platform-dev-eks" }])).to.deep.equal([
                `platform:externalDns.txtOwnerId: the default owner id "platform-dev-eks" of Pulumi.dev.yaml is also the owner id "platform-dev-eks" that Pulumi.staging.yaml sets (stack "staging"); ${SHARED_HINT}`,
            ]);
            expect(problemsBeside([{ file: "Pulumi.staging.yaml", stack: "staging" }], { [OWNER_ID]: "platform-staging-eks" })).to.deep.equal([
                `platform:externalDns.txtOwnerId: the owner id "platform-staging-eks" that Pulumi.dev.yaml sets is also the default owner id "platform-staging-eks" of Pulumi.staging.yaml (stack "staging"); ${SHARED_HINT}`,
            ]);
        });
    });

    describe("the other stack files of the project", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
        });
        afterEach(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("are every Pulumi.<stack>.yaml but the stack's own, with the owner id each sets, namespaced or bare", () => {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: platform\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  platform:externalDns.txtOwnerId: mine\n");
            fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  platform:externalDns.txtOwnerId: team-a\n");
            fs.writeFileSync(path.join(dir, "Pulumi.qa.yml"), "config:\n  externalDns.txtOwnerId: team-b\n");
            fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), "config:\n  aws:region: eu-west-1\n");
            fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config: [unclosed\n");
            expect(readOtherStackFiles(dir, "dev")).to.deep.equal([
                { file: "Pulumi.prod.yaml", stack: "prod", txtOwnerId: "team-a" },
                { file: "Pulumi.qa.yml", stack: "qa", txtOwnerId: "team-b" },
                { file: "Pulumi.staging.yaml", stack: "staging", txtOwnerId: undefined },
            ]);
        });

        it("a recovery stack may take over the owner id of the stack it recovers (the DNS cutover), and that stack's run accepts it", () => {
            fs.writeFileSync(
                path.join(dir, "Pulumi.dev-recovery.yaml"),
                "config:\n  platform:externalDns.txtOwnerId: platform-dev-eks\n  platform:restore.enabled: true\n  platform:restore.sourceStack: dev\n",
            );
            const others = readOtherStackFiles(dir, "dev");
            expect(others).to.deep.equal([{ file: "Pulumi.dev-recovery.yaml", stack: "dev-recovery", txtOwnerId: "platform-dev-eks", restoresStack: "dev" }]);
            expect(() => resolveConfig({ stack: "dev", values: raw("dev"), otherStacks: others })).to.not.throw();
            // Without restore.enabled the same file is a copy that kept the id: refused.
            fs.writeFileSync(
                path.join(dir, "Pulumi.dev-recovery.yaml"),
                "config:\n  platform:externalDns.txtOwnerId: platform-dev-eks\n  platform:restore.sourceStack: dev\n",
            );
            expect(problemsBeside(readOtherStackFiles(dir, "dev"))).to.have.length(1);
        });

        it("a copied stack file that keeps its owner id is refused by the copy's run", () => {
            fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  platform:externalDns.txtOwnerId: platform-dev-eks\n");
            expect(problemsBeside(readOtherStackFiles(dir, "dev"))).to.deep.equal([
                `platform:externalDns.txtOwnerId: the default owner id "platform-dev-eks" of Pulumi.dev.yaml is also the owner id "platform-dev-eks" that Pulumi.prod.yaml sets (stack "prod"); ${SHARED_HINT}`,
            ]);
        });
    });
});
