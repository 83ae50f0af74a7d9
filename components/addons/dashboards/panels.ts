/**
 * Small builders of Grafana dashboard JSON (schema of Grafana 11-13 dashboards): time-series panels on the
 * Prometheus data source kube-prometheus-stack provisions (uid `prometheus`) or on the CloudWatch data
 * source (grafanaAccess.ts), laid out on the 24-column grid.
 */
import { CLOUDWATCH_DATASOURCE_UID } from "../grafanaAccess";

/** The Prometheus data source's uid (kube-prometheus-stack's `grafana.sidecar.datasources.uid` default). */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";

/** One PromQL query of a panel. */
export interface PromQuery {
    /** The PromQL expression. */
    readonly expr: string;
    /** The series' legend. */
    readonly legend: string;
}

/** One CloudWatch metric query of a panel. */
export interface CloudWatchQuery {
    /** The metric's namespace, such as AWS/RDS. */
    readonly namespace: string;
    /** The metric. */
    readonly metricName: string;
    /** Its dimensions; `*` matches every value (then the query is not exact). */
    readonly dimensions: Readonly<Record<string, string>>;
    /** The statistic, such as Average or Sum. */
    readonly statistic: string;
    /** The region. */
    readonly region: string;
}

/** A panel's place on the grid. */
export interface GridPos {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
}

/** A time-series panel of PromQL queries. */
export function promPanel(id: number, title: string, gridPos: GridPos, queries: readonly PromQuery[], unit: string): Record<string, unknown> {
    return {
        id,
        type: "timeseries",
        title,
        gridPos,
        datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
        fieldConfig: { defaults: { unit }, overrides: [] },
        targets: queries.map((q, i) => ({
            refId: String.fromCharCode(65 + i),
            datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
            expr: q.expr,
            legendFormat: q.legend,
        })),
    };
}

/** A time-series panel of CloudWatch metric queries. */
export function cloudWatchPanel(id: number, title: string, gridPos: GridPos, queries: readonly CloudWatchQuery[], unit: string): Record<string, unknown> {
    return {
        id,
        type: "timeseries",
        title,
        gridPos,
        datasource: { type: "cloudwatch", uid: CLOUDWATCH_DATASOURCE_UID },
        fieldConfig: { defaults: { unit }, overrides: [] },
        targets: queries.map((q, i) => ({
            refId: String.fromCharCode(65 + i),
            datasource: { type: "cloudwatch", uid: CLOUDWATCH_DATASOURCE_UID },
            queryMode: "Metrics",
            metricQueryType: 0,
            metricEditorMode: 0,
            namespace: q.namespace,
            metricName: q.metricName,
            dimensions: Object.fromEntries(Object.entries(q.dimensions).map(([k, v]) => [k, [v]])),
            matchExact: !Object.values(q.dimensions).includes("*"),
            statistic: q.statistic,
            period: "300",
            region: q.region,
        })),
    };
}

/** A row header. */
export function row(id: number, title: string, y: number): Record<string, unknown> {
    return { id, type: "row", title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] };
}

/** A whole dashboard. */
export function dashboard(uid: string, title: string, tags: readonly string[], panels: readonly Record<string, unknown>[]): Record<string, unknown> {
    return {
        uid,
        title,
        tags: [...tags],
        editable: false,
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        refresh: "1m",
        timezone: "utc",
        panels: [...panels],
    };
}

/** Lays panels out two per row of height 8 under a row header at `y`; returns the panels and the next free y. */
export function grid(
    startId: number,
    y: number,
    title: string,
    make: ((id: number, pos: GridPos) => Record<string, unknown>)[],
): { panels: Record<string, unknown>[]; next: number } {
    const panels = [row(startId, title, y)];
    make.forEach((build, i) => panels.push(build(startId + 1 + i, { x: (i % 2) * 12, y: y + 1 + Math.floor(i / 2) * 8, w: 12, h: 8 })));
    return { panels, next: y + 1 + Math.ceil(make.length / 2) * 8 };
}
