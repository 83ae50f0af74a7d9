/**
 * The runbooks keep Pulumi's state true. Every URN they write out, and every URN pattern they select
 * with, names resources the program registers, in the form the engine gives them (the mock runtime's
 * URNs carry only the parent's type; the engine's carry every ancestor's). The point-in-time restore
 * repoints the instance's ID before any refresh or update, polls renamed instances before waiting on
 * them, and restores every setting the program gives the instance (the managed master secret under the
 * data key included). The Kubernetes clean-up of destroy-stack.md removes no AWS resource from the
 * state. Every runbook that changes something outside `pulumi up` has a State note.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { sharedPlan, type Plan, type RecordedResource } from "../harness";

const RUNBOOKS = path.resolve(__dirname, "../../docs/runbooks");
const runbookFiles = fs.readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md"));
const read = (file: string): string => fs.readFileSync(path.join(RUNBOOKS, file), "utf8");
/** The shell code of a runbook: its ```sh blocks and its one-line `code` spans, joined. */
const shellOf = (text: string): string =>
    [...[...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]), ...[...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])].join("\n");

/**
 * The URN the Pulumi engine gives a resource: `urn:pulumi:<stack>::<project>::<type chain>::<name>`,
 * where the type chain is every ancestor's type (the root stack left out) and the resource's own type,
 * joined by `$`.
 */
function engineUrn(plan: Plan, resource: RecordedResource): string {
    const [, , stack, , project] = resource.urn.split(":");
    const types: string[] = [resource.type];
    for (let parent = plan.byUrn(resource.parent ?? ""); parent !== undefined; parent = plan.byUrn(parent.parent ?? "")) {
        if (parent.type !== "pulumi:pulumi:Stack") {
            types.unshift(parent.type);
        }
    }
    return `urn:pulumi:${stack}::${project}::${types.join("$")}::${resource.name}`;
}

