import { expect } from "chai";
import { checkCron } from "../../config/keys/addons";
import { problems, resolve, itRejects, type RejectedCase } from "./resolve";

const SCHEDULES = "platform:velero.schedules";
const FIELD_HINT = "as single values, ranges a-b, steps /n and comma lists";

describe("stack configuration: add-ons (cert-manager, Velero)", () => {
    it("dev and prod resolve to their ACME emails and backup schedules", () => {
        expect(resolve("dev").certManager).to.deep.equal({ acmeEmail: "platform-team@example.com" });
        expect(resolve("dev").velero.schedules).to.deep.equal([{ name: "daily", schedule: "0 3 * * *", ttlDays: 7, namespaces: [] }]);
        expect(resolve("prod").velero.schedules).to.deep.equal([
            { name: "six-hourly", schedule: "15 */6 * * *", ttlDays: 30, namespaces: [] },
            { name: "daily", schedule: "45 2 * * *", ttlDays: 90, namespaces: [] },
        ]);
    });

    it("secure defaults: a stack that sets no schedule gets a daily backup kept 30 days, which prod accepts", () => {
        expect(resolve("prod", { [SCHEDULES]: undefined }).velero.schedules).to.deep.equal([
            { name: "daily", schedule: "0 3 * * *", ttlDays: 30, namespaces: [] },
        ]);
    });

    it("a stack without a public domain needs no ACME email", () => {
        const config = resolve("dev", {
            "platform:edge.domain": undefined,
            "platform:edge.hostedZoneId": undefined,
            "platform:edge.hostedZoneName": undefined,
            "platform:certManager.acmeEmail": undefined,
            "platform:apps": undefined,
        });
        expect(config.certManager).to.deep.equal({ acmeEmail: undefined });
    });

    it("accepts cron values, ranges, steps, lists, names and macros", () => {
        for (const expression of [
            "0 3 * * *",
            "*/15 0-6,22-23 1-31/2 jan-jun mon-fri",
            "5/10 * * * SUN",
            "0 0 1 1 0",
            "@daily",
            "@hourly",
            "@weekly",
            " 30 2 * * 6 ",
        ]) {
            expect(checkCron(expression), expression).to.equal(undefined);
        }
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const cases: RejectedCase[] = [
            [
                "an ACME email that is not an address",
                { "platform:certManager.acmeEmail": "platform-team" },
                'platform:certManager.acmeEmail: "platform-team" is not an email address; expected one address such as "platform-team@example.com" (Let\'s Encrypt sends expiry and policy notices there), or "" when platform:edge.domain is empty',
            ],
            [
                "a public domain without an ACME email",
                { "platform:certManager.acmeEmail": undefined },
                'platform:certManager.acmeEmail: is not set, but platform:edge.domain is "dev.example.com"; expected the email of the Let\'s Encrypt account that issues its certificates (for example "platform-team@example.com")',
            ],
            [
                "a schedule of four fields",
                { [SCHEDULES]: [{ name: "daily", schedule: "0 3 * *", ttlDays: 7 }] },
                `${SCHEDULES}[0].schedule: has the schedule "daily" with the cron expression "0 3 * *", which has 4 fields; expected 5 (minute hour day-of-month month day-of-week, for example "0 3 * * *") or a macro such as @daily`,
            ],
            [
                "an hour out of range",
                { [SCHEDULES]: [{ name: "daily", schedule: "0 24 * * *", ttlDays: 7 }] },
                `${SCHEDULES}[0].schedule: has the schedule "daily" with the cron expression "0 24 * * *", which has the hour field "24"; expected * or values from 0 to 23, ${FIELD_HINT}`,
            ],
            [
                "a backwards range in the day of week",
                { [SCHEDULES]: [{ name: "weekly", schedule: "0 3 * * fri-mon", ttlDays: 7 }] },
                `${SCHEDULES}[0].schedule: has the schedule "weekly" with the cron expression "0 3 * * fri-mon", which has the day-of-week field "fri-mon"; expected * or values from 0 to 6 (or names such as sun), ${FIELD_HINT}`,
            ],
            [
                "a step of zero",
                { [SCHEDULES]: [{ name: "often", schedule: "*/0 * * * *", ttlDays: 7 }] },
                `${SCHEDULES}[0].schedule: has the schedule "often" with the cron expression "*/0 * * * *", which has the minute field "*/0"; expected * or values from 0 to 59, ${FIELD_HINT}`,
            ],
            [
                "a misspelt macro",
                { [SCHEDULES]: [{ name: "daily", schedule: "@dayly", ttlDays: 7 }] },
                `${SCHEDULES}[0].schedule: has the schedule "daily" with the cron expression "@dayly", which is not a cron macro (did you mean @daily?); expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or five fields`,
            ],
            [
                "a schedule name that is not a DNS label",
                { [SCHEDULES]: [{ name: "Daily_Backup", schedule: "0 3 * * *", ttlDays: 7 }] },
                `${SCHEDULES}[0].name: has the schedule #1 named "Daily_Backup"; expected a name of 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
            ],
            [
                "a TTL of zero days",
                { [SCHEDULES]: [{ name: "daily", schedule: "0 3 * * *", ttlDays: 0 }] },
                `${SCHEDULES}[0].ttlDays: has the schedule "daily" with ttlDays 0; expected a whole number of days from 1 to 3650`,
            ],
            [
                "a misspelt field",
                { [SCHEDULES]: [{ name: "daily", schedule: "0 3 * * *", tllDays: 7 }] },
                [
                    `${SCHEDULES}[0].tllDays: has the schedule "daily" with the unknown field "tllDays"; did you mean "ttlDays"?`,
                    `${SCHEDULES}[0].ttlDays: has the schedule "daily" with ttlDays undefined; expected a whole number of days from 1 to 3650`,
                ],
            ],
            [
                "an extra namespace that is not a namespace name",
                { [SCHEDULES]: [{ name: "daily", schedule: "0 3 * * *", ttlDays: 7, namespaces: ["Payments"] }] },
                `${SCHEDULES}[0].namespaces: has the schedule "daily" with namespaces ["Payments"]; expected a list of Kubernetes namespace names (lowercase letters, digits and hyphens)`,
            ],
            [
                "two schedules of the same name",
                {
                    [SCHEDULES]: [
                        { name: "daily", schedule: "0 3 * * *", ttlDays: 7 },
                        { name: "daily", schedule: "0 4 * * *", ttlDays: 7 },
                    ],
                },
                `${SCHEDULES}: has the schedule name "daily" more than once; expected distinct names`,
            ],
        ];
        itRejects(cases);

        it("prod: a schedule kept less than 30 days", () => {
            expect(
                problems("prod", {
                    [SCHEDULES]: [
                        { name: "hourly", schedule: "0 * * * *", ttlDays: 3 },
                        { name: "daily", schedule: "0 3 * * *", ttlDays: 30 },
                    ],
                }),
            ).to.deep.equal([
                `${SCHEDULES}: has the schedule "hourly" with ttlDays 3, which is too short for prod; expected at least 30 (a month of backups to restore from)`,
            ]);
        });

        it("prod: no schedule at all", () => {
            expect(problems("prod", { [SCHEDULES]: [] })).to.deep.equal([
                `${SCHEDULES}: [] is not allowed in prod; expected at least one schedule, for example {name: daily, schedule: "0 3 * * *", ttlDays: 30}`,
            ]);
        });
    });

    describe("logging.retentionDays (the Kubernetes log groups)", () => {
        const KEY = "platform:logging.retentionDays";
        it("dev keeps two weeks, prod the default year", () => {
            expect(resolve("dev").logging.retentionDays).to.equal(14);
            expect(resolve("prod").logging.retentionDays).to.equal(365);
        });
        it("prod keeps at least a month; a value CloudWatch does not offer is refused everywhere", () => {
            expect(problems("prod", { [KEY]: 14 })).to.deep.equal([
                `${KEY}: 14 is too short for prod; expected at least 30 (a month of pod and node logs to investigate an incident in)`,
            ]);
            expect(resolve("prod", { [KEY]: 30 }).logging.retentionDays).to.equal(30);
            expect(problems("dev", { [KEY]: 10 })).to.have.length(1);
            expect(problems("dev", { [KEY]: 10 })[0]).to.match(
                /^platform:logging\.retentionDays: "10" is out of range; expected one of: 1, 3, 5, 7, 14, 30, 60,/,
            );
        });
    });

    describe("tracing (the collectors' tail sampling)", () => {
        it("dev keeps every trace; prod the default 10% of ordinary traces; both keep traces over a second", () => {
            expect(resolve("dev").tracing).to.deep.equal({ samplingPercentage: 100, slowTraceMs: 1000 });
            expect(resolve("prod").tracing).to.deep.equal({ samplingPercentage: 10, slowTraceMs: 1000 });
            expect(resolve("prod", { "platform:tracing.samplingPercentage": 0 }).tracing.samplingPercentage).to.equal(0);
        });
        itRejects([
            [
                "a sampling percentage above 100",
                { "platform:tracing.samplingPercentage": 150 },
                'platform:tracing.samplingPercentage: "150" is out of range; expected a whole number from 0 to 100',
            ],
            [
                "a slow-trace threshold below 10 ms",
                { "platform:tracing.slowTraceMs": 5 },
                'platform:tracing.slowTraceMs: "5" is out of range; expected a whole number from 10 to 60000',
            ],
        ]);
    });
});
