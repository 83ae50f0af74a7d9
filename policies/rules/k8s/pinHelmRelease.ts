import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import { SYSTEM_NAMESPACES } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE } from "../../lib/types";
import { asString, asStrings, at, describe, peek, UNKNOWN } from "../../lib/values";

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The chart repositories of the platform's add-ons (../shared/reference/charts-and-addons.md). */
export const DEFAULT_REPOSITORIES = [
    "https://aws.github.io/eks-charts",
    "https://charts.jetstack.io",
    "oci://quay.io/jetstack/charts",
    "https://prometheus-community.github.io/helm-charts",
    "https://vmware-tanzu.github.io/helm-charts",
    "https://kubernetes-sigs.github.io/metrics-server",
    "https://charts.external-secrets.io",
    "https://kubernetes-sigs.github.io/external-dns",
    "oci://public.ecr.aws/karpenter",
    "https://fluent.github.io/helm-charts",
    "https://open-telemetry.github.io/opentelemetry-helm-charts",
];

interface Settings {
    allowedRepositories?: string[];
    kubeSystemCharts?: string[];
}

const normalise = (url: string) => url.trim().replace(/\/+$/, "").toLowerCase();

const policy: StackValidationPolicy = {
    name: "platform-k8s-helm-release-source",
    description:
        "Helm releases install an exact chart version from an allowlisted https:// or oci:// repository, into a namespace of their own that the program declares (never default, kube-system only for charts listed in kubeSystemCharts, no createNamespace), so what runs is reviewed and pinned and the namespace's Pod Security labels apply. A v3 Release's pods are invisible to the workload rules: use helm.sh/v4 Chart where they must apply.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedRepositories: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_REPOSITORIES,
                description: "Chart repositories releases may use.",
            },
            kubeSystemCharts: { type: "array", items: { type: "string" }, default: [], description: "Charts that may be installed into kube-system." },
        },
    },
    validateStack: checkEachResource([HELM_RELEASE], (args, reportViolation) => {
        if (args.type !== HELM_RELEASE) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const props = args.props;
        const chart = asString(props.chart) ?? "";
        const version = asString(props.version);
        if (version === undefined || !EXACT_VERSION.test(version)) {
            reportViolation(
                `${describe(args)} installs ${version === undefined ? "whatever chart version is newest" : `the version range ${JSON.stringify(version)}`}. Set version to an exact chart version (for example "3.5.0").`,
            );
        }
        const repo = asString(at(props, "repositoryOpts", "repo")) ?? (/^(https|oci):\/\//.test(chart) ? chart.slice(0, chart.lastIndexOf("/")) : undefined);
        const local = repo === undefined && /^(\.{1,2})?\//.test(chart);
        const allowed = asStrings(settings.allowedRepositories ?? DEFAULT_REPOSITORIES).map(normalise);
        if (repo === undefined && !local) {
            reportViolation(
                `${describe(args)} names no chart repository, so the chart comes from whatever repositories the machine running pulumi has configured. Set repositoryOpts.repo to an allowlisted https:// or oci:// repository.`,
            );
        } else if (repo !== undefined && !/^(https|oci):\/\//.test(repo)) {
            reportViolation(`${describe(args)} downloads its chart from ${repo} without TLS. Use an https:// or oci:// repository.`);
        } else if (repo !== undefined && !allowed.includes(normalise(repo))) {
            reportViolation(
                `${describe(args)} installs a chart from ${repo}, which is not an allowed repository. Add it to allowedRepositories in the policy config after review, or mirror the chart.`,
            );
        }
        // The namespace is usually a declared Namespace's output (unknown during preview): a namespace of the program.
        const namespace = peek(props, "namespace");
        if (namespace !== UNKNOWN) {
            const ns = typeof namespace === "string" && namespace !== "" ? namespace : "default";
            if (ns === "default") {
                reportViolation(`${describe(args)} installs into the default namespace. Set namespace to a Namespace the program declares for this add-on.`);
            } else if (SYSTEM_NAMESPACES.includes(ns) && !asStrings(settings.kubeSystemCharts).includes(chart)) {
                reportViolation(
                    `${describe(args)} installs into ${ns}. Install it into a namespace of its own, or add the chart to kubeSystemCharts in the policy config if it must run there.`,
                );
            }
        }
        if (props.createNamespace === true) {
            reportViolation(
                `${describe(args)} creates its namespace itself, without Pod Security labels. Declare a Namespace with the labels and set createNamespace: false.`,
            );
        }
    }),
};

/** HELM-01, HELM-02. */
export const pinHelmRelease: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["HELM-01", "HELM-02"],
    partial: ["CKV_K8S_21", "KSV-0037"],
    config: {
        prod: { allowedRepositories: DEFAULT_REPOSITORIES, kubeSystemCharts: [] },
        dev: { allowedRepositories: DEFAULT_REPOSITORIES, kubeSystemCharts: [] },
    },
};
