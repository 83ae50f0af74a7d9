/**
 * The dashboards as code: one ConfigMap per dashboard in the monitoring namespace, labelled so that
 * Grafana's dashboard sidecar loads it (kube-prometheus-stack's `grafana.sidecar.dashboards`: label
 * `grafana_dashboard: "1"`, every namespace). A ConfigMap needs only its namespace: nothing waits for the
 * monitoring release, and the sidecar picks up a change within a minute, without a restart.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { appDashboard, type AppDashboardInput } from "./appDashboard";
import { platformDashboard, type PlatformDashboardInput } from "./platformDashboard";

/** The label (and value) Grafana's sidecar selects dashboards by. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** Arguments of {@link Dashboards}. */
export interface DashboardsArgs {
    /** The monitoring namespace (an output, so the ConfigMaps wait for it). */
    namespace: pulumi.Input<string>;
    /** The applications. */
    apps: readonly AppDashboardInput[];
    /** What the platform overview shows. */
    platform: PlatformDashboardInput;
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
}

/** Every dashboard of the stack, by ConfigMap name. */
export function stackDashboards(apps: readonly AppDashboardInput[], platform: PlatformDashboardInput): Record<string, Record<string, unknown>> {
    return {
        "dashboard-platform-overview": platformDashboard(platform),
        ...Object.fromEntries(apps.map((app) => [`dashboard-app-${app.name}`, appDashboard(app)])),
    };
}

/** The dashboard ConfigMaps. */
export class Dashboards extends pulumi.ComponentResource {
    constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:Dashboards", name, {}, opts);
        for (const [configMapName, json] of Object.entries(stackDashboards(args.apps, args.platform))) {
            new k8s.core.v1.ConfigMap(
                `${name}-${configMapName}`,
                {
                    metadata: { name: configMapName, namespace: args.namespace, labels: { ...DASHBOARD_LABEL, "app.kubernetes.io/part-of": "platform" } },
                    data: { [`${configMapName}.json`]: JSON.stringify(json) },
                },
                { parent: this, provider: args.provider },
            );
        }
        this.registerOutputs({});
    }
}
