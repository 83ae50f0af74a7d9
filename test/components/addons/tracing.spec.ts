import { expect } from "chai";
import { PLATFORM_ALERT_NAMES, platformAlertGroups } from "../../../components/addons/platformAlerts";
import { tracingFlows, xrayWritePolicy } from "../../../components/addons/tracing";
import { TRACING, collectorPodLabels, gatewayConfig, otlpEndpoint, samplerConfig, samplerServiceHost } from "../../../components/addons/tracingPipelines";
import { telemetryEnvironment } from "../../../components/apps/workload";
import { PRIORITY_CLASSES } from "../../../components/priorities";
import { stackFlows } from "../../../components/stackFlows";
import { RESERVED_ENV } from "../../../config/keys/apps";
import { CHARTS, OTEL_COLLECTOR_IMAGE } from "../../../versions";
import { resolve } from "../../config/resolve";
import { policyOf, sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { undeclaredKeys, upstreamChart } from "./chartValues";
import { expectChartMonitors } from "./chartMonitors";
import { PRODUCED_METRICS, metricNamesOf } from "./producedMetrics";

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** Values the chart renders whole with toYaml, or passes through as the collector's config. */
const RENDERED_WHOLE = ["alternateConfig", "podSecurityContext", "securityContext", "resources", "serviceAccount.annotations", "topologySpreadConstraints"];
/**
 * Keys that values.yaml does not declare but the templates render at opentelemetry-collector-0.170.0:
 * `service.clusterIP` (values.schema.json declares it; templates/service.yaml, the sampler's headless
 * Service) and `podDisruptionBudget.maxUnavailable` (a comment in values.yaml; templates/pdb.yaml).
 */
const NOT_IN_VALUES_YAML = ["service.clusterIP", "podDisruptionBudget.maxUnavailable"];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the trace pipeline (OpenTelemetry collectors to X-Ray)", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });
    const release = (plan: Plan, tier: "gateway" | "sampler") => plan.get(RELEASE, `tracing-${tier}`);
    const valuesOf = (plan: Plan, tier: "gateway" | "sampler") => plan.inputsOf(release(plan, tier)).values as Obj;

    it("two releases of the pinned chart with the contrib image, in the restricted namespace tracing", () => {
        for (const plan of [dev, prod]) {
            for (const tier of ["gateway", "sampler"] as const) {
                const r = release(plan, tier);
                expect(r.inputs).to.deep.include({ name: TRACING[tier].releaseName, version: CHARTS.openTelemetryCollector.version });
                const values = valuesOf(plan, tier);
                expect(values.mode).to.equal("deployment");
                expect(values.image).to.deep.equal({ repository: OTEL_COLLECTOR_IMAGE.repository, tag: OTEL_COLLECTOR_IMAGE.tag });
                expect(values.image.repository).to.include("opentelemetry-collector-contrib");
                expect(values.command).to.deep.equal({ name: "otelcol-contrib" });
                expect(values.priorityClassName).to.equal(PRIORITY_CLASSES.observability.name);
                expect(values.securityContext).to.deep.include({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
                // The chart's ServiceMonitor, made by the program after the release and the monitoring release.
                expect(values.serviceMonitor).to.deep.equal({ enabled: false });
                const [monitor] = expectChartMonitors(plan, r, [`tracing-${tier}-service-monitor`]);
                expect(monitor.inputs.spec).to.deep.equal({
                    selector: { matchLabels: collectorPodLabels(tier) },
                    endpoints: [{ port: "metrics", interval: "30s" }],
                });
                expect(values.ports.metrics.enabled).to.equal(true);
                // The chart's jaeger and zipkin receivers' ports are closed.
                for (const port of ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"]) {
                    expect(values.ports[port], port).to.deep.equal({ enabled: false });
                }
            }
            const ns = plan.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as Obj).name === "tracing")!;
            expect((ns.inputs.metadata as Obj).labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        }
    });

    it("prod: two gateways or more with an HPA and a PDB, two samplers with a PDB; dev: one of each", () => {
        const gateway = valuesOf(prod, "gateway");
        expect(gateway.autoscaling).to.deep.include({ enabled: true, minReplicas: 2, maxReplicas: 6 });
        expect(gateway.podDisruptionBudget).to.deep.equal({ enabled: true, maxUnavailable: 1 });
        const sampler = valuesOf(prod, "sampler");
        expect(sampler.replicaCount).to.equal(2);
        expect(sampler.autoscaling, "the sampler's membership moves only on a rollout").to.equal(undefined);
        expect(sampler.podDisruptionBudget).to.deep.equal({ enabled: true, maxUnavailable: 1 });
        for (const tier of ["gateway", "sampler"] as const) {
            expect(valuesOf(dev, tier).replicaCount).to.equal(1);
            expect(valuesOf(dev, tier).podDisruptionBudget).to.deep.equal({ enabled: false });
            expect(valuesOf(dev, tier).autoscaling).to.equal(undefined);
        }
    });

    it("the values validate against the chart's strict values.schema.json and every key exists upstream", function () {
        const chart = upstreamChart("opentelemetry-collector");
        if (chart === undefined) {
            this.skip(); // ../shared is absent
        }
        for (const plan of [dev, prod]) {
            for (const tier of ["gateway", "sampler"] as const) {
                const values = valuesOf(plan, tier);
                expect(chart!.schemaErrors(values), tier).to.deep.equal([]);
                expect(
                    undeclaredKeys(values, chart!.defaults, RENDERED_WHOLE).filter((k) => !NOT_IN_VALUES_YAML.includes(k)),
                    tier,
                ).to.deep.equal([]);
            }
        }
        // service.clusterIP is the schema's, and typed there: a wrong type is refused.
        expect(chart!.schemaErrors({ ...valuesOf(dev, "sampler"), service: { type: "ClusterIP", clusterIP: 0 } })).to.not.deep.equal([]);
        // The check itself: the schema refuses an unknown key and a mode it does not know.
        expect(chart!.schemaErrors({ ...valuesOf(dev, "gateway"), replicas: 2 })).to.not.deep.equal([]);
        expect(chart!.schemaErrors({ ...valuesOf(dev, "gateway"), mode: "gateway" })).to.not.deep.equal([]);
    });

    it("the gateway: OTLP gRPC and HTTP in; memory limiter first, Kubernetes attributes, batch; routed by trace id to the sampler's headless Service", () => {
        const config = gatewayConfig() as Obj;
        expect(Object.keys(config.receivers.otlp.protocols)).to.have.members(["grpc", "http"]);
        expect(config.service.pipelines.traces).to.deep.equal({
            receivers: ["otlp"],
            processors: ["memory_limiter", "k8s_attributes", "batch"],
            exporters: ["loadbalancing"],
        });
        expect(Object.keys(config.service.pipelines), "traces only").to.deep.equal(["traces"]);
        expect(config.exporters.loadbalancing.routing_key).to.equal("traceID");
        expect(config.exporters.loadbalancing.resolver.dns).to.deep.include({ hostname: samplerServiceHost(), port: "4317" });
        expect(config.extensions.health_check.endpoint).to.equal("${env:MY_POD_IP}:13133");
        const values = valuesOf(prod, "gateway");
        expect(values.alternateConfig).to.deep.equal(config);
        expect(values.presets).to.deep.equal({ kubernetesAttributes: { enabled: true } });
        expect(values.serviceAccount).to.deep.include({ name: "otel-gateway", automountServiceAccountToken: true, annotations: {} });
        expect(values.service).to.deep.equal({ type: "ClusterIP" });
        expect(valuesOf(prod, "sampler").service).to.deep.equal({ type: "ClusterIP", clusterIP: "None" });
    });

    it("the sampler: keeps errors, slow traces and the configured share, decided per trace, and writes to X-Ray of the region", () => {
        for (const [stack, percent] of [
            ["dev", 100],
            ["prod", 10],
        ] as const) {
            const config = samplerConfig(resolve(stack).tracing, "eu-west-1") as Obj;
            expect(config.service.pipelines.traces).to.deep.equal({
                receivers: ["otlp"],
                processors: ["memory_limiter", "tail_sampling", "batch"],
                exporters: ["awsxray"],
            });
            expect(config.processors.tail_sampling.policies).to.deep.equal([
                { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
                { name: "slow", type: "latency", latency: { threshold_ms: 1000 } },
                { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: percent } },
            ]);
            expect(config.exporters.awsxray.region).to.equal("eu-west-1");
            expect(Object.keys(config.receivers.otlp.protocols)).to.deep.equal(["grpc"]);
        }
        const sampler = valuesOf(prod, "sampler");
        expect(sampler.alternateConfig.processors.tail_sampling.policies[2].probabilistic.sampling_percentage).to.equal(10);
        expect(sampler.presets).to.deep.equal({ kubernetesAttributes: { enabled: false } });
    });

    it("only the sampler has an AWS identity, and it may only put trace segments", () => {
        for (const plan of [dev, prod]) {
            const policy = policyOf(plan.get("aws:iam/rolePolicy:RolePolicy", "tracing-sampler-role-policy").inputs.policy);
            expect(policy).to.deep.equal(xrayWritePolicy());
            expect(policy.Statement.flatMap((s) => [s.Action].flat())).to.deep.equal(["xray:PutTraceSegments"]);
            const sa = valuesOf(plan, "sampler").serviceAccount;
            expect(sa).to.deep.include({ name: "otel-sampler", automountServiceAccountToken: false });
            expect(Object.keys(sa.annotations)).to.deep.equal(["eks.amazonaws.com/role-arn"]);
            const roles = plan.ofType("aws:iam/role:Role").filter((r) => String(r.name).startsWith("tracing-"));
            expect(roles.map((r) => r.name)).to.deep.equal(["tracing-sampler-role-role"]);
        }
    });

    it("installs after the system nodes (its ServiceMonitors after the monitoring release); the gateway waits for nothing else, and nothing waits for either", () => {
        for (const plan of [dev, prod]) {
            for (const tier of ["gateway", "sampler"] as const) {
                expect(plan.dependsOn(release(plan, tier), plan.get(RELEASE, "monitoring-release")), tier).to.equal(false);
                expect(plan.dependsOn(release(plan, tier), plan.get("aws:eks/nodeGroup:NodeGroup", "eks-nodes-system")), tier).to.equal(true);
            }
            expect(plan.dependsOn(release(plan, "gateway"), release(plan, "sampler"))).to.equal(false);
            const waiting = plan.resources.filter(
                (r: RecordedResource) =>
                    !r.name.startsWith("tracing") && (plan.dependsOn(r, release(plan, "gateway")) || plan.dependsOn(r, release(plan, "sampler"))),
            );
            expect(waiting.map((r) => r.name)).to.deep.equal([]);
        }
    });

    it("every application gets the OTLP endpoint, its service name and resource attributes, and config cannot override them", () => {
        for (const [plan, environment] of [
            [dev, "dev"],
            [prod, "prod"],
        ] as const) {
            const deployments = plan
                .ofType("kubernetes:apps/v1:Deployment")
                .filter((r) => String((plan.inputsOf(r).metadata as Obj).namespace).startsWith("app-"));
            expect(deployments.length).to.be.greaterThan(0);
            for (const deployment of deployments) {
                const inputs = plan.inputsOf(deployment) as Obj;
                const app = inputs.metadata.name as string;
                const env = inputs.spec.template.spec.containers[0].env as Obj[];
                const value = (name: string) => env.find((e) => e.name === name)?.value;
                expect(value("OTEL_EXPORTER_OTLP_ENDPOINT"), app).to.equal("http://otel-gateway.tracing.svc.cluster.local:4318");
                expect(value("OTEL_EXPORTER_OTLP_PROTOCOL"), app).to.equal("http/protobuf");
                expect(value("OTEL_SERVICE_NAME"), app).to.equal(app);
                expect(value("OTEL_RESOURCE_ATTRIBUTES"), app).to.equal(
                    `deployment.environment.name=${environment},k8s.namespace.name=app-${app},k8s.pod.name=$(POD_NAME),k8s.pod.uid=$(POD_UID)`,
                );
                // The downward API's variables come before the one that expands them.
                const index = (name: string) => env.findIndex((e) => e.name === name);
                expect(env[index("POD_NAME")].valueFrom).to.deep.equal({ fieldRef: { fieldPath: "metadata.name" } });
                expect(index("POD_NAME")).to.be.lessThan(index("OTEL_RESOURCE_ATTRIBUTES"));
                expect(index("POD_UID")).to.be.lessThan(index("OTEL_RESOURCE_ATTRIBUTES"));
            }
        }
        const names = telemetryEnvironment({ app: resolve("dev").apps[0], environment: "dev", namespace: "app-api" }).map((e) => e.name);
        expect(RESERVED_ENV).to.include.members(names);
        expect(otlpEndpoint()).to.match(/:4318$/);
    });

    it("alerts on refused, failed and dropped spans, with metrics the collector produces", () => {
        expect(PLATFORM_ALERT_NAMES).to.include.members(["TracesRefused", "TracesExportFailing", "TracesDropped"]);
        const group = platformAlertGroups("").find((g) => g.name === "platform.traces")!;
        const rules = group.rules;
        expect(rules.map((r) => r.alert)).to.deep.equal(["TracesRefused", "TracesExportFailing", "TracesDropped"]);
        for (const rule of rules) {
            for (const metric of metricNamesOf(rule.expr)) {
                expect(PRODUCED_METRICS, `${rule.alert}: ${metric}`).to.have.property(metric);
            }
        }
    });

    it("its flows are the stack's: the gateway to the API and the sampler, the sampler to X-Ray, Prometheus to both, the apps to the gateway's two ports", () => {
        for (const stack of ["dev", "prod"] as const) {
            const config = resolve(stack);
            const flows = stackFlows(config);
            expect(flows.map((f) => f.name)).to.include.members(tracingFlows().map((f) => f.name));
            for (const app of config.apps) {
                const toGateway = flows.filter((f) => f.name.startsWith(`${app.name}-to-otel-gateway`));
                expect(toGateway.map((f) => f.port).sort()).to.deep.equal([4317, 4318]);
            }
        }
    });
});
