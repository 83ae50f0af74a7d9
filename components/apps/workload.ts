/**
 * Pure Kubernetes specs of an application's pods: the pod template shared by the migration Job and the
 * Deployment, the Deployment, the autoscaler and the disruption budget.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ApplicationConfig } from "../../config";
import { otlpEndpoint } from "../addons/tracingPipelines";
import { PRIORITY_CLASSES } from "../priorities";

type PodSpec = k8s.types.input.core.v1.PodSpec;

/** Fixed settings of every application pod. */
export const workloadDefaults = {
    /** UID and GID of every container: 10000+ so it never clashes with a node's users. */
    user: 10001,
    /** Where the credentials Secret is mounted; each key is one file. */
    secretsDir: "/var/run/secrets/platform",
    /** Seconds the pod keeps serving after it is told to stop, so the ALB deregisters it first. */
    preStopSleepSeconds: 10,
    /** Seconds from SIGTERM to SIGKILL (after the preStop sleep). */
    terminationGracePeriodSeconds: 45,
    /** Average CPU use, percent of requests, the autoscaler aims at. */
    cpuTargetPercent: 70,
    /** Average memory use, percent of requests, the autoscaler aims at. */
    memoryTargetPercent: 80,
    /** Seconds a Job may run before it fails. */
    migrationDeadlineSeconds: 900,
} as const;

/** The labels of an application's pods (`component` tells the server from the migration Job). */
export function appLabels(app: string, component: "server" | "migrations"): Record<string, string> {
    return { "app.kubernetes.io/name": app, "app.kubernetes.io/component": component, "app.kubernetes.io/part-of": "platform-apps" };
}

/** The hardened container security context (restricted Pod Security Standard plus a read-only root). */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: workloadDefaults.user,
        runAsGroup: workloadDefaults.user,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** What a pod of the application needs besides its config. */
export interface PodInputs {
    /** The application. */
    readonly app: ApplicationConfig;
    /** Its service account. */
    readonly serviceAccountName: string;
    /** Name of its credentials Secret. */
    readonly secretName: string;
    /** The stack's environment (dev, prod): the traces' `deployment.environment.name`. */
    readonly environment: string;
    /** The application's namespace: the traces' `k8s.namespace.name`. */
    readonly namespace: string;
}

/** The OpenTelemetry variables the platform sets (the SDKs' standard ones); config may not set them. */
export const TELEMETRY_ENV = [
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "POD_NAME",
    "POD_UID",
];

/**
 * The OpenTelemetry SDK settings: OTLP over HTTP to the trace gateway, the service name, and resource
 * attributes naming the environment, namespace and pod (the pod's name and uid through the downward API,
 * which Kubernetes expands in `$(…)` because they are defined before).
 */
export function telemetryEnvironment(inputs: Pick<PodInputs, "app" | "environment" | "namespace">): k8s.types.input.core.v1.EnvVar[] {
    const attributes = [
        `deployment.environment.name=${inputs.environment}`,
        `k8s.namespace.name=${inputs.namespace}`,
        "k8s.pod.name=$(POD_NAME)",
        "k8s.pod.uid=$(POD_UID)",
    ];
    return [
        { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "POD_UID", valueFrom: { fieldRef: { fieldPath: "metadata.uid" } } },
        { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: otlpEndpoint() },
        { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" },
        { name: "OTEL_SERVICE_NAME", value: inputs.app.name },
        { name: "OTEL_RESOURCE_ATTRIBUTES", value: attributes.join(",") },
    ];
}

/** Plain environment: the application's own variables, where the platform put the credentials, and telemetry. */
export function environment(inputs: PodInputs): k8s.types.input.core.v1.EnvVar[] {
    const { app } = inputs;
    const dir = workloadDefaults.secretsDir;
    return [
        ...Object.entries(app.env).map(([name, value]) => ({ name, value })),
        ...telemetryEnvironment(inputs),
        { name: "PORT", value: String(app.port) },
        { name: "APP_FILES_DIR", value: dir },
        ...(app.database ? [{ name: "DATABASE_URL_FILE", value: `${dir}/DATABASE_URL` }] : []),
        ...(app.cache ? [{ name: "REDIS_URL_FILE", value: `${dir}/REDIS_URL` }] : []),
    ];
}

/** The pod spec of one container running the application's image; `command` replaces the image's for Jobs. */
export function podSpec(inputs: PodInputs, command?: readonly string[]): PodSpec {
    const { app } = inputs;
    const resources = {
        requests: { cpu: app.resources.cpuRequest, memory: app.resources.memoryRequest },
        limits: { cpu: app.resources.cpuLimit, memory: app.resources.memoryLimit },
    };
    return {
        serviceAccountName: inputs.serviceAccountName,
        automountServiceAccountToken: app.awsPolicy.length > 0,
        // Under pressure applications give way first, so the platform that serves them keeps running.
        priorityClassName: PRIORITY_CLASSES.applications.name,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: workloadDefaults.user,
            runAsGroup: workloadDefaults.user,
            fsGroup: workloadDefaults.user,
            seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
            {
                name: app.name,
                image: app.image,
                ...(command !== undefined ? { command: [...command] } : {}),
                env: environment(inputs),
                resources,
                securityContext: containerSecurityContext(),
                volumeMounts: [
                    { name: "tmp", mountPath: "/tmp" },
                    { name: "credentials", mountPath: workloadDefaults.secretsDir, readOnly: true },
                ],
            },
        ],
        volumes: [
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
            { name: "credentials", secret: { secretName: inputs.secretName, defaultMode: 0o440 } },
        ],
    };
}

