/**
 * Fluent Bit's pipeline, as the classic-mode sections of the fluent-bit chart's `config` values: three
 * inputs, one per log class, each routed by its tag to one CloudWatch Logs group that the program made:
 * - `app.*`: container logs of the application namespaces (`app-*`), to `/<prefix>/kubernetes/applications`;
 * - `platform.*`: every other container's (the add-ons, kube-system), to `/<prefix>/kubernetes/platform`;
 * - `dataplane.*`: the node's kubelet and containerd journal, to `/<prefix>/kubernetes/dataplane`.
 *
 * Container logs: the tail input joins the runtime's split lines (`multiline.parser docker, cri`), the
 * multiline filter joins Go, Java and Python stack traces into one record, and the kubernetes filter adds the
 * pod's metadata and parses a JSON log line into fields (`Merge_Log`). Pods cannot opt out of shipping
 * (`K8S-Logging.Exclude Off`): a tenant must not be able to hide its logs.
 *
 * Durability: every input buffers on the node's disk (`storage.type filesystem` under the state hostPath),
 * and the outputs retry without limit while CloudWatch is unreachable, bounded by `storage.total_limit_size`
 * per output: when the bound is reached the oldest chunks of that output are dropped (and counted in
 * `fluentbit_output_dropped_records_total`), so an outage never fills the node's disk. The tail database
 * keeps each file's offset there too, so a restart neither loses nor repeats lines.
 *
 * The outputs never create groups (`auto_create_group Off`): a group Fluent Bit made would have neither the
 * stack's key nor a retention (charts-and-addons.md), and the role may not create one anyway.
 */

/** The three log classes and the tag each is routed by. */
export const LOG_CLASSES = ["applications", "platform", "dataplane"] as const;
/** One of {@link LOG_CLASSES}. */
export type LogClass = (typeof LOG_CLASSES)[number];

/** The log group of a class: `/<namePrefix>/kubernetes/<class>`. */
export function logGroupName(namePrefix: string, logClass: LogClass): string {
    return `/${namePrefix}/kubernetes/${logClass}`;
}

/** Where Fluent Bit keeps its tail offsets and its filesystem buffer: a hostPath, so both survive a restart of the pod. */
export const FLUENT_BIT_STATE_DIR = "/var/fluent-bit/state";

/** The port of Fluent Bit's HTTP server (health and metrics): the chart's `metricsPort`. */
export const FLUENT_BIT_METRICS_PORT = 2020;

/** Disk each output may fill with unsent chunks before the oldest are dropped (per node). */
export const BUFFER_LIMITS: Readonly<Record<LogClass, string>> = { applications: "2G", platform: "1G", dataplane: "512M" };

const TAGS: Readonly<Record<LogClass, string>> = { applications: "app", platform: "platform", dataplane: "dataplane" };

/** The application namespaces' container log files: `<pod>_<namespace>_<container>-<id>.log`. */
const APP_LOGS = "/var/log/containers/*_app-*_*.log";

/** What the pipeline is made of. */
export interface FluentBitPipelineInput {
    /** The stack's name prefix (the log groups' names). */
    readonly namePrefix: string;
    /** The stack's region (CloudWatch Logs and STS endpoints). */
    readonly region: string;
}

const section = (name: string, settings: readonly (readonly [string, string | number])[]) =>
    [`[${name}]`, ...settings.map(([key, value]) => `    ${key} ${value}`)].join("\n");

function tailInput(logClass: "applications" | "platform"): string {
    const tag = TAGS[logClass];
    return section("INPUT", [
        ["Name", "tail"],
        ["Alias", `${logClass}_containers`],
        ["Tag", `${tag}.*`],
        ["Path", logClass === "applications" ? APP_LOGS : "/var/log/containers/*.log"],
        ...(logClass === "platform" ? [["Exclude_Path", APP_LOGS] as const] : []),
        ["multiline.parser", "docker, cri"],
        ["DB", `${FLUENT_BIT_STATE_DIR}/tail-${logClass}.db`],
        ["DB.locking", "true"],
        ["Skip_Long_Lines", "On"],
        ["Refresh_Interval", 10],
        ["Rotate_Wait", 30],
        ["storage.type", "filesystem"],
        ["Mem_Buf_Limit", "50MB"],
    ]);
}

