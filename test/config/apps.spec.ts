import { expect } from "chai";
import { problems, resolve } from "./resolve";
import { readStackFile, stackFilePath } from "../../tools/offline/stackConfig";

const KEY = "platform:apps";
/** The dev stack's apps with the first one changed. */
function withApi(change: Record<string, unknown>): Record<string, unknown> {
    const apps = readStackFile(stackFilePath("dev"))[KEY] as Record<string, unknown>[];
    return { [KEY]: [{ ...apps[0], ...change }, ...apps.slice(1)] };
}

describe("stack configuration: applications", () => {
    it("reads the example applications with their defaults", () => {
        const [api, web] = resolve("dev").apps;
        expect(api).to.deep.include({
            name: "api",
            port: 8080,
            metricsPort: 9100,
            metricsPath: "/metrics",
            database: true,
            cache: true,
            minReplicas: 1,
            maxReplicas: 3,
        });
        expect(web).to.deep.include({ livenessPath: "/", database: false, stickySessions: false, secrets: {} });
        expect(web.alerts).to.deep.equal({ errorRatePercent: 1, latencyP95Ms: 500, restartsPerHour: 3, cpuPercent: 80, memoryPercent: 85 });
    });

    it("rejects an unpinned image", () => {
        const [message, ...others] = problems("dev", withApi({ image: "public.ecr.aws/nginx/nginx-unprivileged:latest" }));
        expect(others).to.deep.equal([]);
        expect(message.startsWith(`${KEY}[0].image: has`), message).to.equal(true);
        expect(
            message.endsWith(
                ' has the application "api" with the unpinned image "public.ecr.aws/nginx/nginx-unprivileged:latest"; expected a version tag other than latest, or a digest (@sha256:...)',
            ),
        ).to.equal(true);
        expect(problems("dev", withApi({ image: "public.ecr.aws/nginx/nginx-unprivileged" }))[0]).to.match(
            /with the unpinned image "public.ecr.aws\/nginx\/nginx-unprivileged"; expected a version tag/,
        );
    });

    it("rejects a name that is not a DNS-1123 label", () => {
        expect(problems("dev", withApi({ name: "API_1" }))[0]).to.match(
            /has the application #1 named "API_1"; expected a DNS-1123 label of 1 to 30 lowercase letters, digits and hyphens, starting with a letter$/,
        );
    });

    it("rejects a path that does not start with /", () => {
        expect(problems("dev", withApi({ paths: ["api/*"] }))[0]).to.match(
            /has the application "api" with the path "api\/\*"; expected an ALB path pattern that starts with "\/", of at most 128 characters/,
        );
        expect(problems("dev", withApi({ probes: { readiness: "ready" } }))[0]).to.match(
            /with probes.readiness "ready"; expected an HTTP path that starts with "\/"/,
        );
    });

    it("reads passwordVersion (default 1) and rejects a bad one, or one without a database", () => {
        expect(resolve("dev").apps[0].passwordVersion).to.equal(1);
        const [bad, ...others] = problems("dev", withApi({ passwordVersion: 0 }));
        expect(others).to.deep.equal([]);
        expect(bad.startsWith(`${KEY}[0].passwordVersion: has`), bad).to.equal(true);
        expect(
            bad.endsWith(' has the application "api" with passwordVersion 0; expected a whole number from 1 (bump it to rotate the database password)'),
        ).to.equal(true);
        const [orphan] = problems("dev", withApi({ passwordVersion: 2, database: false }));
        expect(orphan.endsWith(' has the application "api" with passwordVersion 2 but no database; expected database: true, or no passwordVersion')).to.equal(
            true,
        );
    });

    it("rejects an application with a database in a stack without one, naming the application", () => {
        const noDatabase = { "platform:database.enabled": false };
        expect(problems("dev", noDatabase)).to.deep.equal([
            `${KEY}: the application "api" sets database: true, but the stack has no database (platform:database.enabled is false); expected database: false, or database.enabled: true`,
        ]);
        expect(resolve("dev", { ...noDatabase, ...withApi({ database: false }) }).apps.map((a) => a.database)).to.deep.equal([false, false]);
    });

    it("rejects min replicas above max", () => {
        expect(problems("dev", withApi({ replicas: { min: 5, max: 2 } }))[0]).to.match(
            /has the application "api" with replicas.min 5 greater than replicas.max 2; expected min <= max$/,
        );
    });

    it("rejects a host the edge certificate does not cover, and a host without a domain", () => {
        expect(problems("dev", withApi({ host: "a.b.dev.example.com" }))).to.deep.equal([
            `${KEY}: the application "api" has the host "a.b.dev.example.com", which the certificate of platform:edge.domain "dev.example.com" does not cover; expected "dev.example.com" or one label under it, such as "api.dev.example.com"`,
        ]);
        const noDomain = { "platform:edge.domain": "", "platform:edge.hostedZoneId": "", "platform:edge.hostedZoneName": "" };
        expect(problems("dev", noDomain)).to.include(
            `${KEY}: the application "web" has the host "app.dev.example.com" but platform:edge.domain is ""; expected edge.domain set (its certificate serves the host), or no host`,
        );
    });

    it("rejects an AWS policy that allows every action of a service", () => {
        const statement = { Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b/*"] };
        expect(problems("dev", withApi({ awsPolicy: [statement] }))[0]).to.match(
            /with the awsPolicy statement .*, which allows every action of a service; expected the actions the application calls$/,
        );
    });

    it("rejects secrets of an unknown application, and never echoes a secret value", () => {
        expect(problems("dev", { "platform:appSecrets": JSON.stringify({ billing: { STRIPE_KEY: "sk_live_1" } }) })).to.deep.equal([
            'platform:appSecrets: has secrets for "billing", which is not an application in platform:apps; expected one of: api, web',
        ]);
        const messages = problems("dev", { "platform:appSecrets": "{not json sk_live_2" });
        expect(messages).to.have.length(1);
        expect(messages[0]).to.not.include("sk_live_2");
    });

    it("passes an application's secrets through to it", () => {
        const api = resolve("dev", { "platform:appSecrets": JSON.stringify({ api: { STRIPE_KEY: "sk_test_1" } }) }).apps[0];
        expect(api.secrets).to.deep.equal({ STRIPE_KEY: "sk_test_1" });
    });

    it("requires three replicas in prod", () => {
        const apps = readStackFile(stackFilePath("prod"))[KEY] as Record<string, unknown>[];
        expect(problems("prod", { [KEY]: [{ ...apps[0], replicas: { min: 2, max: 4 } }, apps[1]] })).to.deep.equal([
            `${KEY}: the application "api" has replicas.min 2, too few for prod; expected at least 3 (one per zone)`,
        ]);
    });

    it("rejects two applications routing the same host and path", () => {
        expect(problems("dev", withApi({ paths: ["/*"] }))[0]).to.match(
            /has the applications "api" and "web" both routing "app.dev.example.com\/\*"; expected each host and path on one application$/,
        );
    });
});

describe("stack configuration: errors on structured keys", () => {
    it("lists every bad application at its path, without repeating the whole value", () => {
        const apps = readStackFile(stackFilePath("dev"))[KEY] as Record<string, unknown>[];
        const bad = [{ ...apps[0], port: 80 }, { ...apps[1], image: "public.ecr.aws/nginx/nginx-unprivileged:latest" }, ...apps.slice(2)];
        expect(problems("dev", { [KEY]: bad })).to.deep.equal([
            `${KEY}[0].port: has the application "${String(apps[0].name)}" with port 80; expected a port from 1024 to 65535 (the containers run without NET_BIND_SERVICE)`,
            `${KEY}[1].image: has the application "${String(apps[1].name)}" with the unpinned image "public.ecr.aws/nginx/nginx-unprivileged:latest"; expected a version tag other than latest, or a digest (@sha256:...)`,
        ]);
    });

    it("lists every bad field of one application", () => {
        const apps = readStackFile(stackFilePath("dev"))[KEY] as Record<string, unknown>[];
        const name = String(apps[0].name);
        expect(problems("dev", { [KEY]: [{ ...apps[0], port: 80, host: "App.Example.com", replicas: { min: 4, max: 2 } }, ...apps.slice(1)] })).to.deep.equal([
            `${KEY}[0].port: has the application "${name}" with port 80; expected a port from 1024 to 65535 (the containers run without NET_BIND_SERVICE)`,
            `${KEY}[0].host: has the application "${name}" with host "App.Example.com"; expected a lowercase DNS name such as "app.example.com", or "" for no Ingress`,
            `${KEY}[0].replicas.min: has the application "${name}" with replicas.min 4 greater than replicas.max 2; expected min <= max`,
        ]);
    });

    it("lists every bad field of one Velero schedule", () => {
        expect(problems("dev", { "platform:velero.schedules": [{ name: "daily", schedule: "0 24 * * *", ttlDays: 0 }] })).to.deep.equal([
            'platform:velero.schedules[0].schedule: has the schedule "daily" with the cron expression "0 24 * * *", which has the hour field "24"; expected * or values from 0 to 23, as single values, ranges a-b, steps /n and comma lists',
            'platform:velero.schedules[0].ttlDays: has the schedule "daily" with ttlDays 0; expected a whole number of days from 1 to 3650',
        ]);
    });

    it("lists every bad node group", () => {
        const workload = { name: "spot", instanceTypes: ["m6i.large"], capacityType: "SPOT", minSize: 1, desiredSize: 1, maxSize: 2 };
        const groups = [...(readStackFile(stackFilePath("dev"))["platform:eks.nodeGroups"] as Record<string, unknown>[]), workload];
        const bad = groups.map((g, i) => (i === 0 ? { ...g, capacityType: "RESERVED" } : { ...g, diskSizeGiB: 5 }));
        const messages = problems("dev", { "platform:eks.nodeGroups": bad });
        expect(messages).to.have.length(groups.length);
        expect(messages[0]).to.equal(
            `platform:eks.nodeGroups[0].capacityType: has the node group "${String(groups[0].name)}" with capacityType "RESERVED"; expected one of: ON_DEMAND, SPOT`,
        );
        expect(messages[1]).to.equal(
            `platform:eks.nodeGroups[1].diskSizeGiB: has the node group "${String(groups[1].name)}" with diskSizeGiB 5; expected a whole number from 20 to 16384`,
        );
        for (const message of messages) {
            expect(message, "the value is not printed first").to.not.include("[{");
        }
    });

    it("lists every bad field of one node group", () => {
        const groups = readStackFile(stackFilePath("dev"))["platform:eks.nodeGroups"] as Record<string, unknown>[];
        const bad = [{ ...groups[0], capacityType: "RESERVED", instanceTypes: ["m7g.large"], minSize: -1 }, ...groups.slice(1)];
        const name = String(groups[0].name);
        expect(problems("dev", { "platform:eks.nodeGroups": bad })).to.deep.equal([
            `platform:eks.nodeGroups[0].capacityType: has the node group "${name}" with capacityType "RESERVED"; expected one of: ON_DEMAND, SPOT`,
            `platform:eks.nodeGroups[0].instanceTypes: has the node group "${name}" with the instance type "m7g.large", an Arm (Graviton) type; expected x86_64 types (the nodes run the AL2023 x86_64 AMI)`,
            `platform:eks.nodeGroups[0].minSize: has the node group "${name}" with minSize -1; expected a whole number from 0 to 450`,
        ]);
    });

    describe("the reference image", () => {
        const repo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app";
        const digest = `sha256:${"1".repeat(64)}`;
        const expected = (image: string) =>
            `${KEY}: the application "api" runs the stack's reference repository as "${image}"; expected <account>.dkr.ecr.eu-west-1.amazonaws.com/platform-dev-reference-app@sha256:<digest>, pinned by digest alone in the stack's region (npm run reference-image -- --stack <stack> --pin <image>)`;

        it("is pinned by digest alone, in the stack's region", () => {
            expect(resolve("dev", withApi({ image: `${repo}@${digest}` })).apps[0].image).to.equal(`${repo}@${digest}`);
            for (const image of [`${repo}:src-0123456789ab`, `${repo}:src-0123456789ab@${digest}`, `${repo.replace("eu-west-1", "eu-central-1")}@${digest}`]) {
                expect(problems("dev", withApi({ image })), image).to.deep.equal([expected(image)]);
            }
        });

        it("runs in one application only", () => {
            const apps = readStackFile(stackFilePath("dev"))[KEY] as Record<string, unknown>[];
            const twice = { [KEY]: [apps[0], { ...apps[1], image: apps[0].image }] };
            expect(problems("dev", twice)).to.deep.equal([
                `${KEY}: has the applications "api" and "web" on the reference repository platform-dev-reference-app; expected one (its migrations and the deploy's first pass are per application)`,
            ]);
        });

        it("leaves images of other repositories alone, another stack's reference repository included", () => {
            const other = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform-prod-reference-app:v1`;
            expect(resolve("dev", withApi({ image: other })).apps[0].image).to.equal(other);
        });
    });
});
