import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CHART_VALUE_PATHS, chartName, type ChartValuePaths, type ComponentValuePaths } from "../../lib/chartValuePaths";

export { chartName };
import type { PlatformRule } from "../../lib/rule";
import { credentialsIn } from "../../lib/secretPatterns";
import { HELM_RELEASE } from "../../lib/types";
import { asNumber, asRecord, asString, asStrings, describe, isSetRef, peek, UNKNOWN } from "../../lib/values";

interface Settings {
    requireHighAvailability?: boolean;
    minimumReplicas?: number;
}

const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";
const SECCOMP_TYPES = ["RuntimeDefault", "Localhost"];

/** A value at a dot-separated path (UNKNOWN when unknown during preview). */
function valueAt(values: unknown, path: string): unknown {
    return peek(values, ...path.split("."));
}

/** What one component's values fail to promise (fragments, each naming the path). */
function componentProblems(name: string, paths: ComponentValuePaths, values: unknown, settings: Settings): string[] {
    const problems: string[] = [];
    const missing = (path: string, what: string) => problems.push(`does not set ${path} (${what} of ${name})`);
    let podNonRoot: unknown;
    if (paths.podSecurityContext !== undefined) {
        const pod = valueAt(values, paths.podSecurityContext);
        if (pod !== UNKNOWN) {
            podNonRoot = peek(pod, "runAsNonRoot");
            if (asRecord(pod) === undefined) {
                missing(paths.podSecurityContext, "the pod security context");
            } else {
                if (podNonRoot !== true && paths.runsAsRoot === undefined) {
                    problems.push(`does not require ${name} to run as non-root: set ${paths.podSecurityContext}.runAsNonRoot: true`);
                }
                if (!SECCOMP_TYPES.includes(asString(peek(pod, "seccompProfile", "type")) ?? "")) {
                    problems.push(`runs ${name} without a seccomp profile: set ${paths.podSecurityContext}.seccompProfile.type: RuntimeDefault`);
                }
            }
        }
    }
    if (paths.containerSecurityContext !== undefined) {
        const container = valueAt(values, paths.containerSecurityContext);
        if (container !== UNKNOWN) {
            const at = paths.containerSecurityContext;
            if (asRecord(container) === undefined) {
                missing(at, "the container security context");
            } else {
                if (peek(container, "allowPrivilegeEscalation") !== false) {
                    problems.push(`lets ${name} escalate privileges: set ${at}.allowPrivilegeEscalation: false`);
                }
                if (!asStrings(peek(container, "capabilities", "drop")).includes("ALL")) {
                    problems.push(`keeps the capabilities of ${name}: set ${at}.capabilities.drop: ["ALL"]`);
                }
                if (paths.writableRootFilesystem === undefined && peek(container, "readOnlyRootFilesystem") !== true) {
                    problems.push(`lets ${name} write its root filesystem: set ${at}.readOnlyRootFilesystem: true`);
                }
                if (paths.podSecurityContext === undefined && paths.runsAsRoot === undefined && peek(container, "runAsNonRoot") !== true) {
                    problems.push(`does not require ${name} to run as non-root: set ${at}.runAsNonRoot: true`);
                }
            }
        }
    }
    const resources = valueAt(values, paths.resources);
    if (resources !== UNKNOWN) {
        const unset = [
            ["requests", "cpu"],
            ["requests", "memory"],
            ["limits", "memory"],
        ].filter(([kind, what]) => peek(resources, kind, what) === undefined);
        if (unset.length > 0) {
            problems.push(
                `does not set ${unset.map(([kind, what]) => `${paths.resources}.${kind}.${what}`).join(", ")} (requests and a memory limit of ${name})`,
            );
        }
    }
    if (settings.requireHighAvailability === true) {
        const minimum = settings.minimumReplicas ?? 2;
        if (paths.replicas !== undefined) {
            const replicas = valueAt(values, paths.replicas);
            if (replicas !== UNKNOWN && (asNumber(replicas) ?? 1) < minimum) {
                problems.push(`runs ${asNumber(replicas) ?? 1} replica of ${name}: set ${paths.replicas} to at least ${minimum}`);
            }
        }
        if (paths.disruptionBudget !== undefined) {
            const budget = valueAt(values, paths.disruptionBudget);
            if (
                budget !== UNKNOWN &&
                (asRecord(budget) === undefined || peek(budget, "enabled") === false || Object.keys(asRecord(budget) ?? {}).length === 0)
            ) {
                problems.push(`has no disruption budget for ${name}: enable ${paths.disruptionBudget}`);
            }
        }
    }
    return problems;
}