function containerFilters(logClass: "applications" | "platform"): string[] {
    const tag = TAGS[logClass];
    return [
        section("FILTER", [
            ["Name", "multiline"],
            ["Alias", `${logClass}_stack_traces`],
            ["Match", `${tag}.*`],
            ["multiline.key_content", "log"],
            ["multiline.parser", "go, java, python"],
        ]),
        section("FILTER", [
            ["Name", "kubernetes"],
            ["Alias", `${logClass}_metadata`],
            ["Match", `${tag}.*`],
            ["Kube_Tag_Prefix", `${tag}.var.log.containers.`],
            ["Merge_Log", "On"],
            ["Keep_Log", "Off"],
            ["K8S-Logging.Parser", "On"],
            ["K8S-Logging.Exclude", "Off"],
            ["Labels", "On"],
            ["Annotations", "Off"],
            ["Buffer_Size", "256k"],
        ]),
    ];
}

function output(logClass: LogClass, input: FluentBitPipelineInput): string {
    const stream: (readonly [string, string])[] =
        logClass === "dataplane"
            ? [["log_stream_prefix", "${NODE_NAME}."]]
            : [
                  // One stream per container; the prefix names the node for a record without metadata.
                  ["log_stream_template", "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']"],
                  ["log_stream_prefix", "${NODE_NAME}."],
              ];
    return section("OUTPUT", [
        ["Name", "cloudwatch_logs"],
        ["Alias", `${logClass}_to_cloudwatch`],
        ["Match", `${TAGS[logClass]}.*`],
        ["region", input.region],
        ["log_group_name", logGroupName(input.namePrefix, logClass)],
        ...stream,
        ["auto_create_group", "Off"],
        ["auto_retry_requests", "true"],
        ["Retry_Limit", "no_limits"],
        ["storage.total_limit_size", BUFFER_LIMITS[logClass]],
        ["workers", 1],
    ]);
}

/** The chart's `config` values: service, inputs, filters and outputs (replacing the chart's Elasticsearch default). */
export function fluentBitPipeline(input: FluentBitPipelineInput): Record<string, string> {
    return {
        service: section("SERVICE", [
            ["Daemon", "Off"],
            ["Flush", 1],
            ["Log_Level", "info"],
            ["Parsers_File", "/fluent-bit/etc/parsers.conf"],
            ["HTTP_Server", "On"],
            ["HTTP_Listen", "0.0.0.0"],
            ["HTTP_Port", FLUENT_BIT_METRICS_PORT],
            ["Health_Check", "On"],
            ["storage.path", `${FLUENT_BIT_STATE_DIR}/buffer/`],
            ["storage.sync", "normal"],
            ["storage.backlog.mem_limit", "16M"],
            ["storage.max_chunks_up", 64],
            ["storage.metrics", "On"],
        ]),
        inputs: [
            tailInput("applications"),
            tailInput("platform"),
            section("INPUT", [
                ["Name", "systemd"],
                ["Alias", "dataplane_journal"],
                ["Tag", "dataplane.*"],
                ["Systemd_Filter", "_SYSTEMD_UNIT=kubelet.service"],
                ["Systemd_Filter", "_SYSTEMD_UNIT=containerd.service"],
                ["DB", `${FLUENT_BIT_STATE_DIR}/systemd.db`],
                ["Read_From_Tail", "On"],
                ["storage.type", "filesystem"],
            ]),
        ].join("\n\n"),
        filters: [...containerFilters("applications"), ...containerFilters("platform")].join("\n\n"),
        outputs: LOG_CLASSES.map((c) => output(c, input)).join("\n\n"),
    };
}