/** The server's pod spec: the shared spec plus ports, probes, zone and node spread and graceful shutdown. */
export function serverPodSpec(inputs: PodInputs): PodSpec {
    const { app } = inputs;
    const base = podSpec(inputs);
    const [container] = base.containers as k8s.types.input.core.v1.Container[];
    const http = (path: string) => ({ httpGet: { path, port: "http" } });
    const labels = appLabels(app.name, "server");
    const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable,
        labelSelector: { matchLabels: labels },
        // Only pods of the same revision count, so a rollout does not skew the spread.
        matchLabelKeys: ["pod-template-hash"],
    });
    return {
        ...base,
        terminationGracePeriodSeconds: workloadDefaults.terminationGracePeriodSeconds,
        topologySpreadConstraints: [spread("topology.kubernetes.io/zone", "DoNotSchedule"), spread("kubernetes.io/hostname", "ScheduleAnyway")],
        containers: [
            {
                ...container,
                ports: [
                    { name: "http", containerPort: app.port, protocol: "TCP" },
                    ...(app.metricsPort !== app.port ? [{ name: "metrics", containerPort: app.metricsPort, protocol: "TCP" }] : []),
                ],
                startupProbe: { ...http(app.livenessPath), periodSeconds: 5, failureThreshold: 30 },
                livenessProbe: { ...http(app.livenessPath), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                readinessProbe: { ...http(app.readinessPath), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
                // Keep serving while the ALB deregisters the pod; then SIGTERM.
                lifecycle: { preStop: { sleep: { seconds: workloadDefaults.preStopSleepSeconds } } },
            },
        ],
    };
}

/** The Deployment spec: starts at the minimum, never below the desired count during a rollout. */
export function deploymentSpec(inputs: PodInputs, podAnnotations: Record<string, pulumi.Input<string>>): k8s.types.input.apps.v1.DeploymentSpec {
    const labels = appLabels(inputs.app.name, "server");
    return {
        replicas: inputs.app.minReplicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
        template: { metadata: { labels, annotations: podAnnotations }, spec: serverPodSpec(inputs) },
    };
}

/** The migration Job spec: the same image, Secret and hardening, the configured command, no retries storm. */
export function migrationJobSpec(inputs: PodInputs): k8s.types.input.batch.v1.JobSpec {
    return {
        backoffLimit: 2,
        activeDeadlineSeconds: workloadDefaults.migrationDeadlineSeconds,
        template: {
            metadata: { labels: appLabels(inputs.app.name, "migrations") },
            spec: { ...podSpec(inputs, inputs.app.migrationCommand), restartPolicy: "Never" },
        },
    };
}

/** The autoscaler: CPU and memory targets, quick scale-up, slow scale-down, bounds from config. */
export function autoscalerSpec(app: ApplicationConfig, deploymentName: string): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: app.minReplicas,
        maxReplicas: app.maxReplicas,
        metrics: [utilization("cpu", workloadDefaults.cpuTargetPercent), utilization("memory", workloadDefaults.memoryTargetPercent)],
        behavior: {
            scaleUp: {
                stabilizationWindowSeconds: 0,
                selectPolicy: "Max",
                policies: [
                    { type: "Percent", value: 100, periodSeconds: 30 },
                    { type: "Pods", value: 4, periodSeconds: 30 },
                ],
            },
            scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Min", policies: [{ type: "Percent", value: 25, periodSeconds: 60 }] },
        },
    };
}

/** The disruption budget: one pod at a time may be evicted, whatever the replica count. */
export function disruptionBudgetSpec(app: string): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: 1, selector: { matchLabels: appLabels(app, "server") } };
}
