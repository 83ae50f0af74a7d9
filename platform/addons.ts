/**
 * The platform add-ons on the cluster: monitoring and its alerts, the metrics API, cert-manager,
 * external-dns, Velero, Karpenter, Fluent Bit, the trace collectors. Each release waits for the system
 * nodes and CoreDNS (its pods' nodes and names), and a chart that creates ServiceMonitors also for the
 * monitoring release that installs their CRD; nothing waits for more, so independent releases install in
 * parallel. None waits for the load balancer controller: its webhooks admit only the applications' Ingresses
 * and pods (components/eks/loadBalancerController.ts).
 */
import { CERT_MANAGER, CertManager } from "../components/addons/certManager";
import { ExternalDns, publishedZoneOf } from "../components/addons/externalDns";
import { FluentBit } from "../components/addons/fluentBit";
import { Tracing } from "../components/addons/tracing";
import { MetricsServer } from "../components/addons/metricsServer";
import { Monitoring } from "../components/addons/monitoring";
import { PlatformAlerts } from "../components/addons/platformAlerts";
import { Velero } from "../components/addons/velero";
import { appNamespace } from "../components/apps/application";
import { Dashboards } from "../components/addons/dashboards/dashboards";
import { cacheReplicationGroupId, databaseIdentifier } from "../components/data/data";
import { memberClusterIds } from "../components/data/redis";
import { Karpenter } from "../components/karpenter/karpenter";
import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "./foundation";

/** The add-ons other layers refer to. */
export interface Addons {
    /** kube-prometheus-stack. */
    readonly monitoring: Monitoring;
    /** cert-manager and its issuers. */
    readonly certManager: CertManager;
    /** Velero. */
    readonly velero: Velero;
    /** Fluent Bit and the Kubernetes log groups. */
    readonly fluentBit: FluentBit;
    /** Karpenter, the workload capacity. */
    readonly karpenter: Karpenter;
    /** The OpenTelemetry collectors (gateway and sampler). */
    readonly tracing: Tracing;
    /** What every add-on release waits for: the system nodes. */
    readonly addonsAfter: pulumi.Resource[];
}

