/**
 * external-dns: publishes an alias record (A and AAAA) for the host of every Ingress in the stack's public
 * hosted zone, pointing at the ALB the load balancer controller made for it. Its namespace (Pod Security
 * `restricted`), the Helm release, a hardened pod on the system nodes, a ServiceMonitor, and a
 * service-account role that may change records of that one zone only, only under the stack's domain and
 * only of the types it writes.
 *
 * Ownership: external-dns's TXT registry marks every record it makes with a TXT record naming the stack's
 * owner id (`platform:externalDns.txtOwnerId`), and it changes only records so marked. The registry's TXT
 * records carry a prefix with the record type (`extdns-a.<host>`), so they never share a name with an
 * alias or CNAME record, and apex hosts work (docs/registry/txt.md at the chart's tag). prod runs
 * `upsert-only`: it never deletes a record, and its role may not either.
 *
 * Only Ingresses are sources: the program makes no Service of type LoadBalancer (every Service is
 * ClusterIP behind an ALB Ingress), and a source it does not need is a way to publish what nobody
 * reviewed. With Ingresses alone, the chart's ClusterRole reads Ingresses and nothing else (no nodes,
 * pods or services).
 *
 * One replica, no disruption budget: external-dns is a single writer (the chart hard-codes `replicas: 1`
 * and has no leader election), and two would race each other's changes. The chart's `Recreate` strategy
 * keeps it at one during upgrades; a minute without it only delays new records, it serves no traffic, so a
 * budget (which would block every drain of its node) buys nothing.
 *
 * The chart's ServiceMonitor needs the Prometheus Operator's CRD: the release is installed after whatever
 * `after` names (the load balancer controller and the monitoring release). Nothing waits for it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import type { EdgeConfig } from "../../config/edge";
import type { ExternalDnsPolicy } from "../../config/keys/externalDns";
import { CHARTS } from "../../versions";
import { PROMETHEUS_PEER } from "../apps/networkPolicies";
import { WorkloadRole } from "../eks/workloadIdentity";
import { KUBE_DNS, dnsFlows, httpsToInternet, podsOf, tcp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { PRIORITY_CLASSES } from "../priorities";
import type { HostedZone } from "./certManager";

/** Where external-dns runs; the role trusts exactly its service account. */
export const EXTERNAL_DNS = {
    namespace: "external-dns",
    releaseName: "external-dns",
    serviceAccount: "external-dns",
} as const;

/**
 * The prefix of the registry's TXT records: the record type, then a label of its own, so `app.example.com`'s
 * A record is owned by the TXT record `extdns-a.app.example.com` and the zone apex's by `extdns-a.example.com`
 * (upstream's advice for apex records). Never change it on a running stack: the records it marked would be
 * orphaned (docs/runbooks/dns.md).
 */
export const TXT_PREFIX = "extdns-%{record_type}.";

/** The record types external-dns manages: the alias records of an ALB (it writes an AAAA alias beside every A alias). */
export const MANAGED_RECORD_TYPES = ["A", "AAAA"] as const;

/** The port external-dns serves metrics and health checks on: the chart's fixed container port (`service.port` default). */
export const EXTERNAL_DNS_METRICS_PORT = 7979;

const defaults = {
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
};

/** What external-dns's values are made of. */
export interface ExternalDnsValuesInput {
    /** The public hosted zone it writes to. */
    readonly zone: HostedZone;
    /** The stack's domain (platform:edge.domain): it publishes names under it only. */
    readonly domain: string;
    /** Owner id of its TXT registry. */
    readonly txtOwnerId: string;
    /** upsert-only (never deletes) or sync. */
    readonly policy: ExternalDnsPolicy;
    /** Region of the stack. */
    readonly region: string;
    /** ARN of its role (an output: the values stay known in a preview but for this one field). */
    readonly roleArn: pulumi.Input<string>;
}

