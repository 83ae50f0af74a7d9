/**
 * cert-manager: its namespace (Pod Security `restricted`), the Helm release with its CRDs (kept when the
 * release is removed), hardened pods on the system nodes, two replicas of the controller, webhook and
 * CA injector with disruption budgets in prod, and a ServiceMonitor; when the stack has a public hosted
 * zone, a service-account role that may only write `_acme-challenge` TXT records in that zone (DNS-01);
 * and the cluster's issuers ({@link ClusterIssuers}).
 *
 * The ServiceMonitor is the program's (chartMonitors.ts), the chart's own at v1.21.1
 * (deploy/charts/cert-manager/templates/servicemonitor.yaml): the release needs no monitoring CRD and
 * installs beside kube-prometheus-stack.
 *
 * DNS-01 self check: before it asks Let's Encrypt to validate, cert-manager checks that the TXT record has
 * propagated. By default it asks the zone's authoritative name servers on port 53, which node egress (443
 * only) never reaches, so challenges would stay pending. The controller therefore asks only the VPC's
 * resolver (the Route 53 Resolver at the VPC base + 2, which security groups do not filter and which
 * resolves public zones): `--dns01-recursive-nameservers` and `--dns01-recursive-nameservers-only`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_PURPOSE_LABEL, SYSTEM_TAINT_KEY } from "../../config/keys/nodeGroups";
import { CHARTS } from "../../versions";
import { WorkloadRole } from "../eks/workloadIdentity";
import { dnsFlows, httpsToInternet, podsOf, tcp, vpcResolverIp, type NetworkFlow } from "../flows";
import { chartMonitor } from "./chartMonitors";
import { helmRelease, type AddonInstallArgs } from "../helmRelease";
import { PlatformNamespace } from "../platformNamespace";
import { PRIORITY_CLASSES } from "../priorities";
import { policyDocument, type PolicyDocument } from "../policyDocument";
import { ClusterIssuers, type AcmeSettings } from "./clusterIssuers";

/** Where cert-manager runs; the DNS-01 role trusts exactly the controller's service account. */
export const CERT_MANAGER = {
    namespace: "cert-manager",
    serviceAccount: "cert-manager",
    releaseName: "cert-manager",
} as const;

/** The record-name prefix of ACME DNS-01 challenges (RFC 8555, section 8.4). */
export const ACME_CHALLENGE_LABEL = "_acme-challenge";

/** Requests and memory limit of each cert-manager component. */
const RESOURCES = {
    controller: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    webhook: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    cainjector: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    startupapicheck: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
} as const;

/** The Route 53 zone the DNS-01 role may write challenge records in. */
export interface HostedZone {
    /** Zone id (without `/hostedzone/`). */
    readonly id: string;
    /** Zone name, without the trailing dot. */
    readonly name: string;
}

/**
 * The DNS-01 policy (cert-manager's documented Route 53 policy, narrowed): read change status; change
 * records only in the one zone, only TXT records, and only `_acme-challenge` names in it; list that
 * zone's records. No `ListHostedZonesByName`: the issuers name the zone id, so cert-manager never looks
 * zones up.
 */