/** Installs the platform add-ons. */
export function installAddons(foundation: Foundation): Addons {
    const { config, account, inAccount, keys, eks, data, podSecurityVersion } = foundation;
    // What every add-on is given besides its own settings (AddonInstallArgs but `after`), and the cluster's
    // workload identity for those with a role.
    const install = { podSecurityVersion, atomic: config.isProd, provider: eks.kubernetesProvider, priorityClasses: eks.priorityClasses };
    const identity = { oidcProviderArn: eks.oidcProvider.arn, issuer: eks.oidcIssuer };
    // kube-prometheus-stack: on the system nodes, after the gp3 StorageClass its volumes use.
    const monitoring = new Monitoring(
        "monitoring",
        {
            monitoring: config.monitoring,
            alerting: config.alerting,
            podSecurityVersion,
            isProd: config.isProd,
            atomic: config.isProd,
            provider: eks.kubernetesProvider,
            priorityClasses: eks.priorityClasses,
            grafanaAccess: { namePrefix: config.namePrefix, region: config.region, account, oidcProviderArn: eks.oidcProvider.arn, issuer: eks.oidcIssuer },
            after: [...eks.systemNodesReady, eks.defaultStorageClass],
        },
        inAccount,
    );

    // Karpenter: the workload capacity (components/karpenter/karpenter.ts says what waits for what, both ways).
    const karpenter = new Karpenter(
        "karpenter",
        {
            clusterName: eks.cluster.name,
            clusterNameText: `${config.namePrefix}-eks`,
            clusterEndpoint: eks.cluster.endpoint,
            namePrefix: config.namePrefix,
            account,
            partition: config.partition,
            ...identity,
            clusterKeyArn: keys.keys.cluster.arn,
            nodePools: config.karpenter.nodePools,
            spotServiceLinkedRole: config.karpenter.spotServiceLinkedRole,
            zones: config.network.availabilityZones,
            tags: config.tags,
            highlyAvailable: config.isProd,
            ...install,
            after: eks.systemNodesReady,
            monitoringRelease: monitoring.release,
        },
        inAccount,
    );

    // Dashboards as code: the platform overview and one per application, loaded by Grafana's sidecar.
    new Dashboards("dashboards", {
        namespace: monitoring.namespace,
        apps: config.apps.map((app) => ({ name: app.name, namespace: appNamespace(app.name) })),
        platform: {
            region: config.region,
            databaseIdentifier: config.database.enabled ? databaseIdentifier(config.namePrefix) : undefined,
            cacheClusterIds: memberClusterIds(cacheReplicationGroupId(config.namePrefix), config.cache.nodes),
        },
        provider: eks.kubernetesProvider,
    });

    // The platform's alert rules (certificates, backups, nodes, volumes, crash loops).
    new PlatformAlerts("platform-alerts", {
        namespace: monitoring.namespace,
        runbookBaseUrl: config.alerting.runbookBaseUrl,
        provider: eks.kubernetesProvider,
        monitoringRelease: monitoring.release,
    });

    // The resource metrics API, for HorizontalPodAutoscalers and `kubectl top`.
    new MetricsServer("metrics-server", {
        podSecurityVersion,
        isProd: config.isProd,
        atomic: config.isProd,
        provider: eks.kubernetesProvider,
        priorityClasses: eks.priorityClasses,
        after: eks.systemNodesReady,
    });

    // Every release after the system nodes; their ServiceMonitors and PrometheusRules are the components' own,
    // after the monitoring release that installs those CRDs (components/addons/chartMonitors.ts).
    const addonsAfter = [...eks.systemNodesReady];
    const monitoringRelease = monitoring.release;

    // cert-manager: Let's Encrypt issuers (DNS-01 in the stack's hosted zone) when there is a public domain,
    // and always the internal CA for in-cluster TLS.
    const certManager = new CertManager(
        "cert-manager",
        {
            namePrefix: config.namePrefix,
            region: config.region,
            partition: config.partition,
            vpcCidr: config.network.cidr,
            ...identity,
            hostedZone:
                config.edge.hostedZoneId === undefined || config.edge.hostedZoneName === undefined
                    ? undefined
                    : { id: config.edge.hostedZoneId, name: config.edge.hostedZoneName },
            acmeEmail: config.certManager.acmeEmail,
            podSecurityVersion,
            highlyAvailable: config.isProd,
            atomic: config.isProd,
            provider: eks.kubernetesProvider,
            priorityClasses: eks.priorityClasses,
            after: addonsAfter,
            monitoringRelease,
        },
        inAccount,
    );

    // external-dns: an alias record for every Ingress host in the stack's hosted zone; none without a zone.
    const publishedZone = publishedZoneOf(config.edge);
    if (publishedZone !== undefined) {
        new ExternalDns(
            "external-dns",
            {
                ...config.externalDns,
                ...publishedZone,
                namePrefix: config.namePrefix,
                region: config.region,
                partition: config.partition,
                ...identity,
                ...install,
                after: addonsAfter,
                monitoringRelease,
            },
            inAccount,
        );
    }

    // Fluent Bit: every container's and node's logs to the three Kubernetes log groups it never creates.
    const fluentBit = new FluentBit(
        "fluent-bit",
        {
            namePrefix: config.namePrefix,
            region: config.region,
            ...identity,
            logsKeyArn: keys.keys.logs.arn,
            retentionDays: config.logging.retentionDays,
            ...install,
            after: addonsAfter,
            monitoringRelease,
        },
        inAccount,
    );

    // The trace pipeline: the applications' OTLP to a gateway, tail sampling, X-Ray.
    const tracing = new Tracing(
        "tracing",
        {
            namePrefix: config.namePrefix,
            region: config.region,
            ...identity,
            tracing: config.tracing,
            highlyAvailable: config.isProd,
            ...install,
            after: addonsAfter,
            monitoringRelease,
        },
        inAccount,
    );

    // Velero: scheduled backups of the application namespaces and of cert-manager's (the internal CA's key)
    // to the backup bucket, volumes as EBS snapshots.
    const velero = new Velero(
        "velero",
        {
            clusterName: `${config.namePrefix}-eks`,
            namePrefix: config.namePrefix,
            region: config.region,
            partition: config.partition,
            accountId: account.apply((a) => a.accountId),
            bucketName: data.backupBucket.bucket,
            backupsKeyArn: keys.keys.backups.arn,
            volumeKeyArn: keys.keys.cluster.arn,
            ...identity,
            schedules: config.velero.schedules,
            applicationNamespaces: config.apps.map((app) => appNamespace(app.name)),
            platformNamespaces: [CERT_MANAGER.namespace],
            recovery: config.restore?.velero,
            ...install,
            after: addonsAfter,
            monitoringRelease,
        },
        inAccount,
    );
    return { monitoring, certManager, velero, karpenter, fluentBit, tracing, addonsAfter };
}
