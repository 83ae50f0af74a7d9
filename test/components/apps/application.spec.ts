import { expect } from "chai";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { Secret } from "../../../tools/offline/values";

/* eslint-disable @typescript-eslint/no-require-imports -- kubernetes-models is CommonJS */
const models: Record<string, new (o: unknown) => { validate(): void }> = {
    Namespace: require("kubernetes-models/v1").Namespace,
    ResourceQuota: require("kubernetes-models/v1").ResourceQuota,
    LimitRange: require("kubernetes-models/v1").LimitRange,
    ServiceAccount: require("kubernetes-models/v1").ServiceAccount,
    Secret: require("kubernetes-models/v1").Secret,
    Service: require("kubernetes-models/v1").Service,
    Deployment: require("kubernetes-models/apps/v1").Deployment,
    Job: require("kubernetes-models/batch/v1").Job,
    HorizontalPodAutoscaler: require("kubernetes-models/autoscaling/v2").HorizontalPodAutoscaler,
    PodDisruptionBudget: require("kubernetes-models/policy/v1").PodDisruptionBudget,
    Ingress: require("kubernetes-models/networking.k8s.io/v1").Ingress,
    NetworkPolicy: require("kubernetes-models/networking.k8s.io/v1").NetworkPolicy,
    ServiceMonitor: require("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1").ServiceMonitor,
    PrometheusRule: require("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1").PrometheusRule,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const APPS = ["api", "web"] as const;
const ALB = "alb.ingress.kubernetes.io/";

function objectsOf(plan: Plan, app: string): RecordedResource[] {
    return plan.descendantsOf(plan.get("platform:apps:Application", `app-${app}`)).filter((r) => r.type.startsWith("kubernetes:"));
}

function kindOf(r: RecordedResource, inputs: Record<string, unknown>): string {
    return r.type === "kubernetes:apiextensions.k8s.io:CustomResource" ? (inputs.kind as string) : r.type.split(":").pop()!;
}

function one(plan: Plan, app: string, kind: string): Record<string, unknown> {
    const found = objectsOf(plan, app).filter((r) => kindOf(r, plan.inputsOf(r)) === kind);
    expect(found, `${app} ${kind}`).to.have.length(1);
    return plan.inputsOf(found[0]);
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const stack of ["dev", "prod"] as const) {
    describe(`applications in ${stack}`, () => {
        for (const app of APPS) {
            describe(app, () => {
                it("every Kubernetes object validates against the upstream schema", async () => {
                    const plan = await sharedPlan(stack);
                    const objects = objectsOf(plan, app);
                    expect(objects.length).to.be.greaterThan(10);
                    for (const r of objects) {
                        const inputs = plan.inputsOf(r);
                        const kind = kindOf(r, inputs);
                        const Model = models[kind];
                        expect(Model, `a model for ${kind}`).to.not.equal(undefined);
                        const apiVersion = (inputs.apiVersion as string | undefined) ?? r.type.split(":")[1].replace(/^core\//, "");
                        expect(() => new Model({ ...inputs, apiVersion, kind }).validate(), `${r.name}`).to.not.throw();
                    }
                });

                it("runs hardened pods with probes, requests and a memory limit", async () => {
                    const plan = await sharedPlan(stack);
                    const deployment = one(plan, app, "Deployment") as Obj;
                    const pod = deployment.spec.template.spec;
                    expect(pod.securityContext).to.include({ runAsNonRoot: true });
                    expect(pod.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
                    const c = pod.containers[0];
                    expect(c.securityContext).to.deep.include({
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                    });
                    expect(c.volumeMounts).to.deep.include({ name: "tmp", mountPath: "/tmp" });
                    expect(pod.volumes.find((v: Obj) => v.name === "tmp").emptyDir).to.not.equal(undefined);
                    expect(c.resources.requests).to.have.keys("cpu", "memory");
                    expect(c.resources.limits).to.have.property("memory");
                    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
                        expect(c[probe].httpGet.path, probe).to.match(/^\//);
                    }
                    expect(c.image).to.match(/@sha256:[a-f0-9]{64}$/);
                    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).to.equal(0);
                    expect(pod.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).to.deep.equal([
                        "topology.kubernetes.io/zone",
                        "kubernetes.io/hostname",
                    ]);
                    expect(c.lifecycle.preStop.sleep.seconds).to.be.greaterThan(0);
                    expect(pod.automountServiceAccountToken).to.equal(false);
                    expect(JSON.stringify(c.env)).to.not.match(/postgres:\/\/|rediss:\/\//);
                    expect(deployment.spec.template.metadata.annotations["platform/credentials-checksum"]).to.match(/^[a-f0-9]{64}$/);
                });

                it("has a disruption budget below its replicas and autoscaler bounds from config", async () => {
                    const plan = await sharedPlan(stack);
                    const deployment = one(plan, app, "Deployment") as Obj;
                    const hpa = one(plan, app, "HorizontalPodAutoscaler") as Obj;
                    const pdb = one(plan, app, "PodDisruptionBudget") as Obj;
                    expect(pdb.spec.maxUnavailable).to.equal(1);
                    expect(pdb.spec.selector.matchLabels).to.deep.equal(deployment.spec.selector.matchLabels);
                    expect(hpa.spec.minReplicas).to.equal(deployment.spec.replicas);
                    expect(hpa.spec.maxReplicas).to.equal(stack === "prod" ? 12 : 3);
                    expect(hpa.spec.metrics.map((m: Obj) => m.resource.name)).to.deep.equal(["cpu", "memory"]);
                    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).to.equal(300);
                });

                it("has default-deny and DNS policies, and allowing policies that select its pods", async () => {
                    const plan = await sharedPlan(stack);
                    const labels = (one(plan, app, "Deployment") as Obj).spec.template.metadata.labels;
                    const policies = objectsOf(plan, app)
                        .filter((r) => r.type.endsWith("NetworkPolicy"))
                        .map((r) => plan.inputsOf(r) as Obj);
                    const named = (n: string) => policies.find((p) => p.metadata.name === n)!;
                    expect(named("default-deny").spec).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
                    expect(named("allow-dns").spec.egress[0].ports.map((p: Obj) => p.port)).to.deep.equal([53, 53]);
                    const selects = (p: Obj) => Object.entries(p.spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
                    expect(selects(named("allow-ingress"))).to.equal(true);
                    const from = named("allow-ingress").spec.ingress.flatMap((r: Obj) => r.from);
                    expect(from.some((f: Obj) => f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === "monitoring")).to.equal(true);
                    // Prometheus scrapes the metrics port only (api: 9100, web: its application port 8080).
                    const fromPrometheus = named("allow-ingress").spec.ingress.find((r: Obj) => r.from.some((f: Obj) => f.namespaceSelector !== undefined));
                    expect(fromPrometheus.ports).to.deep.equal([{ protocol: "TCP", port: app === "api" ? 9100 : 8080 }]);
                    if (app === "api") {
                        expect(selects(named("allow-egress"))).to.equal(true);
                        expect(named("allow-egress").spec.egress[1].ports.map((p: Obj) => p.port)).to.deep.equal([5432, 6379]);
                    }
                    // Every application may reach the trace gateway's OTLP ports, and only its pods.
                    const otlp = named("allow-egress").spec.egress[0];
                    expect(otlp.ports.map((p: Obj) => p.port)).to.deep.equal([4317, 4318]);
                    expect(otlp.to).to.deep.equal([
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tracing" } },
                            podSelector: {
                                matchLabels: {
                                    "app.kubernetes.io/name": "opentelemetry-collector",
                                    "app.kubernetes.io/instance": "otel-gateway",
                                    component: "standalone-collector",
                                },
                            },
                        },
                    ]);
                });

                it("is exposed through an ALB Ingress with the WAF, the certificate, TLS 1.3 and access logs", async () => {
                    const plan = await sharedPlan(stack);
                    const ingress = one(plan, app, "Ingress") as Obj;
                    const a = ingress.metadata.annotations;
                    expect(ingress.spec.ingressClassName).to.equal("alb");
                    const acl = plan.ofType("aws:wafv2/webAcl:WebAcl")[0];
                    expect(a[`${ALB}wafv2-acl-arn`]).to.equal(acl.outputs.arn);
                    expect(a[`${ALB}certificate-arn`]).to.equal(plan.ofType("aws:acm/certificate:Certificate")[0].outputs.arn);
                    expect(a[`${ALB}ssl-policy`]).to.match(/^ELBSecurityPolicy-TLS13-/);
                    expect(a[`${ALB}ssl-redirect`]).to.equal("443");
                    expect(a[`${ALB}load-balancer-attributes`]).to.include("routing.http.drop_invalid_header_fields.enabled=true");
                    expect(a[`${ALB}load-balancer-attributes`]).to.include("access_logs.s3.prefix=alb");
                    expect(a[`${ALB}load-balancer-attributes`]).to.include(`deletion_protection.enabled=${stack === "prod"}`);
                    expect(a[`${ALB}listener-attributes.HTTPS-443`]).to.include("strict_transport_security");
                    expect(a[`${ALB}healthcheck-path`]).to.equal(
                        (one(plan, app, "Deployment") as Obj).spec.template.spec.containers[0].readinessProbe.httpGet.path,
                    );
                });

                it("keeps its URLs secret and runs migrations before the Deployment", async () => {
                    const plan = await sharedPlan(stack);
                    const secret = objectsOf(plan, app).find((r) => r.type === "kubernetes:core/v1:Secret")!;
                    expect(secret.inputs.stringData).to.be.instanceOf(Secret);
                    const data = plan.inputsOf(secret).stringData as Record<string, string>;
                    const deployment = objectsOf(plan, app).find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
                    if (app === "api") {
                        expect(data.DATABASE_URL).to.match(/^postgres:\/\/[^:]+:[^@]+@[^/]+:5432\/\w+\?sslmode=require$/);
                        expect(data.DATABASE_URL).to.include(String(plan.get("aws:rds/instance:Instance", "data-postgres-instance").outputs.address));
                        expect(data.REDIS_URL).to.match(/^rediss:\/\/:[^@]+@.+:6379$/);
                        const job = objectsOf(plan, app).find((r) => r.type === "kubernetes:batch/v1:Job")!;
                        expect(plan.dependsOn(deployment, job)).to.equal(true);
                        const jobSpec = plan.inputsOf(job) as Obj;
                        // The reference image's migrate command (reference-app/src/main.ts), its entrypoint spelled out: a Job's command replaces it.
                        expect(jobSpec.spec.template.spec.containers[0].command).to.deep.equal(["/nodejs/bin/node", "/app/dist/src/main.js", "migrate"]);
                        expect(jobSpec.spec.template.spec.volumes[1].secret.secretName).to.equal(data && `${app}-credentials`);
                    } else {
                        expect(data).to.not.have.property("DATABASE_URL");
                    }
                });
            });
        }

        it("pins the Pod Security Standards version of application namespaces to the cluster minor", async () => {
            const plan = await sharedPlan(stack);
            const labels = (one(plan, "api", "Namespace") as Obj).metadata.labels;
            expect(labels).to.include({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.36" });
            expect(plan.outputs.applicationUrls).to.deep.equal({
                api: `https://${stack === "prod" ? "app.example.com" : "app.dev.example.com"}`,
                web: `https://${stack === "prod" ? "app.example.com" : "app.dev.example.com"}`,
            });
        });
    });
}
