/**
 * Monitoring objects the program makes for a chart instead of the chart: a chart that renders its own
 * ServiceMonitor or PrometheusRule needs the Prometheus Operator's CRDs before it installs, which would hold
 * the release (and what waits for it) until kube-prometheus-stack is up, or (charts that check for the CRD)
 * silently leave the monitor out. Made here, each object waits for both its chart's release (whose metrics
 * Service it selects) and the monitoring release (its CRD), and the release waits for neither. Each spec is
 * the chart's own at its pinned version, which the calling component cites.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** What a chart's monitoring object is. */
export interface ChartMonitorArgs {
    /** `ServiceMonitor` or `PrometheusRule`. */
    readonly kind: "ServiceMonitor" | "PrometheusRule";
    /** Object name (the chart's). */
    readonly name: string;
    /** Namespace: the release's. */
    readonly namespace: string;
    /** The chart's spec. */
    readonly spec: Record<string, unknown>;
    /** The chart's release. */
    readonly release: pulumi.Resource;
    /** The release that installs the CRDs. */
    readonly monitoringRelease: pulumi.Resource;
    /** The cluster's provider. */
    readonly provider: k8s.Provider;
}

/** Creates one monitoring object of a chart, after its release and the monitoring release. */
export function chartMonitor(resourceName: string, args: ChartMonitorArgs, parent: pulumi.Resource): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
        resourceName,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: args.kind,
            metadata: { name: args.name, namespace: args.namespace, labels: { "app.kubernetes.io/part-of": "platform" } },
            spec: args.spec,
        },
        { parent, provider: args.provider, dependsOn: [args.release, args.monitoringRelease] },
    );
}
