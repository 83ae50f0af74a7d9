/**
 * Pure NetworkPolicy specs of an application namespace: deny everything, then allow DNS, the load
 * balancer and Prometheus in, and the data tier plus declared destinations out; and the flows they
 * serve ({@link applicationFlows}).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ApplicationConfig } from "../../config";
import { OTLP_PORTS, TRACING, collectorPodLabels, gatewayPods } from "../addons/tracingPipelines";
import { KUBE_DNS, dnsFlows, podsOf, tcp, type NetworkFlow } from "../flows";
import { appLabels } from "./workload";

type PolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Ports of the data tier. */
export const DATA_PORTS = { postgres: 5432, redis: 6379 } as const;

/** Where Prometheus runs: kube-prometheus-stack's Prometheus pods in the monitoring namespace. */
export const PROMETHEUS_PEER = {
    namespace: "monitoring",
    podLabels: { "app.kubernetes.io/name": "prometheus" },
} as const;

/** Every pod of the application (server and migration Job). */
function allPodsOf(app: string): Record<string, string> {
    return { "app.kubernetes.io/name": app };
}

/** Default deny: selects every pod, allows nothing in either direction. */
export function denyAllSpec(): PolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** DNS to kube-dns only (UDP and TCP 53). */
export function dnsSpec(): PolicySpec {
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                to: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                ],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
        ],
    };
}

/**
 * Ingress to the server pods: the application port from the load balancer (the ALB reaches pod IPs from
 * its ENIs in the public subnets) and the metrics port from Prometheus (its ServiceMonitor scrapes only
 * that port).
 */
export function ingressSpec(app: ApplicationConfig, publicSubnetCidrs: readonly string[]): PolicySpec {
    return {
        podSelector: { matchLabels: appLabels(app.name, "server") },
        policyTypes: ["Ingress"],
        ingress: [
            ...(app.host !== undefined
                ? [{ from: publicSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: app.port }] }]
                : []),
            {
                from: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": PROMETHEUS_PEER.namespace } },
                        podSelector: { matchLabels: { ...PROMETHEUS_PEER.podLabels } },
                    },
                ],
                ports: [{ protocol: "TCP", port: app.metricsPort }],
            },
        ],
    };
}

/**
 * Egress of all the application's pods: the trace gateway's OTLP ports, the database subnets on 5432 and
 * 6379 as used, plus declared destinations.
 */
export function egressSpec(app: ApplicationConfig, databaseSubnetCidrs: readonly string[]): PolicySpec {
    const dataPorts = [...(app.database ? [DATA_PORTS.postgres] : []), ...(app.cache ? [DATA_PORTS.redis] : [])];
    const rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
        {
            to: [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": TRACING.namespace } },
                    podSelector: { matchLabels: collectorPodLabels("gateway") },
                },
            ],
            ports: [OTLP_PORTS.grpc, OTLP_PORTS.http].map((port) => ({ protocol: "TCP", port })),
        },
    ];
    if (dataPorts.length > 0) {
        rules.push({ to: databaseSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: dataPorts.map((port) => ({ protocol: "TCP", port })) });
    }
    for (const e of app.egress) {
        rules.push({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [{ protocol: "TCP", port: e.port }] });
    }
    return { podSelector: { matchLabels: allPodsOf(app.name) }, policyTypes: ["Egress"], egress: rules };
}

/**
 * The application's flows, as its config asks for them: DNS; the ALB to the server pods (with a host);
 * Prometheus to the metrics port; the database and the cache as used; its declared egress. The
 * NetworkPolicies above and the security groups must allow each, and nothing else.
 */
export function applicationFlows(app: ApplicationConfig, namespace: string): NetworkFlow[] {
    const c = `Application ${app.name}`;
    const pods = podsOf(namespace, allPodsOf(app.name));
    const servers = podsOf(namespace, appLabels(app.name, "server"));
    const alb = `the internet-facing ALB of ${app.host ?? ""}`;
    return [
        ...dnsFlows(`${app.name}-to-kube-dns`, c, podsOf(namespace), KUBE_DNS, "name resolution"),
        ...(app.host === undefined
            ? []
            : [
                  // The controller opens the ALB's listener ports in the group it makes for the ALB.
                  tcp(`clients-to-load-balancer-of-${app.name}-443`, c, { addresses: "internet" }, { group: "loadBalancer" }, 443, alb),
                  tcp(`clients-to-load-balancer-of-${app.name}-80`, c, { addresses: "internet" }, { group: "loadBalancer" }, 80, `${alb}: redirects to 443`),
                  tcp(
                      `load-balancer-to-${app.name}`,
                      c,
                      { group: "loadBalancer" },
                      servers,
                      app.port,
                      `${alb}: requests and health checks to the pods' addresses (IP targets)`,
                  ),
              ]),
        tcp(
            `prometheus-to-${app.name}`,
            c,
            podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels),
            servers,
            app.metricsPort,
            `the ServiceMonitor scrapes ${app.metricsPath}`,
        ),
        tcp(`${app.name}-to-otel-gateway-grpc`, c, pods, gatewayPods(), OTLP_PORTS.grpc, "OTLP traces (gRPC), for SDKs configured for it"),
        tcp(`${app.name}-to-otel-gateway-http`, c, pods, gatewayPods(), OTLP_PORTS.http, "OTLP traces (HTTP), OTEL_EXPORTER_OTLP_ENDPOINT"),
        ...(app.database ? [tcp(`${app.name}-to-postgres`, c, pods, { group: "database" }, DATA_PORTS.postgres, "DATABASE_URL")] : []),
        ...(app.cache ? [tcp(`${app.name}-to-redis`, c, pods, { group: "cache" }, DATA_PORTS.redis, "REDIS_URL")] : []),
        ...app.egress.map((e) => tcp(`${app.name}-to-${e.cidr}-${e.port}`, c, pods, { cidr: e.cidr }, e.port, "declared in platform:apps egress")),
    ];
}
