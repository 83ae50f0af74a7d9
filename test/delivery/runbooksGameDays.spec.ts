/**
 * docs/runbooks/game-days.md: every drill has its commands, expected alerts, impact and measurement; the
 * alerts it names exist (platform, application and data-tier alerts of the program); and every resource
 * name its commands use is a name the program gives a resource in both stacks' plans.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PLATFORM_ALERT_NAMES } from "../../components/addons/platformAlerts";
import { alertRules } from "../../components/apps/monitoring";
import { webAclRules } from "../../components/edge/webAcl";
import { sharedPlan } from "../harness";
import { resolve } from "../config/resolve";

const TEXT = fs.readFileSync(path.resolve(__dirname, "../../docs/runbooks/game-days.md"), "utf8");
const shell = [...TEXT.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
const drills = TEXT.split(/^## /m).slice(1);

/** Every alert name the program defines: platform rules, each application's rules, the data tier's alarm kinds. */
function knownAlerts(): string[] {
    const dev = resolve("dev");
    const appAlerts = dev.apps.flatMap((app) => alertRules(app, `app-${app.name}`).map((r) => r.alert));
    const dataKinds = [
        "postgres-cpu",
        "postgres-free-storage",
        "postgres-connections",
        "postgres-replica-lag",
        "redis-memory",
        "redis-engine-cpu",
        "redis-evictions",
    ];
    return [...PLATFORM_ALERT_NAMES, ...appAlerts, ...dataKinds];
}

describe("delivery: runbooks: game days", () => {
    it("has the five drills, each with commands, expected alerts, expected impact and how to measure it", () => {
        expect(drills.map((d) => d.split("\n")[0])).to.deep.equal([
            "1. Node loss",
            "2. RDS failover",
            "3. ElastiCache failover",
            "4. Loss of an availability zone",
            "5. The WAF under a rate flood",
        ]);
        for (const drill of drills) {
            const title = drill.split("\n")[0];
            expect(drill, title).to.match(/```sh\n/);
            for (const part of ["- **Expected alerts**:", "- **Expected impact**:", "- **Measure**:"]) {
                expect(drill, `${title}: ${part}`).to.include(part);
            }
        }
    });

    it("runs the failovers the way AWS offers them", () => {
        expect(shell).to.include("aws rds reboot-db-instance --db-instance-identifier platform-$STACK-postgres --force-failover");
        expect(shell).to.include("aws elasticache test-failover --replication-group-id platform-$STACK-redis --node-group-id 0001");
        expect(shell).to.include("aws ec2 terminate-instances");
        expect(shell).to.include("kubectl drain -l topology.kubernetes.io/zone=$ZONE");
    });

    it("names only alerts that exist, each linked to its section in alerts.md", () => {
        const known = knownAlerts();
        const linked = [...TEXT.matchAll(/\[([A-Za-z-]+)\]\(alerts\.md#([a-z-]+)\)/g)];
        expect(linked.length).to.be.greaterThan(8);
        for (const [, name, anchor] of linked) {
            expect(known, name).to.include(name);
            expect(anchor, name).to.equal(name.toLowerCase());
        }
        // Every drill says which alerts to expect by linking them, or says there is none.
        for (const drill of drills) {
            const line = drill.split("\n").find((l) => l.startsWith("- **Expected alerts**:"))!;
            expect(/\]\(alerts\.md#|none/.test(drill.slice(drill.indexOf(line), drill.indexOf("- **Expected impact**:"))), drill.split("\n")[0]).to.equal(true);
        }
    });

    it("the WAF drill's rule is a rule of the web ACL", () => {
        const rules = webAclRules("platform-dev", resolve("dev").waf).map((r) => r.name);
        expect(rules).to.include("rate-limit-per-ip");
        expect(TEXT).to.include("--rule-name rate-limit-per-ip");
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`every platform-$STACK-… name in the commands is a name the program gives a resource of ${stack}`, async function () {
            this.timeout(120000);
            const plan = await sharedPlan(stack);
            const values = new Set<string>();
            const collect = (v: unknown): void => {
                if (typeof v === "string") {
                    values.add(v);
                } else if (Array.isArray(v)) {
                    v.forEach(collect);
                } else if (v !== null && typeof v === "object") {
                    Object.values(v).forEach(collect);
                }
            };
            plan.resources.forEach((r) => collect(plan.inputsOf(r)));
            const names = [...new Set([...TEXT.matchAll(/platform-\$STACK-[a-z0-9-]*[a-z0-9]/g)].map((m) => m[0].replace("$STACK", stack)))];
            expect(names).to.include.members([`platform-${stack}-postgres`, `platform-${stack}-redis`, `platform-${stack}-eks`, `platform-${stack}-web-acl`]);
            for (const name of names) {
                expect(values.has(name), name).to.equal(true);
            }
        });
    }
});