/** The resources `pulumi state delete <urn> --target-dependents` removes with `root` (pulumi's DependingOn, children included). */
function dependentsOf(plan: Plan, root: RecordedResource): RecordedResource[] {
    const condemned = new Set([root.urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of plan.resources) {
            const provider = r.provider?.split("::").slice(0, -1).join("::");
            const on = [r.parent, provider, ...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
            if (!condemned.has(r.urn) && on.some((urn) => urn !== undefined && condemned.has(urn))) {
                condemned.add(r.urn);
                grew = true;
            }
        }
    }
    return plan.resources.filter((r) => r.urn !== root.urn && condemned.has(r.urn));
}

describe("delivery: the runbooks keep Pulumi's state true", () => {
    let prod: Plan;
    let urns: Map<string, RecordedResource>;
    before(async () => {
        prod = await sharedPlan("prod");
        urns = new Map(prod.resources.map((r) => [engineUrn(prod, r), r]));
    });

    it("the engine URNs are the mock's with the whole ancestry (the form the runbooks must write)", () => {
        const instance = prod.get("aws:rds/instance:Instance", "data-postgres-instance");
        expect(instance.urn).to.equal("urn:pulumi:prod::platform::platform:data:Postgres$aws:rds/instance:Instance::data-postgres-instance");
        expect(engineUrn(prod, instance)).to.equal(
            "urn:pulumi:prod::platform::platform:data:DataTier$platform:data:Postgres$aws:rds/instance:Instance::data-postgres-instance",
        );
    });

    it("every URN a runbook writes out is the engine URN of a resource of the program", () => {
        const written = runbookFiles.flatMap((file) => [...read(file).matchAll(/urn:pulumi:<stack>::platform::[^\s`'")]+/g)].map((m) => [file, m[0]]));
        expect(written.length).to.be.at.least(2);
        for (const [file, urn] of written) {
            expect([...urns.keys()], `${file}: ${urn}`).to.include(urn.replace("<stack>", "prod"));
        }
    });

    it("every URN pattern a runbook selects with matches the resources it means, and only those", () => {
        let count = 0;
        for (const file of runbookFiles) {
            const shell = shellOf(read(file));
            // grep -o 'urn:pulumi:[^ ]*<type>::<name>' over `pulumi stack --show-urns`: exactly one resource.
            for (const [, pattern] of shell.matchAll(/grep -o '(urn:pulumi:[^']+)'/g)) {
                count++;
                const matches = [...urns.keys()].filter((urn) => new RegExp(pattern).test(urn));
                expect(matches, `${file}: ${pattern}`).to.have.length(1);
            }
            // jq: select(.type == "<type>" and (.urn | endswith("::<name>"))): exactly one resource.
            for (const [, type, name] of shell.matchAll(/\.type == "([^"]+)" and \(\.urn \| endswith\("::([^"]+)"\)\)/g)) {
                count++;
                expect(
                    prod.ofType(type).filter((r) => r.name === name),
                    `${file}: ${type} ${name}`,
                ).to.have.length(1);
            }
            // jq: select(.type == "<type>" and (.urn | test("<regex>"))): at least one, each of that type.
            for (const [, type, regex] of shell.matchAll(/\.type == "([^"]+)" and \(\.urn \| test\("([^"]+)"\)\)/g)) {
                count++;
                const selected = [...urns].filter(([urn, r]) => r.type === type && new RegExp(regex).test(urn)).map(([, r]) => r.name);
                expect(selected, `${file}: ${regex}`).to.not.deep.equal([]);
                if (file === "restore-postgres-pitr.md") {
                    // Every application's database-user Job and migrations Job, nothing else.
                    const jobs = prod.ofType(type).filter((r) => /-database-user-job$|-migrations$/.test(r.name));
                    expect(selected.sort(), file).to.deep.equal(jobs.map((r) => r.name).sort());
                }
            }
        }
        expect(count).to.be.at.least(4);
    });

    describe("restore-postgres-pitr.md", () => {
        const text = read("restore-postgres-pitr.md");
        const shell = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
        const lines = shell.split("\n").map((l) => l.trim());
        const firstLine = (re: RegExp): number => lines.findIndex((l) => re.test(l));

        it("repoints the instance's ID in the state before any refresh, preview or up", () => {
            const importAt = firstLine(/^pulumi stack import /);
            expect(importAt).to.be.greaterThan(0);
            expect(firstLine(/^pulumi stack export /)).to.be.within(0, importAt);
            expect(shell).to.match(/\.id = \$id/);
            expect(shell).to.include('--arg id "$NEW_ID"');
            expect(shell).to.match(/NEW_ID=\$\(q DbiResourceId\)/);
            for (const command of [/^pulumi refresh /, /^pulumi preview /, /^pulumi up /]) {
                expect(firstLine(command), String(command)).to.be.greaterThan(importAt);
            }
        });

        it("stops the deploy workflow for the whole procedure", () => {
            expect(firstLine(/^gh workflow disable deploy\.yml/)).to.be.within(0, firstLine(/restore-db-instance-to-point-in-time/));
            expect(firstLine(/^gh workflow enable deploy\.yml/)).to.be.greaterThan(firstLine(/^pulumi up /));
        });

        it("after each rename polls until the renamed instance exists before waiting for it, and never calls the waiter on a renamed name", () => {
            const renames = lines.map((l, i) => [i, /--new-db-instance-identifier "([^"]+)"/.exec(l)?.[1]] as const).filter(([, to]) => to !== undefined);
            expect(renames.map(([, to]) => to)).to.deep.equal(["$SRC-damaged", "$SRC"]);
            for (const [i, to] of renames) {
                expect(lines[i + 1], `after the rename to ${to}`).to.match(new RegExp(`^wait_status "${to!.replace("$", "\\$")}" available`));
            }
            expect(shell).to.not.match(/aws rds wait db-instance-available/);
            // The poll treats an identifier RDS does not know (yet) as "absent" and keeps waiting.
            expect(shell).to.match(/\*DBInstanceNotFound\*\) echo absent/);
            expect(shell).to.match(/while s=\$\(rds_status "\$1"\) && \[ "\$s" != "\$2" \]/);
        });

        it("restores with the master password managed by RDS under the key the program uses for it", async () => {
            const restore = /aws rds restore-db-instance-to-point-in-time \\\n([\s\S]*?)\n(?!\s)/.exec(shell)?.[1] ?? "";
            expect(restore).to.include("--manage-master-user-password");
            expect(restore).to.include('--master-user-secret-kms-key-id "$(q KmsKeyId)"');
            const inputs = prod.inputsOf(prod.get("aws:rds/instance:Instance", "data-postgres-instance"));
            expect(inputs.manageMasterUserPassword).to.equal(true);
            // The restore reads the storage key (KmsKeyId) for the secret and Performance Insights: the program uses one key for all three.
            expect(inputs.masterUserSecretKmsKeyId).to.be.a("string").and.equal(inputs.kmsKeyId);
            expect(inputs.performanceInsightsKmsKeyId).to.equal(inputs.kmsKeyId);
        });

        it("gives the restored instance every setting the program gives the instance", () => {
            // Each input of the instance: the flag that sets it on the restore or the modify of step 2, or why none is needed.
            const flags: Record<string, string> = {
                instanceClass: "--db-instance-class",
                dbSubnetGroupName: "--db-subnet-group-name",
                parameterGroupName: "--db-parameter-group-name",
                vpcSecurityGroupIds: "--vpc-security-group-ids",
                publiclyAccessible: "--no-publicly-accessible",
                multiAz: "multi-az",
                storageType: "--storage-type",
                maxAllocatedStorage: "--max-allocated-storage",
                networkType: "--network-type",
                caCertIdentifier: "--ca-certificate-identifier",
                iamDatabaseAuthenticationEnabled: "--enable-iam-database-authentication",
                enabledCloudwatchLogsExports: "--enable-cloudwatch-logs-exports",
                backupRetentionPeriod: "--backup-retention-period",
                backupWindow: "--preferred-backup-window",
                autoMinorVersionUpgrade: "--auto-minor-version-upgrade",
                copyTagsToSnapshot: "--copy-tags-to-snapshot",
                deletionProtection: "deletion-protection",
                manageMasterUserPassword: "--manage-master-user-password",
                masterUserSecretKmsKeyId: "--master-user-secret-kms-key-id",
                tags: "--tags",
                monitoringInterval: "--monitoring-interval",
                monitoringRoleArn: "--monitoring-role-arn",
                performanceInsightsEnabled: "--enable-performance-insights",
                performanceInsightsKmsKeyId: "--performance-insights-kms-key-id",
                performanceInsightsRetentionPeriod: "--performance-insights-retention-period",
                maintenanceWindow: "--preferred-maintenance-window",
            };
            const fromSource = ["identifier", "engine", "engineVersion", "dbName", "username", "port", "allocatedStorage", "storageEncrypted", "kmsKeyId"];
            const providerOnly = ["skipFinalSnapshot", "finalSnapshotIdentifier", "deleteAutomatedBackups", "applyImmediately", "allowMajorVersionUpgrade"];
            const inputs = prod.inputsOf(prod.get("aws:rds/instance:Instance", "data-postgres-instance"));
            const set = Object.keys(inputs).filter((k) => inputs[k] !== undefined && !k.startsWith("__"));
            expect(
                set.filter((k) => !(k in flags) && !fromSource.includes(k) && !providerOnly.includes(k)),
                "inputs the runbook does not restore",
            ).to.deep.equal([]);
            for (const [input, flag] of Object.entries(flags)) {
                expect(set, `the program sets ${input}`).to.include(input);
                expect(shell, `${input}: ${flag}`).to.include(flag);
            }
        });

        it("takes the replicas and the proxy target out before the renames; refresh and up bring them back", () => {
            const firstRename = firstLine(/--new-db-instance-identifier/);
            expect(firstLine(/aws rds delete-db-instance --db-instance-identifier "\$r"/)).to.be.within(0, firstRename);
            expect(firstLine(/aws rds deregister-db-proxy-targets --db-proxy-name "\$SRC" --db-instance-identifiers "\$SRC"/)).to.be.within(0, firstRename);
            expect(prod.get("aws:rds/instance:Instance", "data-postgres-instance").outputs).to.have.property("identifier", "platform-prod-postgres");
        });
    });

    it("destroy-stack.md: the Kubernetes state clean-up removes Kubernetes resources and components only", () => {
        const provider = prod.get("pulumi:providers:kubernetes", "eks-kubernetes");
        const removed = dependentsOf(prod, provider);
        expect(removed.filter((r) => r.type.startsWith("kubernetes:")).length).to.be.greaterThan(20);
        expect(removed.filter((r) => r.custom && !r.type.startsWith("kubernetes:")).map((r) => r.urn)).to.deep.equal([]);
        expect(removed.filter((r) => r.protect).map((r) => r.urn)).to.deep.equal([]);
        // Every Kubernetes resource is among them: nothing is left that would need the gone cluster.
        const kubernetes = prod.resources.filter((r) => r.type.startsWith("kubernetes:"));
        expect(kubernetes.filter((r) => !removed.includes(r)).map((r) => r.urn)).to.deep.equal([]);
        expect(read("destroy-stack.md")).to.include('pulumi state delete --stack <stack> "$K8S" --target-dependents --yes');
    });

    it("every runbook that changes something outside pulumi up has a State note", () => {
        const outOfBand =
            /\baws [a-z0-9-]+ (modify|update|delete|deregister|restore|rotate)-|\bkubectl (delete|scale|annotate|apply|patch|edit|label(?![^\n]*--dry-run))\b|\bhelm (upgrade|rollback|install|uninstall)\b|\bpulumi (state|stack import|refresh)\b|\s--replace\b/;
        // The index only names the commands.
        const touching = runbookFiles.filter((file) => file !== "README.md" && outOfBand.test(shellOf(read(file))));
        expect(touching).to.include.members([
            "restore-postgres-pitr.md",
            "destroy-stack.md",
            "restore-namespace.md",
            "rotate-credentials.md",
            "upgrade-charts.md",
        ]);
        for (const file of touching) {
            expect(read(file), file).to.match(/^\*\*State\.\*\* |^## State$/m);
        }
    });
});