/** The chart values (every key exists in the chart's values.yaml and they validate against its schema; tests check both). */
export function externalDnsValues(input: ExternalDnsValuesInput): Record<string, unknown> {
    return {
        provider: { name: "aws" },
        sources: ["ingress"],
        policy: input.policy,
        registry: "txt",
        txtOwnerId: input.txtOwnerId,
        txtPrefix: TXT_PREFIX,
        domainFilters: [input.domain],
        managedRecordTypes: [...MANAGED_RECORD_TYPES],
        // The chart has no value for these; it renders each map entry as --<key>=<value>. Only the one public
        // zone, whatever other zone of the same name (a private one) the account has.
        extraArgs: { "zone-id-filter": input.zone.id, "aws-zone-type": "public" },
        logFormat: "json",
        // The IRSA webhook sets the region too; upstream's example sets it explicitly (STS is called in it).
        env: [{ name: "AWS_DEFAULT_REGION", value: input.region }],
        serviceAccount: { create: true, name: EXTERNAL_DNS.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": input.roleArn } },
        // fsGroup lets the non-root process read the projected web-identity token of its IRSA role.
        podSecurityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: defaults.resources,
        priorityClassName: PRIORITY_CLASSES.platformCritical.name,
        nodeSelector: { "kubernetes.io/os": "linux", [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        // The chart's Service (port http) is always there; its ServiceMonitor is externalDnsServiceMonitorSpec's.
        serviceMonitor: { enabled: false },
    };
}

/**
 * The chart's ServiceMonitor at external-dns-helm-chart-1.21.1 (templates/servicemonitor.yaml): its selector
 * labels, port http, path /metrics (no interval or timeout set: Prometheus's defaults).
 */
export function externalDnsServiceMonitorSpec(): Record<string, unknown> {
    return {
        jobLabel: "app.kubernetes.io/instance",
        namespaceSelector: { matchNames: [EXTERNAL_DNS.namespace] },
        selector: { matchLabels: { "app.kubernetes.io/name": "external-dns", "app.kubernetes.io/instance": EXTERNAL_DNS.releaseName } },
        endpoints: [{ port: "http", path: "/metrics" }],
    };
}

/**
 * The role's policy: list the account's hosted zones (external-dns finds its zone by listing them, then
 * filters by id; `ListHostedZones` has no resource-level permissions), list the records of the one zone,
 * and change records of that zone only: only A, AAAA (the alias records) and TXT (the registry), only the
 * domain and names under it, and with `upsert-only` never a DELETE (a change that would need one fails,
 * and docs/runbooks/dns.md says what to do). No `GetChange` (it never waits for propagation) and no
 * `ListTagsForResources` (it filters zones by id, not by tags).
 */
export function externalDnsPolicy(zone: HostedZone, domain: string, policy: ExternalDnsPolicy, partition: string): PolicyDocument {
    const zoneArn = `arn:${partition}:route53:::hostedzone/${zone.id}`;
    // Route 53 compares normalised names: lower case, no trailing dot.
    const name = domain.toLowerCase().replace(/\.$/, "");
    return policyDocument(
        { Sid: "FindTheZone", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
        { Sid: "ListRecordsOfTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zoneArn },
        {
            Sid: "ChangeAppRecordsInTheZone",
            Effect: "Allow",
            Action: "route53:ChangeResourceRecordSets",
            Resource: zoneArn,
            Condition: {
                "ForAllValues:StringEquals": {
                    "route53:ChangeResourceRecordSetsRecordTypes": [...MANAGED_RECORD_TYPES, "TXT"],
                    "route53:ChangeResourceRecordSetsActions": policy === "sync" ? ["CREATE", "UPSERT", "DELETE"] : ["CREATE", "UPSERT"],
                },
                // The registry's records (extdns-a.<host>) are one label below a host, so under the domain too.
                "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [name, `*.${name}`] },
            },
        },
    );
}

/** Where a stack's external-dns publishes. */
export interface PublishedZone {
    /** The public hosted zone. */
    readonly hostedZone: HostedZone;
    /** The stack's domain in it. */
    readonly domain: string;
}

/**
 * The zone and domain external-dns publishes the stack's hosts in, or undefined when the stack has no
 * hosted zone: then there is no external-dns (index.ts), no role and none of its flows (stackFlows.ts).
 */
export function publishedZoneOf(edge: EdgeConfig): PublishedZone | undefined {
    return edge.hostedZoneId === undefined || edge.hostedZoneName === undefined || edge.domain === undefined
        ? undefined
        : { hostedZone: { id: edge.hostedZoneId, name: edge.hostedZoneName }, domain: edge.domain };
}

/** Arguments of {@link ExternalDns}. */
export interface ExternalDnsArgs extends AddonInstallArgs, PublishedZone {
    /** Prefix of the role's Name tag (the stack's name prefix). */
    namePrefix: string;
    /** Region of the stack. */
    region: string;
    /** AWS partition, for ARNs. */
    partition: string;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** Owner id of its TXT registry (unique to the stack: config/rules/externalDns.ts). */
    txtOwnerId: string;
    /** upsert-only (prod) or sync. */
    policy: ExternalDnsPolicy;
    /** The release that installs the ServiceMonitor CRD: the ServiceMonitor waits for it. */
    monitoringRelease: pulumi.Resource;
}

/** external-dns for the stack's hosted zone. */
export class ExternalDns extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:ExternalDns", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: EXTERNAL_DNS.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // One pod (Recreate: no surge), with room for a debug pod.
                budget: { requestsCpu: "500m", requestsMemory: "512Mi", limitsMemory: "1Gi", pods: 3 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const role = new WorkloadRole(
            `${name}-role`,
            {
                oidcProviderArn: args.oidcProviderArn,
                issuer: args.issuer,
                namespace: EXTERNAL_DNS.namespace,
                serviceAccount: EXTERNAL_DNS.serviceAccount,
                purpose: `external-dns records for ${args.domain} in ${args.hostedZone.name}`,
                namePrefix: args.namePrefix,
                policy: externalDnsPolicy(args.hostedZone, args.domain, args.policy, args.partition),
            },
            { parent: this },
        );
        this.release = helmRelease(
            `${name}-release`,
            {
                chart: CHARTS.externalDns,
                releaseName: EXTERNAL_DNS.releaseName,
                namespace,
                values: externalDnsValues({
                    zone: args.hostedZone,
                    domain: args.domain,
                    txtOwnerId: args.txtOwnerId,
                    policy: args.policy,
                    region: args.region,
                    roleArn: role.role.arn,
                }),
                atomic: args.atomic,
            },
            // The role keeps its policy until the release is gone (on destroy too).
            { parent: this, provider: args.provider, dependsOn: [role, ...args.after] },
        );
        chartMonitor(
            `${name}-service-monitor`,
            {
                kind: "ServiceMonitor",
                name: EXTERNAL_DNS.releaseName,
                namespace: EXTERNAL_DNS.namespace,
                spec: externalDnsServiceMonitorSpec(),
                release: this.release,
                monitoringRelease: args.monitoringRelease,
                provider: args.provider,
            },
            this,
        );
        this.registerOutputs({ releaseStatus: this.release.status });
    }
}

/**
 * external-dns's flows: it watches Ingresses on the Kubernetes API; it calls Route 53 and STS
 * (AssumeRoleWithWebIdentity) over HTTPS; it resolves their names through CoreDNS; Prometheus scrapes it.
 */
export function externalDnsFlows(): NetworkFlow[] {
    const c = "ExternalDns";
    const pods = podsOf(EXTERNAL_DNS.namespace, { "app.kubernetes.io/name": "external-dns", "app.kubernetes.io/instance": EXTERNAL_DNS.releaseName });
    return [
        tcp("external-dns-to-api", c, pods, { group: "cluster" }, 443, "watches Ingresses for their hosts and load balancers"),
        httpsToInternet("external-dns-to-route53", c, pods, "records through the Route 53 API, STS AssumeRoleWithWebIdentity for its role"),
        ...dnsFlows("external-dns-to-kube-dns", c, pods, KUBE_DNS, "name resolution of the Route 53 and STS endpoints"),
        tcp(
            "prometheus-to-external-dns",
            c,
            podsOf(PROMETHEUS_PEER.namespace, PROMETHEUS_PEER.podLabels),
            pods,
            EXTERNAL_DNS_METRICS_PORT,
            "the chart's ServiceMonitor scrapes its metrics",
        ),
    ];
}
