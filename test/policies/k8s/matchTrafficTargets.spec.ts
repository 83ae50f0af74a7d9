import { expect } from "chai";
import { matchTrafficTargets } from "../../../policies/rules/k8s/matchTrafficTargets";
import type { PolicyInput } from "../../../tools/offline/policyRunner";
import { Unknown } from "../../../tools/offline/values";
import { messages, resource, stackConfig, withValue } from "../check";
import { ingress, service } from "../fixtures";
import { networkPolicy, shop, web } from "./graph";

const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const svc = (props: Record<string, unknown> = service, name = "web") => resource(SERVICE, name, props);
const ing = (props: Record<string, unknown> = ingress, name = "web", type = INGRESS) => resource(type, name, props);
const webPolicy = networkPolicy("web", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 8080 }] }] });
const run = (...resources: PolicyInput[]) => messages(matchTrafficTargets, resources);

const serviceSelectsNothing = (selector: string, name = "web", type = SERVICE) =>
    `${type} "${name}" selects no pods: no workload of namespace shop has pod labels matching its selector ${selector}, so it has no endpoints. Set spec.selector to the pod template labels of the workload it fronts.`;
const policySelectsNothing = (selector: string, name = "web", type = NETPOL) =>
    `${type} "${name}" selects no pods: no workload of namespace shop has pod labels matching its podSelector ${selector}, so it governs nothing. Set spec.podSelector to the pod template labels of the workloads it is for.`;