export function dns01Policy(zone: HostedZone, partition: string): PolicyDocument {
    const zoneArn = `arn:${partition}:route53:::hostedzone/${zone.id}`;
    // Route 53 compares normalised names: lower case, no trailing dot.
    const zoneName = zone.name.toLowerCase().replace(/\.$/, "");
    return policyDocument(
        { Sid: "ReadChangeStatus", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` },
        {
            Sid: "WriteAcmeChallengeRecordsInTheZone",
            Effect: "Allow",
            Action: "route53:ChangeResourceRecordSets",
            Resource: zoneArn,
            Condition: {
                "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                "ForAllValues:StringLike": {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`${ACME_CHALLENGE_LABEL}.${zoneName}`, `${ACME_CHALLENGE_LABEL}.*.${zoneName}`],
                },
            },
        },
        { Sid: "ListRecordsOfTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zoneArn },
    );
}

/**
 * The recursive name servers of cert-manager's DNS-01 self check, as the controller's
 * `--dns01-recursive-nameservers` takes them (`host:port`): the VPC's resolver, VPC base + 2, port 53.
 */
export function dns01RecursiveNameservers(vpcCidr: string): string {
    return `${vpcResolverIp(vpcCidr)}:53`;
}

/** What cert-manager's values are made of. */
export interface CertManagerValuesInput {
    /** Two replicas with disruption budgets. */
    readonly highlyAvailable: boolean;
    /** CIDR of the VPC: the DNS-01 self check asks its resolver (base + 2) and nothing else. */
    readonly vpcCidr: string;
    /** ARN of the DNS-01 role; undefined: no public zone, no role. */
    readonly roleArn?: string;
}

const CONTAINER_SECURITY_CONTEXT = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};
const POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

/** Scheduling of a component: on the system nodes, spread over zones. */
function placement(component: string): Record<string, unknown> {
    const labels = { "app.kubernetes.io/instance": CERT_MANAGER.releaseName, "app.kubernetes.io/component": component };
    return {
        nodeSelector: { "kubernetes.io/os": "linux", [NODE_PURPOSE_LABEL]: "system" },
        tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
        ],
    };
}

/** Replicas and disruption budget of a long-running component. */
function availability(highlyAvailable: boolean): Record<string, unknown> {
    return highlyAvailable
        ? { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } }
        : { replicaCount: 1, podDisruptionBudget: { enabled: false } };
}

/** The chart values (they validate against the chart's strict values.schema.json; a test checks it). */
export function certManagerValues(input: CertManagerValuesInput): Record<string, unknown> {
    return {
        crds: { enabled: true, keep: true },
        global: {
            // Leader-election leases in cert-manager's own namespace rather than kube-system.
            leaderElection: { namespace: CERT_MANAGER.namespace },
            // The chart's only priority key: controller, webhook, CA injector and the startupapicheck Job all read it.
            priorityClassName: PRIORITY_CLASSES.platformCritical.name,
        },
        ...availability(input.highlyAvailable),
        // The chart renders these as the controller's --dns01-recursive-nameservers(-only) flags
        // (templates/deployment.yaml at v1.21.1): the self check never asks authoritative servers on port 53.
        dns01RecursiveNameservers: dns01RecursiveNameservers(input.vpcCidr),
        dns01RecursiveNameserversOnly: true,
        serviceAccount: {
            create: true,
            name: CERT_MANAGER.serviceAccount,
            ...(input.roleArn === undefined ? {} : { annotations: { "eks.amazonaws.com/role-arn": input.roleArn } }),
        },
        // fsGroup lets the non-root controller read the projected web-identity token of its IRSA role.
        securityContext: { ...POD_SECURITY_CONTEXT, fsGroup: 1001 },
        containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
        resources: RESOURCES.controller,
        ...placement("controller"),
        // The metrics Service (port http-metrics); its ServiceMonitor is certManagerServiceMonitor's.
        prometheus: { enabled: true, servicemonitor: { enabled: false }, podmonitor: { enabled: false } },
        webhook: {
            ...availability(input.highlyAvailable),
            securityContext: POD_SECURITY_CONTEXT,
            containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
            resources: RESOURCES.webhook,
            ...placement("webhook"),
        },
        cainjector: {
            enabled: true,
            ...availability(input.highlyAvailable),
            securityContext: POD_SECURITY_CONTEXT,
            containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
            resources: RESOURCES.cainjector,
            ...placement("cainjector"),
        },
        startupapicheck: {
            enabled: true,
            securityContext: POD_SECURITY_CONTEXT,
            containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
            resources: RESOURCES.startupapicheck,
            nodeSelector: { "kubernetes.io/os": "linux", [NODE_PURPOSE_LABEL]: "system" },
            tolerations: [{ key: SYSTEM_TAINT_KEY, operator: "Exists" }],
        },
    };
}

/** Arguments of {@link CertManager}. */
export interface CertManagerArgs extends AddonInstallArgs {
    /** Prefix of Name tags and of the internal CA's name (the stack's name prefix). */
    namePrefix: string;
    /** Region of the stack. */
    region: string;
    /** AWS partition, for ARNs. */
    partition: string;
    /** CIDR of the VPC; its resolver (base + 2) answers the DNS-01 self check. */
    vpcCidr: string;
    /** ARN of the cluster's OIDC provider. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** The public hosted zone; undefined: no Let's Encrypt issuers and no DNS-01 role. */
    hostedZone?: HostedZone;
    /** Contact email of the Let's Encrypt account; required with `hostedZone`. */
    acmeEmail?: string;
    /** Two replicas of each component with disruption budgets (prod). */
    highlyAvailable: boolean;
    /** The release that installs the ServiceMonitor CRD: the ServiceMonitor waits for it. */
    monitoringRelease: pulumi.Resource;
}

/**
 * The chart's ServiceMonitor at v1.21.1: the controller's, webhook's and CA injector's metrics Services,
 * target port http-metrics, every 60 s with a 30 s timeout (its values' defaults).
 */
export function certManagerServiceMonitorSpec(): Record<string, unknown> {
    return {
        jobLabel: "app.kubernetes.io/name",
        selector: {
            matchExpressions: [
                { key: "app.kubernetes.io/name", operator: "In", values: ["cainjector", "cert-manager", "webhook"] },
                { key: "app.kubernetes.io/instance", operator: "In", values: [CERT_MANAGER.releaseName] },
                { key: "app.kubernetes.io/component", operator: "In", values: ["cainjector", "controller", "webhook"] },
            ],
        },
        endpoints: [{ targetPort: "http-metrics", path: "/metrics", interval: "60s", scrapeTimeout: "30s", honorLabels: false }],
    };
}

/** cert-manager with its issuers. */
export class CertManager extends pulumi.ComponentResource {
    /** The Helm release. */
    public readonly release: k8s.helm.v3.Release;
    /** The ClusterIssuers. */
    public readonly issuers: ClusterIssuers;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.hostedZone !== undefined && args.acmeEmail === undefined) {
            throw new pulumi.InputPropertyError({ propertyPath: "acmeEmail", reason: "an ACME account email is required with a hosted zone" });
        }
        super("platform:addons:CertManager", name, {}, opts);
        const namespace = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: CERT_MANAGER.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // Two replicas of three components, a surge of one each, and the startup check.
                budget: { requestsCpu: "1", requestsMemory: "1Gi", limitsMemory: "5Gi", pods: 12 },
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const zone = args.hostedZone;
        const role =
            zone === undefined
                ? undefined
                : new WorkloadRole(
                      `${name}-dns01`,
                      {
                          oidcProviderArn: args.oidcProviderArn,
                          issuer: args.issuer,
                          namespace: CERT_MANAGER.namespace,
                          serviceAccount: CERT_MANAGER.serviceAccount,
                          purpose: `cert-manager DNS-01 challenges in ${zone.name}`,
                          namePrefix: args.namePrefix,
                          policy: dns01Policy(zone, args.partition),
                      },
                      { parent: this },
                  );
        const values = pulumi
            .output(role?.role.arn)
            .apply((roleArn) => certManagerValues({ highlyAvailable: args.highlyAvailable, vpcCidr: args.vpcCidr, roleArn: roleArn ?? undefined }));
        this.release = helmRelease(
            `${name}-release`,
            { chart: CHARTS.certManager, releaseName: CERT_MANAGER.releaseName, namespace, values, atomic: args.atomic },
            { parent: this, provider: args.provider, dependsOn: [...(role === undefined ? [] : [role]), ...args.after] },
        );
        chartMonitor(
            `${name}-service-monitor`,
            {
                kind: "ServiceMonitor",
                name: CERT_MANAGER.releaseName,
                namespace: CERT_MANAGER.namespace,
                spec: certManagerServiceMonitorSpec(),
                release: this.release,
                monitoringRelease: args.monitoringRelease,
                provider: args.provider,
            },
            this,
        );
        const acme: AcmeSettings | undefined =
            zone === undefined || args.acmeEmail === undefined
                ? undefined
                : { email: args.acmeEmail, hostedZoneId: zone.id, hostedZoneName: zone.name, region: args.region };
        this.issuers = new ClusterIssuers(
            `${name}-issuers`,
            { namespace: CERT_MANAGER.namespace, caCommonName: `${args.namePrefix} internal CA`, acme, release: this.release, provider: args.provider },
            { parent: this },
        );
        this.registerOutputs({ releaseStatus: this.release.status, issuerNames: this.issuers.issuerNames });
    }
}

/** The port cert-manager's webhook serves on in its pods: the chart's default `webhook.securePort` (the values leave it unset). */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;

/**
 * cert-manager's flows: the API server calls its webhook; the controller and CA injector call the
 * Kubernetes API; with a public zone, the controller talks ACME to Let's Encrypt, writes the DNS-01
 * records through the Route 53 API and checks their propagation through the VPC's resolver.
 */
export function certManagerFlows(publicZone: boolean): NetworkFlow[] {
    const c = "CertManager";
    const pods = (name: string) => podsOf(CERT_MANAGER.namespace, { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": CERT_MANAGER.releaseName });
    const controller = pods("cert-manager");
    return [
        tcp(
            "control-plane-to-cert-manager-webhook",
            c,
            { group: "cluster" },
            pods("webhook"),
            CERT_MANAGER_WEBHOOK_PORT,
            "validation and conversion of its resources",
        ),
        tcp("cert-manager-to-api", c, podsOf(CERT_MANAGER.namespace), { group: "cluster" }, 443, "controller, CA injector and webhook watch their resources"),
        ...(publicZone
            ? [
                  httpsToInternet("cert-manager-to-acme", c, controller, "ACME orders with Let's Encrypt (production and staging directories)"),
                  httpsToInternet("cert-manager-to-route53", c, controller, "DNS-01: challenge records through the Route 53 API, STS for its role"),
                  ...dnsFlows(
                      "cert-manager-to-vpc-resolver",
                      c,
                      controller,
                      { addresses: "vpcResolver" },
                      "DNS-01 propagation checks through the VPC's recursive resolver",
                  ),
              ]
            : []),
    ];
}
