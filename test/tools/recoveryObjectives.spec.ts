import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveConfig } from "../../config";
import { buildStackConfig, readProjectFile, readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { cronMinutesOfWeek, formatMinutes, longestBackupGapMinutes, recoveryObjectives } from "../../tools/recoveryObjectives";

const RUNBOOK = path.resolve(__dirname, "../../docs/runbooks/disaster-recovery.md");

describe("recovery objectives", () => {
    it("reads cron schedules as Velero does", () => {
        expect(cronMinutesOfWeek("15 */6 * * *").slice(0, 5)).to.deep.equal([15, 375, 735, 1095, 1455]);
        expect(cronMinutesOfWeek("@daily")).to.have.length(7);
        expect(cronMinutesOfWeek("0 3 * * mon")).to.deep.equal([1440 + 180]);
        expect(cronMinutesOfWeek("5/20 1-2 * * *").slice(0, 6)).to.deep.equal([65, 85, 105, 125, 145, 165]);
    });

    it("the namespaces' RPO is the longest gap between backups of all schedules together", () => {
        expect(longestBackupGapMinutes([{ name: "a", schedule: "15 */6 * * *", ttlDays: 1, namespaces: [] }])).to.equal(360);
        expect(
            longestBackupGapMinutes([
                { name: "a", schedule: "0 0 * * *", ttlDays: 1, namespaces: [] },
                { name: "b", schedule: "0 12 * * *", ttlDays: 1, namespaces: [] },
            ]),
        ).to.equal(720);
        expect(longestBackupGapMinutes([{ name: "w", schedule: "0 0 * * 0", ttlDays: 1, namespaces: [] }])).to.equal(7 * 24 * 60);
    });

    it("prod's objectives are what docs/runbooks/disaster-recovery.md states", () => {
        const prod = resolveConfig({ stack: "prod", values: buildStackConfig(readProjectFile(), readStackFile(stackFilePath("prod"))).values });
        const objectives = recoveryObjectives(prod);
        expect(objectives).to.deep.equal({ databaseRpoMinutes: 20, namespacesRpoMinutes: 375, rtoMinutes: 90 });
        const runbook = fs.readFileSync(RUNBOOK, "utf8");
        const row = (label: string): string => runbook.split("\n").find((line) => line.startsWith(`| ${label}`)) ?? "";
        expect(row("RPO, Postgres")).to.include(`**${formatMinutes(objectives.databaseRpoMinutes)}**`);
        expect(row("RPO, application namespaces")).to.include(`**${formatMinutes(objectives.namespacesRpoMinutes)}**`);
        expect(row("RTO")).to.include(`**${formatMinutes(objectives.rtoMinutes)}**`);
    });
});
