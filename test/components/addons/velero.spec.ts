import { expect } from "chai";
import { VELERO, veleroPolicy, veleroSchedules, ttlOf } from "../../../components/addons/velero";
import { CHARTS, VELERO_AWS_PLUGIN_IMAGE } from "../../../versions";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { inlineStatements, roleByArn } from "../eks/helpers";
import { expectChartMonitors } from "./chartMonitors";
import { declaredValues, helmMerge, undeclaredKeys, upstreamChart } from "./chartValues";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const RENDERED_WHOLE = ["podSecurityContext", "containerSecurityContext", "nodeSelector"];
const HARDENED_CONTAINER = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

function releaseOf(plan: Plan): RecordedResource {
    return plan.get(RELEASE, "velero-release");
}

function valuesOf(plan: Plan): Record<string, unknown> {
    return releaseOf(plan).inputs.values as Record<string, unknown>;
}

function bucketOf(plan: Plan): RecordedResource {
    return plan.get("aws:s3/bucket:Bucket", "data-backups-backups-bucket");
}

describe("Velero", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("is a Helm release of the pinned chart, named, in its own restricted namespace, rolled back on failure in prod", () => {
        for (const [plan, atomic] of [
            [dev, false],
            [prod, true],
        ] as const) {
            expect(releaseOf(plan).inputs).to.deep.include({
                name: "velero",
                chart: "velero",
                version: "12.1.0",
                repositoryOpts: { repo: "https://vmware-tanzu.github.io/helm-charts" },
                namespace: "velero",
                createNamespace: false,
                atomic,
            });
            const namespace = plan.get("kubernetes:core/v1:Namespace", "velero-namespace");
            expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted" });
            expect(plan.dependsOn(releaseOf(plan), namespace)).to.equal(true);
        }
        expect(CHARTS.velero.version).to.equal("12.1.0");
    });

    it("loads the AWS plugin of the 1.14 line (the one for Velero 1.18) as a hardened init container", () => {
        const [plugin, ...others] = valuesOf(prod).initContainers as Record<string, unknown>[];
        expect(others).to.deep.equal([]);
        expect(plugin).to.deep.include({
            name: "velero-plugin-for-aws",
            image: "docker.io/velero/velero-plugin-for-aws:v1.14.0",
            volumeMounts: [{ mountPath: "/target", name: "plugins" }],
            securityContext: HARDENED_CONTAINER,
        });
        expect(VELERO_AWS_PLUGIN_IMAGE.tag).to.match(/^v1\.14\.\d+$/);
    });

    it("uses its IRSA role, never a credentials Secret, and no secret appears in its values", () => {
        for (const plan of [dev, prod]) {
            const values = valuesOf(plan);
            expect(values.credentials).to.deep.equal({ useSecret: false });
            expect(JSON.stringify(values)).to.not.match(/aws_secret_access_key|aws_access_key_id|secretContents|AKIA[0-9A-Z]{16}/);
            const serviceAccount = (values.serviceAccount as { server: { name: string; annotations: Record<string, string> } }).server;
            expect(serviceAccount.name).to.equal(VELERO.serviceAccount);
            const role = roleByArn(plan, serviceAccount.annotations["eks.amazonaws.com/role-arn"]);
            const condition = policyOf(role.inputs.assumeRolePolicy).Statement[0].Condition as { StringEquals: Record<string, string> };
            expect(Object.entries(condition.StringEquals).map(([k, v]) => [k.replace(/^.*:/, ""), v])).to.deep.equal([
                ["sub", "system:serviceaccount:velero:velero-server"],
                ["aud", "sts.amazonaws.com"],
            ]);
        }
    });

    it("its role reaches only the cluster's prefix of the backup bucket, the backups key through S3, and Velero's snapshots", () => {
        const role = prod.get("aws:iam/role:Role", "velero-identity-role");
        const statements = inlineStatements(prod, role);
        const bucket = bucketOf(prod).outputs.arn as string;
        const backupsKey = prod.get("aws:kms/key:Key", "keys-backups").outputs.arn;
        const clusterKey = prod.get("aws:kms/key:Key", "keys-cluster").outputs.arn;
        const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
        expect(bySid.ReadAndWriteTheClustersBackups.Resource).to.equal(`${bucket}/platform-prod-eks/*`);
        expect(bySid.ListTheBackupBucket.Resource).to.equal(bucket);
        expect(bySid.UseTheBackupsKeyThroughS3).to.deep.include({
            Resource: backupsKey,
            Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
        });
        expect(bySid.UseTheVolumeKeyThroughEc2.Resource).to.equal(clusterKey);
        for (const s of statements) {
            const resources = ([] as unknown[]).concat(s.Resource);
            // Only Describe* may use "*" (it takes no resource-level permissions).
            if (resources.includes("*")) {
                expect(s.Action, s.Sid as string).to.deep.equal(["ec2:DescribeVolumes", "ec2:DescribeSnapshots"]);
            }
            for (const action of ([] as string[]).concat(s.Action as string)) {
                if (action.startsWith("s3:")) {
                    expect(
                        resources.every((r) => r === bucket || String(r).startsWith(`${bucket}/`)),
                        action,
                    ).to.equal(true);
                }
                if (action.startsWith("kms:")) {
                    expect([backupsKey, clusterKey], action).to.include(s.Resource);
                }
            }
        }
    });

    it("creates, restores and deletes only Velero-tagged snapshots, of volumes the EBS CSI driver made", () => {
        const policy = veleroPolicy({
            bucketName: "b",
            prefix: "c",
            backupsKeyArn: "arn:aws:kms:eu-west-1:1:key/b",
            volumeKeyArn: "arn:aws:kms:eu-west-1:1:key/v",
            region: "eu-west-1",
            accountId: "111122223333",
            partition: "aws",
        });
        const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
        expect(bySid.SnapshotVolumesOfTheCsiDriver).to.deep.include({
            Resource: "arn:aws:ec2:eu-west-1:111122223333:volume/*",
            Condition: { StringEquals: { "aws:ResourceTag/ebs.csi.aws.com/cluster": "true" } },
        });
        expect(bySid.CreateVeleroTaggedSnapshots.Condition).to.deep.equal({ Null: { "aws:RequestTag/velero.io/backup": "false" } });
        expect(bySid.DeleteVeleroSnapshots).to.deep.include({
            Action: "ec2:DeleteSnapshot",
            Resource: "arn:aws:ec2:eu-west-1::snapshot/*",
            Condition: { Null: { "aws:ResourceTag/velero.io/backup": "false" } },
        });
        expect(bySid.TagOnlyWhileCreating.Condition).to.deep.equal({ StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } });
        expect(bySid.GrantEc2UseOfTheVolumeKeyForRestores.Condition).to.deep.include({ Bool: { "kms:GrantIsForAWSResource": true } });
    });

    it("stores backups in the backup bucket under the cluster's name and snapshots volumes in the stack's region", () => {
        for (const [plan, prefix] of [
            [dev, "platform-dev-eks"],
            [prod, "platform-prod-eks"],
        ] as const) {
            const configuration = valuesOf(plan).configuration as Record<string, unknown>;
            expect(configuration.backupStorageLocation).to.deep.equal([
                { name: "default", provider: "aws", bucket: bucketOf(plan).outputs.bucket, prefix, default: true, config: { region: "eu-west-1" } },
            ]);
            expect(configuration.volumeSnapshotLocation).to.deep.equal([{ name: "default", provider: "aws", config: { region: "eu-west-1" } }]);
            expect(valuesOf(plan)).to.deep.include({ deployNodeAgent: false, snapshotsEnabled: true, backupsEnabled: true });
        }
    });

    it("schedules and TTLs come from config; every schedule backs up cert-manager and the application namespaces", () => {
        expect(Object.keys(valuesOf(dev).schedules as object)).to.deep.equal(["daily"]);
        const prodSchedules = valuesOf(prod).schedules as Record<string, { schedule: string; template: { ttl: string; includedNamespaces: string[] } }>;
        expect(Object.entries(prodSchedules).map(([name, s]) => [name, s.schedule, s.template.ttl])).to.have.deep.members([
            ["six-hourly", "15 */6 * * *", "720h0m0s"],
            ["daily", "45 2 * * *", "2160h0m0s"],
        ]);
        const appNamespaces = prod
            .ofType("kubernetes:core/v1:Namespace")
            .map((n) => (n.inputs.metadata as { name: string }).name)
            .filter((n) => n.startsWith("app-"));
        for (const s of Object.values(prodSchedules)) {
            expect(s.template.includedNamespaces).to.include("cert-manager").and.include.members(appNamespaces);
        }
        expect(veleroSchedules([{ name: "x", schedule: "@daily", ttlDays: 1, namespaces: ["extra", "a"] }], ["a", "b"])).to.deep.equal({
            x: {
                disabled: false,
                schedule: "@daily",
                useOwnerReferencesInBackup: false,
                template: {
                    ttl: "24h0m0s",
                    storageLocation: "default",
                    volumeSnapshotLocations: ["default"],
                    snapshotVolumes: true,
                    includedNamespaces: ["a", "b", "extra"],
                },
            },
        });
        expect(ttlOf(30)).to.equal("720h0m0s");
    });

    it("runs hardened with requests and a memory limit, and exports metrics through a ServiceMonitor with a backup alert", () => {
        const values = valuesOf(prod);
        expect(values.containerSecurityContext).to.deep.equal(HARDENED_CONTAINER);
        expect(values.podSecurityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        // No kubectl block: the only job that would read it, the CRD clean-up (cleanUpCRDs), stays off.
        expect(values).to.not.have.any.keys("kubectl", "cleanUpCRDs");
        expect((values.resources as { limits: Record<string, string> }).limits).to.have.key("memory");
        const metrics = values.metrics as { enabled: boolean; serviceMonitor: unknown; prometheusRule: unknown };
        expect(metrics.enabled).to.equal(true);
        // The chart's ServiceMonitor and PrometheusRule, made by the program (components/addons/chartMonitors.ts).
        expect(metrics.serviceMonitor).to.deep.equal({ enabled: false });
        expect(metrics.prometheusRule).to.deep.equal({ enabled: false });
        const [monitor, rule] = expectChartMonitors(prod, releaseOf(prod), ["velero-service-monitor", "velero-alerts"]);
        expect((monitor.inputs.spec as { endpoints: unknown[] }).endpoints).to.deep.equal([{ port: "http-monitoring", interval: "30s", scrapeTimeout: "10s" }]);
        const groups = (rule.inputs.spec as { groups: { name: string; rules: { alert: string }[] }[] }).groups;
        expect(groups.map((g) => [g.name, g.rules.map((r) => r.alert)])).to.deep.equal([["velero", ["VeleroBackupFailing"]]]);
    });

    it("is installed after the system nodes and its role's policy, not after the monitoring release (its monitors are)", () => {
        for (const plan of [dev, prod]) {
            const monitoring = plan.ofType(RELEASE).find((r) => r.inputs.chart === "kube-prometheus-stack");
            expect(monitoring, "kube-prometheus-stack release").to.not.equal(undefined);
            expect(plan.dependsOn(releaseOf(plan), monitoring!)).to.equal(false);
            expect(plan.dependsOn(releaseOf(plan), plan.get("aws:iam/rolePolicy:RolePolicy", "velero-identity-policy"))).to.equal(true);
        }
    });

    describe("against the upstream chart in ../shared", () => {
        it("every values key the program sets exists in the chart's values.yaml", function () {
            const chart = upstreamChart("velero");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            const declared = declaredValues(chart.valuesText);
            for (const plan of [dev, prod]) {
                expect(undeclaredKeys(valuesOf(plan), declared, RENDERED_WHOLE)).to.deep.equal([]);
            }
            expect(undeclaredKeys({ credentials: { useSecrets: false } }, declared, RENDERED_WHOLE), "the check itself").to.deep.equal([
                "credentials.useSecrets",
            ]);
        });

        it("the chart's kubectl jobs stay off: no CRD clean-up, no namespace-label job", function () {
            const chart = upstreamChart("velero");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            // templates/cleanup-crds.yaml renders only with cleanUpCRDs, labelnamespace.yaml only with namespace.labels.
            for (const plan of [dev, prod]) {
                const merged = helmMerge(chart.defaults, valuesOf(plan)) as { cleanUpCRDs: unknown; namespace: { labels: Record<string, string> } };
                expect(merged.cleanUpCRDs).to.equal(false);
                expect(merged.namespace.labels).to.deep.equal({});
            }
        });

        it("the values, merged with the chart's defaults, validate against its values.schema.json", function () {
            const chart = upstreamChart("velero");
            if (chart === undefined) {
                this.skip(); // ../shared is absent: nothing to compare against
            }
            for (const plan of [dev, prod]) {
                expect(chart.schemaErrors(valuesOf(plan))).to.deep.equal([]);
            }
            expect(chart.schemaErrors({ ...valuesOf(prod), deployNodeAgent: "no" }), "the check itself").to.not.deep.equal([]);
        });
    });
});
