import { expect } from "chai";
import * as fs from "node:fs";
import { CHART_VALUE_PATHS } from "../../../policies/lib/chartValuePaths";
import { chartName, checkChartValues } from "../../../policies/rules/k8s/checkChartValues";
import { Unknown } from "../../../tools/offline/values";
import { sharedPlan } from "../../harness";
import { declaredValues } from "../../components/addons/chartValues";
import { sharedFile } from "../../components/eks/helpers";
import { messages, REMOVE, resource, stackConfig, withValue } from "../check";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ROLE = "arn:aws:iam::123456789012:role/lbc";
const container = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
};

/** The load balancer controller's values as the platform sets them. */
const values = {
    replicaCount: 2,
    podDisruptionBudget: { maxUnavailable: 1 },
    podSecurityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: container,
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    priorityClassName: "platform-critical",
    serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": ROLE } },
};
const release = (v: unknown, chart = "aws-load-balancer-controller") => resource(RELEASE, "lbc", { chart, version: "3.5.0", values: v });
const prod = {
    ...stackConfig(checkChartValues, "prod"),
    "platform-k8s-helm-values": { enforcementLevel: "mandatory" as const, requireHighAvailability: true, minimumReplicas: 2, requirePriorityClass: true },
};
const run = (v: unknown) => messages(checkChartValues, [release(v)], prod);
const fails = (problem: string) => [`kubernetes:helm.sh/v3:Release "lbc" ${problem}.`];

