import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { containersOf, isKind, kindOf, podTemplateOf, type Container } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asNumber, asString, asStrings, at, describe, peek, prop, records, UNKNOWN } from "../../lib/values";

/** ECR (private, any account and region, China included: its endpoints end in .amazonaws.com.cn) and ECR Public. */
const DEFAULT_REGISTRIES = ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn", "public.ecr.aws"];
const SECCOMP_TYPES = ["RuntimeDefault", "Localhost"];

interface Settings {
    allowedRegistries?: string[];
    requireHighAvailability?: boolean;
    minimumReplicas?: number;
}

/** Registry host and tag of an image reference (`docker.io` for bare names; tag undefined when absent). */
export function parseImage(image: string): { registry: string; tag: string | undefined; digest: boolean } {
    const [name, digest] = image.split("@", 2);
    const slash = name.indexOf("/");
    const first = slash < 0 ? "" : name.slice(0, slash);
    const registry = first.includes(".") || first.includes(":") || first === "localhost" ? first : "docker.io";
    const lastSegment = name.slice(name.lastIndexOf("/") + 1);
    const colon = lastSegment.indexOf(":");
    return { registry, tag: colon < 0 ? undefined : lastSegment.slice(colon + 1), digest: digest !== undefined && digest.startsWith("sha256:") };
}

function registryAllowed(registry: string, patterns: readonly string[]): boolean {
    return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`, "i").test(registry));
}

/** What the restricted standard and the platform require of one container, given the pod-level security context. */
function containerProblems(c: Container, pod: { runAsNonRoot: unknown; seccomp: string | undefined }, job: boolean, registries: readonly string[]): string[] {
    const { container, label, init, ephemeral } = c;
    const problems: string[] = [];
    const sc = prop(container, "securityContext");
    const drop = asStrings(at(sc, "capabilities", "drop"));
    if (!drop.includes("ALL")) {
        problems.push(`does not drop all capabilities in ${label}. Set securityContext.capabilities.drop: ["ALL"]`);
    }
    const added = asStrings(at(sc, "capabilities", "add")).filter((cap) => cap !== "NET_BIND_SERVICE");
    if (added.length > 0) {
        problems.push(`adds the capabilities ${added.join(", ")} to ${label}. Remove them (only NET_BIND_SERVICE may be added)`);
    }
    const nonRoot = at(sc, "runAsNonRoot") ?? pod.runAsNonRoot;
    if (nonRoot !== true) {
        problems.push(`does not require ${label} to run as a non-root user. Set securityContext.runAsNonRoot: true (on the pod or the container)`);
    }
    if (asNumber(at(sc, "runAsUser")) === 0) {
        problems.push(`runs ${label} as root (runAsUser: 0). Use a non-zero UID`);
    }
    const seccomp = asString(at(sc, "seccompProfile", "type"));
    if ((seccomp ?? pod.seccomp) === undefined || !SECCOMP_TYPES.includes((seccomp ?? pod.seccomp) as string)) {
        problems.push(`runs ${label} without a seccomp profile. Set securityContext.seccompProfile.type: RuntimeDefault on the pod`);
    }
    if (!ephemeral && at(sc, "readOnlyRootFilesystem") !== true) {
        problems.push(`lets ${label} write to its root filesystem. Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write`);
    }
    if (!ephemeral) {
        const missing = [
            ["requests", "cpu"],
            ["requests", "memory"],
            ["limits", "memory"],
        ]
            .filter(([kind, what]) => peek(container, "resources", kind, what) === undefined)
            .map(([kind, what]) => `${kind}.${what}`);
        if (missing.length > 0) {
            problems.push(`does not set resources.${missing.join(", resources.")} of ${label}. Set CPU and memory requests and a memory limit`);
        }
    }
    if (!init && !ephemeral && !job) {
        const probes = ["livenessProbe", "readinessProbe"].filter((p) => prop(container, p) === undefined);
        if (probes.length > 0) {
            problems.push(`has no ${probes.join(" or ")} on ${label}. Add them so Kubernetes restarts it when stuck and routes traffic only when it is ready`);
        }
    }
    // The image is often built from another resource's output (a repository URL): unknown then, and judged at deployment.
    const image = peek(container, "image");
    if (image !== UNKNOWN) {
        if (typeof image !== "string" || image === "") {
            problems.push(`has no image on ${label}. Set image to a pinned image from the platform's registry`);
        } else {
            const { registry, tag, digest } = parseImage(image);
            if (!digest && (tag === undefined || tag === "latest")) {
                problems.push(`runs the moving tag ${tag ?? "latest (no tag)"} of ${image} in ${label}. Pin a version tag (or a digest)`);
            }
            if (!registryAllowed(registry, registries)) {
                problems.push(`pulls ${label} from ${registry}, which is not an allowed registry (${registries.join(", ")}). Mirror the image to ECR`);
            }
        }
    }
    return problems;
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-workload-hardening",
    description:
        "Workloads meet the restricted Pod Security Standard (all capabilities dropped, non-root, RuntimeDefault seccomp) and the platform's operational rules: read-only root filesystem, CPU and memory requests and a memory limit, liveness and readiness probes (not for Jobs), images pinned to a tag or digest from an allowed registry (ECR), a dedicated service account, and in prod at least the configured replicas spread over nodes; PodDisruptionBudgets never forbid every voluntary disruption.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedRegistries: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_REGISTRIES,
                description: "Registry hosts images may come from (* matches within a DNS label).",
            },
            requireHighAvailability: {
                type: "boolean",
                default: true,
                description: "Require Deployments to run minimumReplicas replicas with anti-affinity or topology spread.",
            },
            minimumReplicas: { type: "integer", minimum: 1, default: 3, description: "Fewest replicas of a Deployment." },
        },
    },
    validateStack: checkEachResource(
        (type) => isKind(type, K8S.workloads) || isKind(type, K8S.podDisruptionBudget),
        (args, reportViolation) => {
            const report = (problem: string) => reportViolation(`${describe(args)} ${problem}.`);
            if (isKind(args.type, K8S.podDisruptionBudget)) {
                const maxUnavailable = prop(args.props.spec, "maxUnavailable");
                const minAvailable = prop(args.props.spec, "minAvailable");
                if (maxUnavailable === 0 || maxUnavailable === "0" || maxUnavailable === "0%" || minAvailable === "100%") {
                    report(
                        `forbids every voluntary disruption (${maxUnavailable !== undefined ? `maxUnavailable: ${String(maxUnavailable)}` : "minAvailable: 100%"}), so node drains and upgrades block forever. Allow at least one pod to be evicted (maxUnavailable: 1)`,
                    );
                }
                return;
            }
            if (!isKind(args.type, K8S.workloads)) {
                return;
            }
            const settings = args.getConfig<Settings>();
            const kind = kindOf(args.type);
            const job = kind === "batch:Job" || kind === "batch:CronJob";
            const { spec } = podTemplateOf(args.type, args.props);
            const podSc = prop(spec, "securityContext");
            const pod = { runAsNonRoot: at(podSc, "runAsNonRoot"), seccomp: asString(at(podSc, "seccompProfile", "type")) };
            if (asNumber(at(podSc, "runAsUser")) === 0) {
                report("runs its pods as root (securityContext.runAsUser: 0). Use a non-zero UID");
            }
            const registries = asStrings(settings.allowedRegistries ?? DEFAULT_REGISTRIES);
            for (const container of containersOf(spec)) {
                containerProblems(container, pod, job, registries).forEach(report);
            }
            const account = peek(spec, "serviceAccountName") ?? peek(spec, "serviceAccount");
            if (account !== UNKNOWN && (typeof account !== "string" || account === "" || account === "default")) {
                report(
                    "runs as its namespace's default service account. Set serviceAccountName to a service account of its own (and automountServiceAccountToken: false unless it calls the Kubernetes API)",
                );
            }
            if (kind === "apps:Deployment" && settings.requireHighAvailability === true) {
                const minimum = asNumber(settings.minimumReplicas) ?? 3;
                const replicas = asNumber(at(args.props, "spec", "replicas")) ?? 1;
                if (replicas < minimum) {
                    report(`runs ${replicas} replica${replicas === 1 ? "" : "s"}; at least ${minimum} are required. Set spec.replicas to ${minimum} or more`);
                }
                if (at(spec, "affinity", "podAntiAffinity") === undefined && records(prop(spec, "topologySpreadConstraints")).length === 0) {
                    report(
                        "may schedule all its replicas on one node. Add topologySpreadConstraints (or a podAntiAffinity) over kubernetes.io/hostname or the zone",
                    );
                }
            }
        },
    ),
};

