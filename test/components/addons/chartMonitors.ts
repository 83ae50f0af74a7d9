/**
 * The check every add-on with program-made monitoring objects shares (components/addons/chartMonitors.ts):
 * each object exists with the chart's spec, waits for its release and the monitoring release, and the
 * release does not wait for the monitoring release.
 */
import { expect } from "chai";
import type { Plan, RecordedResource } from "../../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

/** Asserts the monitoring objects named `resourceNames` of `release` in `plan`; returns them. */
export function expectChartMonitors(plan: Plan, release: RecordedResource, resourceNames: readonly string[]): RecordedResource[] {
    const monitoring = plan.ofType(RELEASE).find((r) => r.inputs.chart === "kube-prometheus-stack")!;
    expect(plan.dependsOn(release, monitoring), `${release.name} does not wait for kube-prometheus-stack`).to.equal(false);
    return resourceNames.map((name) => {
        const monitor = plan.resources.find((r) => r.name === name);
        expect(monitor, name).to.not.equal(undefined);
        expect(["kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "kubernetes:monitoring.coreos.com/v1:PrometheusRule"]).to.include(monitor!.type);
        expect(plan.dependsOn(monitor!, release), `${name} after its release`).to.equal(true);
        expect(plan.dependsOn(monitor!, monitoring), `${name} after the monitoring release`).to.equal(true);
        return monitor!;
    });
}