describe("policy platform-k8s-helm-values", () => {
    it("lets a component whose table row says why it runs as root (Fluent Bit) go without runAsNonRoot, but no other", async () => {
        const agent = {
            podSecurityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
            serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": ROLE } },
        };
        const fluentBit = resource(RELEASE, "fb", { chart: "fluent-bit", version: "0.58.1", values: agent });
        expect(await messages(checkChartValues, [fluentBit], prod)).to.deep.equal([]);
        const dropped = withValue(agent, "securityContext.capabilities.drop", []);
        expect(await messages(checkChartValues, [resource(RELEASE, "fb", { chart: "fluent-bit", version: "0.58.1", values: dropped })], prod)).to.have.length(
            1,
        );
        expect(await run(withValue(values, "podSecurityContext.runAsNonRoot", REMOVE))).to.deep.equal(
            fails("does not require controller to run as non-root: set podSecurityContext.runAsNonRoot: true"),
        );
    });

    it("passes the values the platform sets (and values unknown during preview)", async () => {
        expect(await run(values)).to.deep.equal([]);
        expect(await run({ ...values, serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": Unknown.instance } } })).to.deep.equal([]);
    });
    it("fails a missing or weak pod security context", async () => {
        expect(await run(withValue(values, "podSecurityContext", REMOVE))).to.deep.equal(
            fails("does not set podSecurityContext (the pod security context of controller)"),
        );
        expect(await run(withValue(values, "podSecurityContext.runAsNonRoot", false))).to.deep.equal(
            fails("does not require controller to run as non-root: set podSecurityContext.runAsNonRoot: true"),
        );
        expect(await run(withValue(values, "podSecurityContext.seccompProfile", REMOVE))).to.deep.equal(
            fails("runs controller without a seccomp profile: set podSecurityContext.seccompProfile.type: RuntimeDefault"),
        );
    });
    it("fails each weakness of the container security context", async () => {
        expect(await run(withValue(values, "securityContext.allowPrivilegeEscalation", true))).to.deep.equal(
            fails("lets controller escalate privileges: set securityContext.allowPrivilegeEscalation: false"),
        );
        expect(await run(withValue(values, "securityContext.capabilities", REMOVE))).to.deep.equal(
            fails('keeps the capabilities of controller: set securityContext.capabilities.drop: ["ALL"]'),
        );
        expect(await run(withValue(values, "securityContext.readOnlyRootFilesystem", false))).to.deep.equal(
            fails("lets controller write its root filesystem: set securityContext.readOnlyRootFilesystem: true"),
        );
    });
    it("fails missing requests or memory limit", async () => {
        expect(await run(withValue(values, "resources.limits", REMOVE))).to.deep.equal(
            fails("does not set resources.limits.memory (requests and a memory limit of controller)"),
        );
    });
    it("in prod, fails one replica and a missing disruption budget; dev does not ask", async () => {
        expect(await run({ ...values, replicaCount: 1 })).to.deep.equal(fails("runs 1 replica of controller: set replicaCount to at least 2"));
        expect(await run(withValue(values, "podDisruptionBudget", REMOVE))).to.deep.equal(
            fails("has no disruption budget for controller: enable podDisruptionBudget"),
        );
        expect(
            await messages(checkChartValues, [release({ ...values, replicaCount: 1, podDisruptionBudget: {} })], stackConfig(checkChartValues, "dev")),
        ).to.deep.equal([]);
    });
    it("fails a service account without its workload role", async () => {
        expect(await run(withValue(values, "serviceAccount.annotations", {}))).to.deep.equal(
            fails('does not give serviceAccount its workload role: set serviceAccount.annotations["eks.amazonaws.com/role-arn"] to the role\'s ARN'),
        );
    });
    it("fails credentials in values, by name or by their look, and not references to them", async () => {
        const leak = "writes a credential into its values at";
        const tail = "it lands in the Helm release Secret and Pulumi's state; mount it from a Secret the chart references instead";
        expect(await run({ ...values, grafana: { adminPassword: "hunter2" } })).to.deep.equal(
            fails(`${leak} grafana.adminPassword (a credential by its name): ${tail}`),
        );
        expect(await run({ ...values, extraEnv: [{ name: "KEY", value: "AKIAIOSFODNN7EXAMPLE" }] })).to.deep.equal(
            fails(`${leak} extraEnv[0].value (an AWS access key id): ${tail}`),
        );
        expect(await run({ ...values, admin: { existingSecret: "grafana-admin", passwordKey: "admin-password" }, tls: { secretName: "x" } })).to.deep.equal([]);
    });
    it("reports a chart it does not know", async () => {
        expect(await messages(checkChartValues, [release({}, "oci://registry.example.com/charts/mystery")], prod)).to.deep.equal([
            'kubernetes:helm.sh/v3:Release "lbc" installs the chart mystery, whose value paths the pack does not know, so nothing checks what it renders. Add its row to policies/lib/chartValuePaths.ts.',
        ]);
        expect(chartName("oci://public.ecr.aws/karpenter/karpenter")).to.equal("karpenter");
    });

    it("knows every chart both stacks install", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const plan = await sharedPlan(stack);
            for (const r of plan.ofType(RELEASE)) {
                expect(Object.keys(CHART_VALUE_PATHS), `${stack} ${r.name}`).to.include(chartName(String(r.inputs.chart)));
            }
        }
    });

    describe("against the upstream values.yaml in ../shared/charts", () => {
        /** The values file a path of the table reads (kube-prometheus-stack's grafana is a subchart). */
        const valuesFileOf = (chart: string, path: string): { file: string | undefined; path: string } =>
            chart === "kube-prometheus-stack" && path.startsWith("grafana.")
                ? { file: sharedFile("charts/kube-prometheus-stack/subcharts/grafana-12.11.1-values.yaml"), path: path.slice("grafana.".length) }
                : { file: sharedFile(`charts/${chart}/values.yaml`), path };
        it("every path of the table is a key the chart declares (or documents as a commented key)", function () {
            if (sharedFile("charts/INDEX.md") === undefined) {
                this.skip();
            }
            const problems: string[] = [];
            for (const [chart, table] of Object.entries(CHART_VALUE_PATHS)) {
                const paths = [
                    ...Object.values(table.components).flatMap((c) =>
                        [c.podSecurityContext, c.containerSecurityContext, c.resources, c.replicas, c.disruptionBudget].filter(
                            (p): p is string => p !== undefined,
                        ),
                    ),
                    ...(table.workloadIdentity ?? []).map((w) => `${w.serviceAccount}.annotations`),
                ];
                for (const full of paths) {
                    const { file, path } = valuesFileOf(chart, full);
                    if (file === undefined) {
                        problems.push(`${chart}: no values file`);
                        continue;
                    }
                    const text = fs.readFileSync(file, "utf8");
                    let node: unknown = declaredValues(text);
                    const keys = path.split(".");
                    const commented = new RegExp(`^\\s*#\\s*${keys[keys.length - 1]}:`, "m");
                    for (const [i, key] of keys.entries()) {
                        const record = node as Record<string, unknown> | null;
                        if (record === null || typeof record !== "object" || !(key in record)) {
                            // Declared only as a comment under an existing parent (grafana's priorityClassName).
                            if (!(i === keys.length - 1 && commented.test(text))) {
                                problems.push(`${chart}: ${full}`);
                            }
                            break;
                        }
                        node = record[key];
                    }
                }
            }
            expect(problems).to.deep.equal([]);
        });
    });
});
