/**
 * Pure NetworkPolicy specs of an application namespace: deny everything, then allow DNS, the load
 * balancer and Prometheus in, and the data tier plus declared destinations out; and the flows they
 * serve ({@link applicationFlows}).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { ApplicationConfig } from "../../config";
import { KUBE_DNS, dnsFlows, podsOf, type NetworkFlow } from "../flows";
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

/** Egress of all the application's pods: the database subnets on 5432 and 6379 as used, plus declared destinations. */
export function egressSpec(app: ApplicationConfig, databaseSubnetCidrs: readonly string[]): PolicySpec | undefined {
    const dataPorts = [...(app.database ? [DATA_PORTS.postgres] : []), ...(app.cache ? [DATA_PORTS.redis] : [])];
    const rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [];
    if (dataPorts.length > 0) {
        rules.push({ to: databaseSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: dataPorts.map((port) => ({ protocol: "TCP", port })) });
    }
    for (const e of app.egress) {
        rules.push({ to: [{ ipBlock: { cidr: e.cidr } }], ports: [{ protocol: "TCP", port: e.port }] });
    }
    return rules.length === 0 ? undefined : { podSelector: { matchLabels: allPodsOf(app.name) }, policyTypes: ["Egress"], egress: rules };
}

/**
 * The application's flows, as its config asks for them: DNS; the ALB to the server pods (with a host);
 * Prometheus to the metrics port; the database and the cache as used; its declared egress. The
 * NetworkPolicies above and the security groups must allow each, and nothing else.
 */
export function applicationFlows(app: ApplicationConfig, namespace: string): NetworkFlow[] {
    const component = `Application ${app.name}`;
    const pods = podsOf(namespace, allPodsOf(app.name));
    const servers = podsOf(namespace, appLabels(app.name, "server"));
    return [
        ...dnsFlows(`${app.name}-to-kube-dns`, component, podsOf(namespace), KUBE_DNS, "name resolution"),
        ...(app.host !== undefined
            ? [
                  ...[80, 443].map((port): NetworkFlow => ({
                      name: `clients-to-load-balancer-of-${app.name}-${port}`,
                      component,
                      from: { addresses: "internet" },
                      to: { group: "loadBalancer" },
                      protocol: "tcp",
                      port,
                      why: `the internet-facing ALB of ${app.host} (80 only redirects to 443); the controller opens its listener ports`,
                  })),
                  {
                      name: `load-balancer-to-${app.name}`,
                      component,
                      from: { group: "loadBalancer" },
                      to: servers,
                      protocol: "tcp",
                      port: app.port,
                      why: `the ALB of ${app.host} sends requests and health checks to the pods' addresses (IP targets)`,
                  } satisfies NetworkFlow,
              ]
            : []),
        {
            name: `prometheus-to-${app.name}`,
            component,
            from: podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels),
            to: servers,
            protocol: "tcp",
            port: app.metricsPort,
            why: `the ServiceMonitor scrapes ${app.metricsPath}`,
        },
        ...(app.database
            ? [
                  {
                      name: `${app.name}-to-postgres`,
                      component,
                      from: pods,
                      to: { group: "database" },
                      protocol: "tcp",
                      port: DATA_PORTS.postgres,
                      why: "DATABASE_URL",
                  } satisfies NetworkFlow,
              ]
            : []),
        ...(app.cache
            ? [
                  {
                      name: `${app.name}-to-redis`,
                      component,
                      from: pods,
                      to: { group: "cache" },
                      protocol: "tcp",
                      port: DATA_PORTS.redis,
                      why: "REDIS_URL",
                  } satisfies NetworkFlow,
              ]
            : []),
        ...app.egress.map((e): NetworkFlow => ({
            name: `${app.name}-to-${e.cidr}-${e.port}`,
            component,
            from: pods,
            to: { cidr: e.cidr },
            protocol: "tcp",
            port: e.port,
            why: "declared in platform:apps egress",
        })),
    ];
}
