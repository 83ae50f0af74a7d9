import type { ResourceValidationPolicy } from "@pulumi/policy";
import { DEFAULT_NAMESPACE, containersOf, isKind, podTemplateOf, type Container } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asNumber, asString, asStrings, at, describe, peek, prop, records, UNKNOWN } from "../../lib/values";

/** Volume types the restricted Pod Security Standard allows. */
const ALLOWED_VOLUMES = ["configMap", "downwardAPI", "emptyDir", "projected", "secret", "csi", "persistentVolumeClaim", "ephemeral", "image"];
/** SELinux types the baseline standard allows (besides none). */
const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];
/** Sysctls the baseline standard calls safe (namespaced, isolated from the node). */
const SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const APPARMOR_TYPES = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
const HANDLERS: readonly [string, ...string[]][] = [
    ["livenessProbe"],
    ["readinessProbe"],
    ["startupProbe"],
    ["lifecycle", "postStart"],
    ["lifecycle", "preStop"],
];

interface Settings {
    forbiddenNamespaces?: string[];
}

/** What the baseline standard forbids in one container's security context, probes and ports. */
function containerProblems({ container, label }: Container): string[] {
    const problems: string[] = [];
    const sc = prop(container, "securityContext");
    if (at(sc, "privileged") === true) {
        problems.push(`runs ${label} privileged. Remove securityContext.privileged`);
    }
    if (at(sc, "allowPrivilegeEscalation") !== false) {
        problems.push(`lets ${label} gain privileges (setuid binaries). Set securityContext.allowPrivilegeEscalation: false`);
    }
    const seLinuxType = asString(at(sc, "seLinuxOptions", "type"));
    if (seLinuxType !== undefined && seLinuxType !== "" && !SELINUX_TYPES.includes(seLinuxType)) {
        problems.push(`gives ${label} the SELinux type ${seLinuxType}. Remove securityContext.seLinuxOptions.type or use container_t`);
    }
    const procMount = asString(at(sc, "procMount"));
    if (procMount !== undefined && procMount !== "Default") {
        problems.push(`gives ${label} an unmasked /proc (procMount ${procMount}). Remove securityContext.procMount`);
    }
    const appArmor = asString(at(sc, "appArmorProfile", "type"));
    if (appArmor !== undefined && !APPARMOR_TYPES.includes(appArmor)) {
        problems.push(`runs ${label} with the AppArmor profile ${appArmor}. Use RuntimeDefault or Localhost`);
    }
    if (at(sc, "windowsOptions", "hostProcess") === true) {
        problems.push(`runs ${label} as a Windows host process. Remove securityContext.windowsOptions.hostProcess`);
    }
    records(prop(container, "ports")).forEach((port) => {
        const hostPort = asNumber(prop(port, "hostPort"));
        if (hostPort !== undefined && hostPort !== 0) {
            problems.push(`binds ${label} to host port ${hostPort}. Remove ports[].hostPort and expose it through a Service`);
        }
    });
    for (const path of HANDLERS) {
        const handler = at(container, ...path);
        if (peek(handler, "httpGet", "host") !== undefined || peek(handler, "tcpSocket", "host") !== undefined) {
            problems.push(`points the ${path.join(".")} of ${label} at another host. Remove its host field (probes and hooks target the pod)`);
        }
    }
    return problems;
}

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-workload-baseline",
    description:
        "What no workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) may do, in any stack (the Pod Security baseline, plus restricted's privilege escalation and volume types): share the host's network, PID or IPC namespaces, run privileged, allow privilege escalation, mount hostPath or other node volumes, bind host ports, use unsafe SELinux, AppArmor, procMount, sysctl or host-process settings, probe other hosts, or run in the default or kube-system namespace.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            forbiddenNamespaces: {
                type: "array",
                items: { type: "string" },
                default: [DEFAULT_NAMESPACE, "kube-system"],
                description: "Namespaces no workload of the program may run in.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, K8S.workloads)) {
            return;
        }
        const report = (problem: string) => reportViolation(`${describe(args)} ${problem}.`);
        // The namespace is often another resource's output (unknown during preview): then it is a declared Namespace.
        const namespace = peek(args.props, "metadata", "namespace");
        const forbidden = asStrings(args.getConfig<Settings>().forbiddenNamespaces ?? [DEFAULT_NAMESPACE, "kube-system"]);
        if (namespace !== UNKNOWN) {
            const effective = typeof namespace === "string" && namespace !== "" ? namespace : DEFAULT_NAMESPACE;
            if (forbidden.includes(effective)) {
                report(
                    `runs in the ${effective} namespace${namespace === undefined ? " (metadata.namespace is unset)" : ""}. Set metadata.namespace to the application's own namespace`,
                );
            }
        }
        const { spec, annotations } = podTemplateOf(args.type, args.props);
        for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (prop(spec, field) === true) {
                report(`shares the node's ${field.slice(4)} namespace (${field}: true). Remove ${field}`);
            }
        }
        records(prop(spec, "volumes")).forEach((volume) => {
            const name = asString(prop(volume, "name")) ?? "?";
            const types = Object.keys(volume).filter((k) => k !== "name");
            if (types.includes("hostPath")) {
                report(
                    `mounts the node's filesystem (hostPath volume ${JSON.stringify(name)}). Use an emptyDir, a ConfigMap or a persistentVolumeClaim instead`,
                );
            } else {
                const other = types.filter((t) => !ALLOWED_VOLUMES.includes(t));
                if (other.length > 0) {
                    report(
                        `uses the volume type ${other.join(", ")} (volume ${JSON.stringify(name)}), which the restricted Pod Security Standard forbids. Use a persistentVolumeClaim or a CSI volume`,
                    );
                }
            }
        });
        const podSc = prop(spec, "securityContext");
        const podSeLinux = asString(at(podSc, "seLinuxOptions", "type"));
        if (podSeLinux !== undefined && podSeLinux !== "" && !SELINUX_TYPES.includes(podSeLinux)) {
            report(`gives its pods the SELinux type ${podSeLinux}. Remove securityContext.seLinuxOptions.type or use container_t`);
        }
        const podAppArmor = asString(at(podSc, "appArmorProfile", "type"));
        if (podAppArmor !== undefined && !APPARMOR_TYPES.includes(podAppArmor)) {
            report(`runs its pods with the AppArmor profile ${podAppArmor}. Use RuntimeDefault or Localhost`);
        }
        if (at(podSc, "windowsOptions", "hostProcess") === true) {
            report("runs its pods as Windows host processes. Remove securityContext.windowsOptions.hostProcess");
        }
        for (const sysctl of records(prop(podSc, "sysctls"))) {
            const name = asString(prop(sysctl, "name"));
            if (name !== undefined && !SAFE_SYSCTLS.includes(name)) {
                report(`sets the sysctl ${name}, which is not namespaced and affects the whole node. Remove it from securityContext.sysctls`);
            }
        }
        for (const key of Object.keys(annotations).filter((k) => k.startsWith(APPARMOR_ANNOTATION))) {
            const value = peek(annotations, key);
            if (typeof value === "string" && value !== "runtime/default" && !value.startsWith("localhost/")) {
                report(`sets the AppArmor profile ${value} (${key}). Use runtime/default or a localhost/ profile`);
            }
        }
        for (const container of containersOf(spec)) {
            containerProblems(container).forEach(report);
        }
    },
};

/** K-01, K-02, K-04, K-05, K-06, K-09, K-16. */
export const enforcePodSecurityBaseline: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: [
        "K-01",
        "K-02",
        "K-04",
        "K-05",
        "K-06",
        "K-09",
        "K-16",
        "PSS baseline",
        "CIS EKS 4.2.1-4.2.5",
        "CKV_K8S_16",
        "CKV_K8S_17",
        "CKV_K8S_18",
        "CKV_K8S_19",
        "CKV_K8S_20",
        "CKV_K8S_26",
        "CKV_K8S_27",
        "KSV-0001",
        "KSV-0008",
        "KSV-0017",
        "KSV-0023",
        "KSV-0024",
        "CKV_K8S_30",
        "KSV-0006",
        "KSV-0009",
        "KSV-0010",
        "KSV-0025",
        "KSV-0026",
        "KSV-0027",
        "KSV-0028",
        "KSV-0103",
        "KSV-0110",
        "KSV-0121",
    ],
    partial: ["CKV_K8S_21", "KSV-0037", "KSV-0118", "KSV-0002"],
};