/** Word parts of a values key: `adminPassword` gives admin, password; `api_key` gives api, key. */
function wordsOf(key: string): string[] {
    return key
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w !== "");
}

/** {@link namesCredential}'s verdicts by key: values trees repeat the same few hundred keys. */
const credentialKeys = new Map<string, boolean>();

/** True for a key whose value is a credential (its last word), not a reference to one (`existingSecret`, `passwordKey`, `secretName`). */
function namesCredential(key: string): boolean {
    let verdict = credentialKeys.get(key);
    if (verdict === undefined) {
        verdict = keyNamesCredential(key);
        credentialKeys.set(key, verdict);
    }
    return verdict;
}

function keyNamesCredential(key: string): boolean {
    const words = wordsOf(key);
    const last = words.at(-1) ?? "";
    const previous = words.at(-2) ?? "";
    if (words[0] === "existing") {
        return false;
    }
    return (
        ["password", "passwd", "secret", "token", "credentials"].includes(last) || (last === "key" && ["api", "private", "access", "secret"].includes(previous))
    );
}

/** Credentials written into the values: path and what was found. */
function credentialsInValues(value: unknown, path: string, found: string[], depth = 0): void {
    if (depth > 12 || value === UNKNOWN) {
        return;
    }
    const record = asRecord(value);
    if (record !== undefined) {
        for (const key of Object.keys(record)) {
            const child = peek(record, key);
            const at = path === "" ? key : `${path}.${key}`;
            if (typeof child === "string" && child !== "" && namesCredential(key)) {
                found.push(`${at} (a credential by its name)`);
            } else {
                credentialsInValues(child, at, found, depth + 1);
            }
        }
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => credentialsInValues(v, `${path}[${i}]`, found, depth + 1));
    } else if (typeof value === "string" && value.length < 20000) {
        for (const what of credentialsIn(value)) {
            found.push(`${path} (${what})`);
        }
    }
}

/** What a release's values fail to promise, given its chart's row. */
export function chartValueProblems(table: ChartValuePaths, values: unknown, settings: Settings): string[] {
    const problems = Object.entries(table.components).flatMap(([name, paths]) => componentProblems(name, paths, values, settings));
    for (const identity of table.workloadIdentity ?? []) {
        const annotations = valueAt(values, `${identity.serviceAccount}.annotations`);
        if (annotations === UNKNOWN) {
            continue;
        }
        const role = peek(annotations, ROLE_ANNOTATION);
        if (!isSetRef(role) && (!identity.optional || role !== undefined)) {
            problems.push(
                `does not give ${identity.serviceAccount} its workload role: set ${identity.serviceAccount}.annotations["${ROLE_ANNOTATION}"] to the role's ARN`,
            );
        }
    }
    const credentials: string[] = [];
    credentialsInValues(values, "", credentials);
    for (const where of credentials) {
        problems.push(
            `writes a credential into its values at ${where}: it lands in the Helm release Secret and Pulumi's state; mount it from a Secret the chart references instead`,
        );
    }
    return problems;
}

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-helm-values",
    description:
        "Helm releases promise in their values what the pack cannot see in the objects they render (a Release's manifest is not computed in a preview): at the value paths of each chart (policies/lib/chartValuePaths.ts) every component has a pod and container security context (non-root, seccomp, no privilege escalation, all capabilities dropped, read-only root unless documented), requests and a memory limit, and in prod two replicas and a disruption budget where it can run more than one; service accounts that need AWS carry their workload role; no credential is written into the values (the PriorityClass at each chart's paths is platform-k8s-workload-priority-class's). A chart the table does not know is reported.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireHighAvailability: {
                type: "boolean",
                default: true,
                description: "Require replicas and a disruption budget of the components that can run more than one.",
            },
            minimumReplicas: { type: "integer", minimum: 1, default: 2, description: "Fewest replicas of such a component." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== HELM_RELEASE) {
            return;
        }
        const chart = asString(args.props.chart);
        if (chart === undefined) {
            return;
        }
        const table = CHART_VALUE_PATHS[chartName(chart)];
        if (table === undefined) {
            reportViolation(
                `${describe(args)} installs the chart ${chartName(chart)}, whose value paths the pack does not know, so nothing checks what it renders. Add its row to policies/lib/chartValuePaths.ts.`,
            );
            return;
        }
        for (const problem of chartValueProblems(table, args.props.values, args.getConfig<Settings>())) {
            reportViolation(`${describe(args)} ${problem}.`);
        }
    },
};

/** Helm values at each chart's paths. */
export const checkChartValues: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["HELM-04"],
    config: {
        prod: { requireHighAvailability: true, minimumReplicas: 2 },
        dev: { requireHighAvailability: false, minimumReplicas: 2 },
    },
};
