import { expect } from "chai";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../../config/windows";
import { POSTGRES_VERSIONS } from "../../versions";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";
import { problems, resolve, itRejects, type RejectedCase } from "./resolve";

const VERSIONS = POSTGRES_VERSIONS.join(", ");

describe("stack configuration: data tier", () => {
    it("dev resolves to a small single-AZ database, one cache node, short retention and no replica region", () => {
        const dev = resolve("dev");
        expect(dev.database).to.deep.include({
            engineVersion: "17.9",
            instanceClass: "db.t4g.small",
            multiAz: false,
            deletionProtection: false,
            backupRetentionDays: 3,
            readReplicas: 0,
            proxy: false,
            caCertificate: "rds-ca-rsa2048-g1",
        });
        expect(dev.cache).to.deep.include({
            engineVersion: "7.1",
            nodeType: "cache.t4g.micro",
            nodes: 1,
            snapshotRetentionDays: 1,
            evictionPolicy: "volatile-lru",
        });
        expect(dev.backups).to.deep.equal({ replicaRegion: undefined, infrequentAccessAfterDays: 30, noncurrentVersionDays: 7, objectLock: undefined });
        expect(dev.alarms.subscription).to.equal(undefined);
    });

    it("prod resolves to Multi-AZ, protected, two weeks of backups, a node per zone, a replica in eu-central-1 and the on-call email", () => {
        const prod = resolve("prod");
        expect(prod.database).to.deep.include({ multiAz: true, deletionProtection: true, backupRetentionDays: 14, instanceClass: "db.r7g.large" });
        expect(prod.cache).to.deep.include({ nodes: 3, snapshotRetentionDays: 7 });
        expect(prod.backups).to.deep.equal({
            replicaRegion: "eu-central-1",
            infrequentAccessAfterDays: 30,
            noncurrentVersionDays: 90,
            objectLock: { mode: "GOVERNANCE", days: 30 },
        });
        expect(prod.alarms).to.deep.equal({
            databaseCpuPercent: 80,
            databaseFreeStoragePercent: 15,
            databaseConnectionsPercent: 80,
            replicaLagSeconds: 60,
            cacheMemoryPercent: 90,
            cacheCpuPercent: 80,
            cacheEvictions: 0,
            subscription: { protocol: "email", endpoint: "platform-oncall@example.com" },
        });
    });

    it("secure defaults: a stack that sets no data key gets a prod-grade data tier", () => {
        const bare = resolve("dev", {
            "platform:database.instanceClass": undefined,
            "platform:database.multiAz": undefined,
            "platform:database.deletionProtection": undefined,
            "platform:database.backupRetentionDays": undefined,
            "platform:cache.nodes": undefined,
            "platform:cache.snapshotRetentionDays": undefined,
        });
        expect(bare.database).to.deep.include({ multiAz: true, deletionProtection: true, backupRetentionDays: 14, engineVersion: "17.9" });
        expect(bare.cache).to.deep.include({ nodes: 2, snapshotRetentionDays: 7 });
    });

    it("an HTTPS subscription is recognised as such", () => {
        expect(resolve("dev", { "platform:alarms.subscription": "https://events.example.com/hook" }).alarms.subscription).to.deep.equal({
            protocol: "https",
            endpoint: "https://events.example.com/hook",
        });
    });

    describe("a stack without a database (database.enabled false)", () => {
        const DEV_APPS = readStackFile(stackFilePath("dev"))["platform:apps"] as Record<string, unknown>[];
        const PROD_APPS = readStackFile(stackFilePath("prod"))["platform:apps"] as Record<string, unknown>[];
        /** The stack's applications, none of them with a database. */
        const noDatabaseApps = (apps: Record<string, unknown>[]) => apps.map((app) => ({ ...app, database: false }));

        it("has a database by default, in dev and in prod", () => {
            expect(resolve("dev").database.enabled).to.equal(true);
            expect(resolve("prod").database.enabled).to.equal(true);
            expect(resolve("dev", { "platform:database.enabled": undefined }).database.enabled).to.equal(true);
        });

        it("resolves with enabled false; the other database keys keep their values", () => {
            const dev = resolve("dev", { "platform:database.enabled": false, "platform:apps": noDatabaseApps(DEV_APPS) });
            expect(dev.database).to.deep.include({ enabled: false, engineVersion: "17.9", readReplicas: 0, proxy: false });
        });

        it("rejects read replicas and a proxy without a database, each with its key", () => {
            expect(
                problems("dev", {
                    "platform:database.enabled": false,
                    "platform:database.readReplicas": 2,
                    "platform:database.proxy": true,
                    "platform:apps": noDatabaseApps(DEV_APPS),
                }),
            ).to.deep.equal([
                "platform:database.readReplicas: 2 needs a database, but the stack has none (platform:database.enabled is false); expected 0 or database.enabled: true",
                "platform:database.proxy: true needs a database, but the stack has none (platform:database.enabled is false); expected false or database.enabled: true",
            ]);
        });

        it("prod may run without a database: the ignored database keys are held neither to prod's requirements nor to each other", () => {
            const prod = resolve("prod", {
                "platform:database.enabled": false,
                "platform:database.multiAz": false,
                "platform:database.deletionProtection": false,
                "platform:database.backupRetentionDays": 3,
                "platform:database.backupWindow": "03:00-04:00",
                "platform:database.maintenanceWindow": "sun:03:30-sun:04:30",
                "platform:database.allocatedStorageGiB": 100,
                "platform:database.maxAllocatedStorageGiB": 50,
                "platform:apps": noDatabaseApps(PROD_APPS),
            });
            expect(prod.database.enabled).to.equal(false);
            expect(prod.isProd).to.equal(true);
        });

        it("still checks the cache and backups in prod without a database", () => {
            expect(
                problems("prod", { "platform:database.enabled": false, "platform:cache.nodes": 1, "platform:apps": noDatabaseApps(PROD_APPS) }),
            ).to.deep.equal(["platform:cache.nodes: 1 is too few for prod; expected at least 2 (a replica in another zone for automatic failover)"]);
        });
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const cases: RejectedCase[] = [
            [
                "an engine version RDS no longer creates",
                { "platform:database.engineVersion": "16.4" },
                `platform:database.engineVersion: "16.4" is not creatable on RDS: it is deprecated and cannot be created; expected one of: ${VERSIONS} (versions.ts)`,
            ],
            [
                "an engine version refused since May 2026",
                { "platform:database.engineVersion": "17.2" },
                `platform:database.engineVersion: "17.2" is not creatable on RDS: it cannot be created since 2026-05-01 (instances on it were force-upgraded after 2026-05-31); expected one of: ${VERSIONS} (versions.ts)`,
            ],
            [
                "an unknown engine version",
                { "platform:database.engineVersion": "17.99" },
                `platform:database.engineVersion: "17.99" is not a known creatable RDS PostgreSQL version; expected one of: ${VERSIONS} (versions.ts)`,
            ],
            [
                "a backup retention out of range",
                { "platform:database.backupRetentionDays": 40 },
                'platform:database.backupRetentionDays: "40" is out of range; expected a whole number from 1 to 35',
            ],
            [
                "no backups at all",
                { "platform:database.backupRetentionDays": 0 },
                'platform:database.backupRetentionDays: "0" is out of range; expected a whole number from 1 to 35',
            ],
            [
                "a replica region equal to the primary region, even in dev",
                { "platform:backups.replicaRegion": "eu-west-1" },
                'platform:backups.replicaRegion: "eu-west-1" is the stack\'s own aws:region; expected a different region, so that the replica survives the loss of eu-west-1',
            ],
            [
                "a replica region in another partition",
                { "platform:backups.replicaRegion": "cn-north-1" },
                'platform:backups.replicaRegion: "cn-north-1" is in the aws-cn partition, but aws:region "eu-west-1" is in aws; expected a region of the aws partition (S3 replication does not cross partitions)',
            ],
            [
                "a replica region that is not a region",
                { "platform:backups.replicaRegion": "frankfurt" },
                'platform:backups.replicaRegion: "frankfurt" is not an AWS region name; expected a name such as "eu-central-1", or "" for no replica',
            ],
            [
                "a backup window overlapping the maintenance window",
                { "platform:database.backupWindow": "03:00-04:00" },
                'platform:database.backupWindow: "03:00-04:00" overlaps platform:database.maintenanceWindow "sun:03:30-sun:04:30"; expected a daily window that ends before the maintenance window starts or starts after it ends',
            ],
            [
                "a snapshot window overlapping the cache maintenance window across midnight",
                { "platform:cache.snapshotWindow": "23:30-00:30", "platform:cache.maintenanceWindow": "sun:23:45-mon:00:45" },
                'platform:cache.snapshotWindow: "23:30-00:30" overlaps platform:cache.maintenanceWindow "sun:23:45-mon:00:45"; expected a daily window that ends before the maintenance window starts or starts after it ends',
            ],
            [
                "a backup window shorter than 30 minutes",
                { "platform:database.backupWindow": "02:00-02:15" },
                'platform:database.backupWindow: "02:00-02:15" lasts 15 minutes; expected a window of 30 to 1439 minutes, for example "02:00-03:00"',
            ],
            [
                "a maintenance window in the wrong format",
                { "platform:database.maintenanceWindow": "sunday 03:00" },
                'platform:database.maintenanceWindow: "sunday 03:00" is not a weekly window; expected ddd:hh24:mi-ddd:hh24:mi in UTC, for example "sun:03:30-sun:04:30"',
            ],
            [
                "a storage ceiling below the initial storage",
                { "platform:database.maxAllocatedStorageGiB": 30, "platform:database.allocatedStorageGiB": 40 },
                "platform:database.maxAllocatedStorageGiB: 30 is below platform:database.allocatedStorageGiB (40); expected at least 40 (the ceiling of storage autoscaling)",
            ],
            [
                "the postgres master user",
                { "platform:database.username": "postgres" },
                'platform:database.username: "postgres" is reserved by PostgreSQL or RDS (and "postgres" is the first name an attacker tries); expected an application-specific name such as "platform_admin"',
            ],
            [
                "a previous-generation instance class",
                { "platform:database.instanceClass": "db.t2.micro" },
                'platform:database.instanceClass: "db.t2.micro" is not valid; expected a current-generation class such as "db.t4g.medium", "db.m7g.large" or "db.r7g.xlarge"',
            ],
            [
                "a cache node type that does not exist",
                { "platform:cache.nodeType": "cache.t4g.large" },
                'platform:cache.nodeType: "cache.t4g.large" is not valid; expected a current-generation node type such as "cache.t4g.small", "cache.m7g.large" or "cache.r7g.xlarge"',
            ],
            [
                "a Redis version outside the 7.x line",
                { "platform:cache.engineVersion": "6.2" },
                'platform:cache.engineVersion: "6.2" is not allowed; expected one of: 7.1, 7.0',
            ],
            [
                "an unknown eviction policy",
                { "platform:cache.evictionPolicy": "lru" },
                'platform:cache.evictionPolicy: "lru" is not allowed; expected one of: volatile-lru, allkeys-lru, volatile-lfu, allkeys-lfu, volatile-random, allkeys-random, volatile-ttl, noeviction',
            ],
            [
                "a Standard-IA transition S3 refuses",
                { "platform:backups.infrequentAccessAfterDays": 7 },
                'platform:backups.infrequentAccessAfterDays: "7" is out of range; expected a whole number from 30 to 3650',
            ],
            [
                "an alarm subscription that is neither email nor HTTPS",
                { "platform:alarms.subscription": "http://hooks.example.com" },
                'platform:alarms.subscription: "http://hooks.example.com" is neither an email address nor an https:// URL; expected for example "oncall@example.com" or "https://events.example.com/hook", or "" for none',
            ],
            [
                "a percentage threshold above 100",
                { "platform:alarms.databaseCpuPercent": 120 },
                'platform:alarms.databaseCpuPercent: "120" is out of range; expected a whole number from 1 to 100',
            ],
        ];
        itRejects(cases);
    });

    describe("prod rules", () => {
        it("prod needs Multi-AZ, deletion protection, a week of backups (replicated too), two cache nodes, snapshots and a replica region, all reported together", () => {
            expect(
                problems("prod", {
                    "platform:database.multiAz": false,
                    "platform:database.deletionProtection": false,
                    "platform:database.backupRetentionDays": 3,
                    "platform:cache.nodes": 1,
                    "platform:cache.snapshotRetentionDays": 0,
                    "platform:backups.replicaRegion": undefined,
                    "platform:database.backupReplicationRetentionDays": 0,
                }),
            ).to.deep.equal([
                "platform:database.multiAz: false is not allowed in prod; expected true (a standby in a second zone takes over when the primary fails)",
                "platform:database.deletionProtection: false is not allowed in prod; expected true (the database must not be deletable by accident)",
                "platform:database.backupRetentionDays: 3 is too short for prod; expected at least 7 (a week of point-in-time recovery)",
                "platform:cache.nodes: 1 is too few for prod; expected at least 2 (a replica in another zone for automatic failover)",
                "platform:cache.snapshotRetentionDays: 0 is not allowed in prod; expected at least 1 (a daily snapshot to restore from)",
                'platform:backups.replicaRegion: "" is not allowed in prod; expected a region other than aws:region (for example "eu-central-1"), where the backups are replicated',
                "platform:database.backupReplicationRetentionDays: 0 is too short for prod; expected at least 7 (a week of point-in-time restores in backups.replicaRegion when eu-west-1 is lost)",
            ]);
        });

        it("prod with its replica in its own region gets the same-region error once", () => {
            expect(problems("prod", { "platform:backups.replicaRegion": "eu-west-1" })).to.deep.equal([
                'platform:backups.replicaRegion: "eu-west-1" is the stack\'s own aws:region; expected a different region, so that the replica survives the loss of eu-west-1',
            ]);
        });
    });

    describe("time windows", () => {
        it("measures daily and weekly windows, including those that wrap past midnight or Sunday", () => {
            expect(parseDailyWindow("23:30-00:30")?.minutes).to.equal(60);
            expect(parseWeeklyWindow("sun:23:00-mon:01:00")?.minutes).to.equal(120);
            expect(parseDailyWindow("24:00-01:00")).to.equal(undefined);
            expect(parseWeeklyWindow("sun:03:00-sun:04:00")?.intervals).to.deep.equal([{ start: 6 * 1440 + 180, end: 6 * 1440 + 240 }]);
        });

        it("a daily window overlaps a weekly one on any day of the week, and touching windows do not overlap", () => {
            const weekly = parseWeeklyWindow("wed:03:30-wed:04:30")!;
            expect(windowsOverlap(parseDailyWindow("04:00-05:00")!, weekly)).to.equal(true);
            expect(windowsOverlap(parseDailyWindow("02:30-03:30")!, weekly)).to.equal(false);
            expect(windowsOverlap(parseDailyWindow("04:30-05:00")!, weekly)).to.equal(false);
            expect(windowsOverlap(parseDailyWindow("23:50-00:10")!, parseWeeklyWindow("mon:00:00-mon:00:30")!)).to.equal(true);
        });
    });
});