/** K-03, K-07, K-08, K-10, K-11, K-12, K-13, K-14, K-17 (prod), PDB-01. */
export const hardenWorkload: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: [
        "K-03",
        "K-07",
        "K-08",
        "K-10",
        "K-11",
        "K-12",
        "K-13",
        "K-14",
        "K-17",
        "PDB-01",
        "PSS restricted",
        "CKV_K8S_8",
        "CKV_K8S_9",
        "CKV_K8S_10",
        "CKV_K8S_12",
        "CKV_K8S_14",
        "CKV_K8S_22",
        "CKV_K8S_23",
        "CKV_K8S_28",
        "CKV_K8S_31",
        "KSV-0003",
        "KSV-0012",
        "KSV-0014",
        "KSV-0030",
        "CKV_K8S_13",
        "CKV_K8S_37",
        "CKV_K8S_39",
        "KSV-0004",
        "KSV-0005",
        "KSV-0013",
        "KSV-0015",
        "KSV-0016",
        "KSV-0018",
        "KSV-0104",
        "KSV-0105",
        "KSV-0106",
        "KSV-0119",
        "KSV-0120",
    ],
    partial: ["CKV_K8S_25", "KSV-0022", "KSV-0125", "CKV_K8S_41"],
    config: {
        prod: { allowedRegistries: DEFAULT_REGISTRIES, requireHighAvailability: true, minimumReplicas: 3 },
        dev: { allowedRegistries: DEFAULT_REGISTRIES, requireHighAvailability: false, minimumReplicas: 1 },
    },
};