/** A workload of each kind in `shop` with pod labels app=web. */
const WORKLOADS: [string, Record<string, unknown>][] = [
    ["kubernetes:apps/v1:Deployment", { spec: { template: { metadata: { labels: { app: "web" } } } } }],
    ["kubernetes:apps/v1:StatefulSet", { spec: { template: { metadata: { labels: { app: "web" } } } } }],
    ["kubernetes:apps/v1:DaemonSet", { spec: { template: { metadata: { labels: { app: "web" } } } } }],
    ["kubernetes:apps/v1:ReplicaSet", { spec: { template: { metadata: { labels: { app: "web" } } } } }],
    ["kubernetes:batch/v1:Job", { spec: { template: { metadata: { labels: { app: "web" } } } } }],
    ["kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: "web" } } } } } } }],
    ["kubernetes:core/v1:Pod", { metadata: { labels: { app: "web" } } }],
];

describe("policy platform-k8s-traffic-targets (X-12)", () => {
    it("passes a Service, NetworkPolicy and Ingress that point at the workload and Service of the stack", async () => {
        expect(await run(shop, web(), svc(), webPolicy, ing())).to.deep.equal([]);
        expect(await run(shop, web(true), svc(), webPolicy, ing()), "workload namespace by dependency").to.deep.equal([]);
    });
    it("matches the pod labels of every workload kind, in every API version of Service, NetworkPolicy and Ingress", async () => {
        for (const [type, spec] of WORKLOADS) {
            const workload = resource(type, "w", withValue(spec, "metadata.namespace", "shop"));
            expect(await run(workload, svc(), webPolicy, ing()), type).to.deep.equal([]);
            expect(await run(workload, svc(withValue(service, "spec.selector.app", "api"))), type).to.deep.equal([serviceSelectsNothing('{"app":"api"}')]);
        }
        const beta = {
            metadata: { name: "web", namespace: "shop" },
            spec: { rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", backend: { serviceName: "api", servicePort: 80 } }] } }] },
        };
        for (const type of ["kubernetes:extensions/v1beta1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress"]) {
            expect(await run(web(), svc(), ing(beta, "web", type)), type).to.deep.equal([
                `${type} "web" sends shop.example.com / to Service "api", which namespace shop does not have in the stack. Create that Service, or name an existing one in the backend.`,
            ]);
        }
        const extensionsPolicy = networkPolicy("web", { podSelector: { matchLabels: { app: "api" } } }, "kubernetes:extensions/v1beta1:NetworkPolicy");
        expect(await run(web(), extensionsPolicy)).to.deep.equal([
            policySelectsNothing('{"matchLabels":{"app":"api"}}', "web", "kubernetes:extensions/v1beta1:NetworkPolicy"),
        ]);
    });
    it("fails a Service whose selector matches no pod of its namespace (a workload of another namespace does not count)", async () => {
        expect(await run(web(), svc(withValue(service, "spec.selector", { app: "web", tier: "front" })))).to.deep.equal([
            serviceSelectsNothing('{"app":"web","tier":"front"}'),
        ]);
        const elsewhere = resource("kubernetes:apps/v1:Deployment", "api", {
            metadata: { namespace: "other" },
            spec: { template: { metadata: { labels: { app: "api" } } } },
        });
        expect(await run(web(), elsewhere, svc(withValue(service, "spec.selector.app", "api")))).to.deep.equal([serviceSelectsNothing('{"app":"api"}')]);
    });
    it("fails a NetworkPolicy whose podSelector matches no pod, by labels or expressions; an empty podSelector is namespace-wide", async () => {
        expect(await run(web(), networkPolicy("web", { podSelector: { matchLabels: { app: "wbe" } } }))).to.deep.equal([
            policySelectsNothing('{"matchLabels":{"app":"wbe"}}'),
        ]);
        const expressions = { matchExpressions: [{ key: "app", operator: "In", values: ["api"] }] };
        expect(await run(web(), networkPolicy("web", { podSelector: expressions }))).to.deep.equal([policySelectsNothing(JSON.stringify(expressions))]);
        expect(await run(web(), networkPolicy("deny", { podSelector: {}, policyTypes: ["Ingress"] }))).to.deep.equal([]);
    });
    it("fails an Ingress backend (rule or default) naming a Service the namespace does not have", async () => {
        expect(await run(web(), svc(), ing(withValue(ingress, "spec.rules.0.http.paths.0.backend.service.name", "webb")))).to.deep.equal([
            `${INGRESS} "web" sends shop.example.com / to Service "webb", which namespace shop does not have in the stack. Create that Service, or name an existing one in the backend.`,
        ]);
        expect(await run(web(), svc(), ing(withValue(ingress, "spec.defaultBackend", { service: { name: "fallback", port: { number: 80 } } })))).to.deep.equal([
            `${INGRESS} "web" sends (default backend) to Service "fallback", which namespace shop does not have in the stack. Create that Service, or name an existing one in the backend.`,
        ]);
    });
    it("does not take an AWS Load Balancer Controller action (port use-annotation) or a resource backend for a Service", async () => {
        const action = withValue(ingress, "spec.rules.0.http.paths.0.backend", { service: { name: "ssl-redirect", port: { name: "use-annotation" } } });
        const bucket = withValue(ingress, "spec.rules.0.http.paths.0", {
            path: "/static",
            pathType: "Prefix",
            backend: { resource: { apiGroup: "k8s.example.com", kind: "Bucket", name: "static" } },
        });
        expect(await run(web(), svc(), ing(action), ing(bucket, "static"))).to.deep.equal([]);
    });
    it("fails two Ingresses of one IngressGroup or class routing the same host and path, reported on the later one", async () => {
        const other = withValue(ingress, "metadata.name", "web-2");
        expect(await run(web(), svc(), ing(), ing(other, "web-2"))).to.deep.equal([
            `${INGRESS} "web-2" routes host shop.example.com path /, which ${INGRESS} "web" also routes in IngressGroup "shop": the load balancer sends those requests to only one of them. Give each host and path to one Ingress.`,
        ]);
        // Across namespaces too: an IngressGroup spans them.
        const otherNamespace = withValue(other, "metadata.namespace", "blog");
        expect(await run(web(), svc(), ing(), ing(otherNamespace, "blog"))).to.have.length(1);
        // Another group, another path, or another host: no conflict.
        expect(
            await run(web(), svc(), ing(), ing(withValue(other, "metadata.annotations", { "alb.ingress.kubernetes.io/group.name": "blog" }), "web-2")),
        ).to.deep.equal([]);
        expect(await run(web(), svc(), ing(), ing(withValue(other, "spec.rules.0.http.paths.0.path", "/api"), "web-2"))).to.deep.equal([]);
        // Without a group, the ingress class is the scope; a path left unset is "/".
        const plain = (name: string, className?: string) =>
            ing(
                {
                    metadata: { name, namespace: "shop" },
                    spec: {
                        ...(className ? { ingressClassName: className } : {}),
                        rules: [{ host: "a.example.com", http: { paths: [{ pathType: "Prefix", backend: { service: { name: "web" } } }] } }],
                    },
                },
                name,
            );
        expect(await run(web(), svc(), plain("a", "nginx"), plain("b", "nginx"))).to.deep.equal([
            `${INGRESS} "b" routes host a.example.com path /, which ${INGRESS} "a" also routes in ingress class "nginx": the load balancer sends those requests to only one of them. Give each host and path to one Ingress.`,
        ]);
        expect(await run(web(), svc(), plain("a", "nginx"), plain("b", "alb"))).to.deep.equal([]);
        expect(await run(web(), svc(), plain("a"), plain("b"))).to.have.length(1);
    });
    it("fails one Ingress routing a host and path twice", async () => {
        const twice = withValue(ingress, "spec.rules.1", ingress.spec.rules[0]);
        expect(await run(web(), svc(), ing(twice))).to.deep.equal([
            `${INGRESS} "web" routes host shop.example.com path /, which another of its own rules also routes in IngressGroup "shop": the load balancer sends those requests to only one of them. Give each host and path to one Ingress.`,
        ]);
    });
    it("judges selectors and backends only where the stack's own workloads run and nothing invisible adds pods or Services", async () => {
        const wrong = svc(withValue(service, "spec.selector.app", "grafana"));
        const backendless = ing(withValue(ingress, "spec.rules.0.http.paths.0.backend.service.name", "grafana"));
        // No workload of the stack in the namespace: its pods come from elsewhere.
        expect(await run(wrong, backendless)).to.deep.equal([]);
        // A Helm release, or a pod-creating operator resource, in the namespace.
        const release = resource("kubernetes:helm.sh/v3:Release", "grafana", { chart: "grafana", version: "10.1.0", namespace: "shop" });
        expect(await run(web(), release, wrong, backendless)).to.deep.equal([]);
        const prometheus = resource("kubernetes:monitoring.coreos.com/v1:Prometheus", "prom", { metadata: { name: "k8s", namespace: "shop" }, spec: {} });
        expect(await run(web(), prometheus, wrong, backendless)).to.deep.equal([]);
        // The kinds are configurable.
        const config = { "platform-k8s-traffic-targets": { podCreatingKinds: [] } };
        expect(await messages(matchTrafficTargets, [web(), prometheus, wrong], config)).to.deep.equal([serviceSelectsNothing('{"app":"grafana"}')]);
        // A ServiceMonitor makes no pods: the namespace is still judged.
        const monitor = resource("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "web", { metadata: { name: "web", namespace: "shop" }, spec: {} });
        expect(await run(web(), monitor, wrong)).to.deep.equal([serviceSelectsNothing('{"app":"grafana"}')]);
        // System namespaces are never judged.
        const system = (r: PolicyInput) => ({
            ...r,
            inputs: withValue(r.inputs, "metadata.namespace", "kube-system"),
            outputs: withValue(r.outputs, "metadata.namespace", "kube-system"),
        });
        expect(await run(system(web()), system(wrong))).to.deep.equal([]);
    });
    it("exempts Services without a selector and ExternalName Services (attribute omitted)", async () => {
        expect(await run(web(), svc({ metadata: service.metadata, spec: { ports: service.spec.ports } }))).to.deep.equal([]);
        expect(
            await run(web(), svc({ metadata: service.metadata, spec: { type: "ExternalName", externalName: "db.example.com", selector: { app: "x" } } })),
        ).to.deep.equal([]);
        expect(await run(web(), ing({ metadata: ingress.metadata, spec: {} }))).to.deep.equal([]);
    });
    it("does not judge what is unknown during preview", async () => {
        expect(await run(web(), svc(withValue(service, "spec.selector", Unknown.instance)))).to.deep.equal([]);
        expect(await run(web(), svc(withValue(service, "spec.selector.app", Unknown.instance)))).to.deep.equal([]);
        expect(await run(web(), networkPolicy("p", { podSelector: Unknown.instance }))).to.deep.equal([]);
        expect(await run(web(false, "web", { app: Unknown.instance } as never), svc(withValue(service, "spec.selector.app", "api")))).to.deep.equal([]);
        // A Service whose name is unknown may be the backend; a backend name or host unknown is not judged.
        expect(
            await run(
                web(),
                svc(withValue(service, "metadata.name", Unknown.instance)),
                ing(withValue(ingress, "spec.rules.0.http.paths.0.backend.service.name", "api")),
            ),
        ).to.deep.equal([]);
        expect(await run(web(), svc(), ing(withValue(ingress, "spec.rules.0.http.paths.0.backend.service.name", Unknown.instance)))).to.deep.equal([]);
        expect(await run(web(), svc(), ing(), ing(withValue(ingress, "spec.rules.0.host", Unknown.instance), "web-2"))).to.deep.equal([]);
        expect(await run(web(), svc(), ing(), ing(withValue(ingress, "metadata.annotations", Unknown.instance), "web-2"))).to.deep.equal([]);
        // A workload whose pod template is unknown may have any labels.
        const opaque = resource("kubernetes:apps/v1:Deployment", "api", { metadata: { namespace: "shop" }, spec: { template: Unknown.instance } });
        expect(await run(web(), opaque, svc(withValue(service, "spec.selector.app", "api")))).to.deep.equal([]);
        // A Service whose namespace is unknown may be the backend.
        const api = svc(withValue(withValue(service, "metadata.name", "api"), "metadata.namespace", Unknown.instance), "api");
        expect(await run(web(), svc(), api, ing(withValue(ingress, "spec.rules.0.http.paths.0.backend.service.name", "api")))).to.deep.equal([]);
        // A workload whose namespace is unknown (and names no Namespace) may run anywhere: its pods count everywhere.
        const anywhere = resource("kubernetes:apps/v1:Deployment", "api", {
            metadata: { namespace: Unknown.instance },
            spec: { template: { metadata: { labels: { app: "api" } } } },
        });
        expect(await run(web(), anywhere, svc(withValue(service, "spec.selector.app", "api")))).to.deep.equal([]);
    });
    it("is mandatory in prod and advisory in dev", async () => {
        expect(matchTrafficTargets.levels).to.deep.equal({ prod: "mandatory", dev: "advisory" });
        expect(stackConfig(matchTrafficTargets, "dev")["platform-k8s-traffic-targets"]).to.deep.equal({ enforcementLevel: "advisory" });
    });
});
