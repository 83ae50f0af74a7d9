/**
 * The config module: the only place that reads Pulumi config. It reads every `platform:` key (plus
 * `aws:region`), validates all of them before any resource is created, and returns one typed object.
 * Invalid config throws a {@link ConfigValidationError} listing every problem of the run at once.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SubnetLayout } from "./cidr";
import { show, type ConfigProblem } from "./fields";
import type { Environment } from "./keys/core";
import type { InterfaceEndpointService, NatMode } from "./keys/network";
import type { NodeGroupConfig } from "./keys/nodeGroups";
import type { NodePoolConfig, SpotServiceLinkedRole } from "./keys/karpenter";
import type { AutoScalingServiceLinkedRole } from "./keys/eks";
import type { KubernetesVersion } from "../versions";
import { ProblemList, checkProdRequirements, checkZonesInRegion, resolveSubnets } from "./rules";
import { checkAccessPrincipals, checkClusterAccess, checkEksProdRequirements } from "./rules/eks";
import { PROJECT, schema, type ConfigKey, type ConfigValues } from "./schema";
import { nearest } from "./suggest";
import { dataSections, type DataSections } from "./data";
import { checkDataProdRequirements, checkDataRules } from "./rules/data";
import { appSections, type AppSections } from "./apps";
import { checkAppProdRequirements, checkAppRules, checkReferenceImage } from "./rules/apps";
import { monitoringSections, type MonitoringSections } from "./monitoring";
import { checkMonitoringProdRequirements, checkMonitoringRules } from "./rules/monitoring";
import { edgeSections, type EdgeSections } from "./edge";
import { checkDomainInZone, checkWafRules } from "./rules/edge";
import { addonSections, type AddonSections } from "./addons";
import { checkAddonProdRequirements, checkAddonRules } from "./rules/addons";
import { previewSections, type PreviewSections } from "./preview";
import { loadTestSections, type LoadTestSections } from "./loadTest";
import { estimateSections, type EstimateSections } from "./estimates";
import { UNKNOWN_CONFIG_TEXT, UnknownConfigValue, type UncheckedConfig } from "./unknown";
import { checkPreviewAccess } from "./rules/preview";
import { externalDnsSections, type ExternalDnsSections } from "./externalDns";
import { checkExternalDnsProdRequirements, checkHostsInZone, checkOwnerIdUnique } from "./rules/externalDns";
import { readOtherStackFiles, type OtherStackFile } from "./stackFiles";
import { checkKarpenterProdRequirements, checkKarpenterRules } from "./rules/karpenter";
import { checkArnPartitions } from "./rules/partition";
import { checkBackupReplication, checkRestore } from "./rules/restore";
import { restoreSections, type RestoreSections } from "./restore";
import { partitionOf, type Partition } from "../components/partitions";

export { PROJECT } from "./schema";
export type { ConfigProblem } from "./fields";
export type { ApplicationConfig } from "./apps";
export type { AlarmsConfig, AlarmSubscription, BackupsConfig, CacheConfig, DatabaseConfig } from "./data";
export type { AlertingConfig, MonitoringConfig, SlackReceiver } from "./monitoring";
export type { EdgeConfig, WafConfig } from "./edge";
export type { PreviewConfig } from "./preview";
export type { LoadTestConfig } from "./loadTest";
export type { EstimateAssumptions } from "./estimates";
export type { UncheckedConfig } from "./unknown";
export type { BackupSchedule, CertManagerConfig, LoggingConfig, TracingConfig, VeleroConfig } from "./addons";
export type { ExternalDnsConfig, ExternalDnsPolicy } from "./externalDns";
export type { OtherStackFile } from "./stackFiles";
export type { NodeGroupConfig, NodeTaint } from "./keys/nodeGroups";
export type { NodePoolConfig, NoDisruptionWindow, SpotServiceLinkedRole } from "./keys/karpenter";

/** The raw input of one run: full config keys (`platform:network.cidr`) to their config text. */
export interface RawConfig {
    /** Stack name, for example `dev`. */
    readonly stack: string;
    /** Every config value as Pulumi passes it to the program: strings, with lists and maps as JSON. */
    readonly values: Readonly<Record<string, string>>;
    /** The project's other stack files, for the rules that span stacks (unique owner ids); none when omitted. */
    readonly otherStacks?: readonly OtherStackFile[];
}

/** The VPC settings, with the subnet plan resolved. */
export interface NetworkConfig {
    /** VPC CIDR. */
    readonly cidr: string;
    /** AZ names, one subnet of each tier per AZ. */
    readonly availabilityZones: readonly string[];
    /** NAT layout. */
    readonly natGateways: NatMode;
    /** Subnet CIDRs per tier, index-aligned with `availabilityZones`. */
    readonly subnets: SubnetLayout;
    /** Traffic recorded by the flow logs. */
    readonly flowLogTrafficType: "ALL" | "ACCEPT" | "REJECT";
    /** Interface endpoints to create. */
    readonly interfaceEndpoints: readonly InterfaceEndpointService[];
}

/** The EKS cluster settings. */
export interface EksConfig {
    /** Kubernetes version of the control plane and nodes. */
    readonly version: KubernetesVersion;
    /** CIDRs allowed on the public API endpoint; empty: the public endpoint is off. */
    readonly publicAccessCidrs: readonly string[];
    /** Private CIDRs allowed to reach the private API endpoint on 443. */
    readonly privateAccessCidrs: readonly string[];
    /** IAM principals with cluster-admin access entries. */
    readonly adminPrincipalArns: readonly string[];
    /** IAM principals with read-only access entries. */
    readonly viewerPrincipalArns: readonly string[];
    /** Whether the cluster creator gets an implicit cluster-admin access entry. */
    readonly bootstrapCreatorAdmin: boolean;
    /** EKS deletion protection. */
    readonly deletionProtection: boolean;
    /** Managed node groups. */
    readonly nodeGroups: readonly NodeGroupConfig[];
    /** Whether the program creates the Auto Scaling service-linked role (the cluster key's policy names it) or the account has it. */
    readonly autoscalingServiceLinkedRole: AutoScalingServiceLinkedRole;
}

/** The validated configuration of a stack (the data tier's sections come from {@link DataSections}, the edge's from {@link EdgeSections}). */
export interface PlatformConfig
    extends
        DataSections,
        EdgeSections,
        AddonSections,
        ExternalDnsSections,
        MonitoringSections,
        AppSections,
        PreviewSections,
        RestoreSections,
        LoadTestSections,
        EstimateSections {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** Environment class. */
    readonly environment: Environment;
    /** True for prod: high availability and data protection switched on. */
    readonly isProd: boolean;
    /** AWS region of the stack (`aws:region`). */
    readonly region: string;
    /** AWS partition of the region (`aws`, `aws-cn`, `aws-us-gov`), for ARNs and service principals. */
    readonly partition: Partition;
    /** Prefix of physical resource names: `<project>-<stack>`. */
    readonly namePrefix: string;
    /** Tags for every AWS resource: the program's own (environment, project, stack, managed-by) plus config tags. */
    readonly tags: Readonly<Record<string, string>>;
    /** Retention of every log group, in days. */
    readonly logRetentionDays: number;
    /** KMS key deletion window, in days. */
    readonly kmsDeletionWindowDays: number;
    /** Pulumi `protect` on stateful resources. */
    readonly protect: boolean;
    /** Karpenter's NodePools (the workload capacity). */
    readonly karpenter: { readonly nodePools: readonly NodePoolConfig[]; readonly spotServiceLinkedRole: SpotServiceLinkedRole };
    /** VPC settings. */
    readonly network: NetworkConfig;
    /** EKS cluster settings. */
    readonly eks: EksConfig;
    /**
     * Checks skipped because a secret they need is unknown: always empty under the Pulumi CLI, which
     * decrypts every `secure:` value; offline, one entry per check of an undecryptable value (unknown.ts).
     */
    readonly unchecked: readonly UncheckedConfig[];
}

/** Invalid stack configuration: every problem found in one run. A RunError, so the CLI prints no stack trace. */
export class ConfigValidationError extends pulumi.RunError {
    /** The problems, one per bad key or rule. */
    readonly problems: readonly ConfigProblem[];

    constructor(problems: readonly ConfigProblem[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.message}`).join("\n"),
        );
        this.problems = problems;
    }
}

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Parses every key, reporting unknown and missing keys and bad values. */
function parseKeys(raw: RawConfig, problems: ProblemList): Partial<ConfigValues> {
    const known = Object.keys(schema) as ConfigKey[];
    const values: Partial<Record<ConfigKey, unknown>> = {};
    for (const fullKey of Object.keys(raw.values).sort()) {
        if (!fullKey.startsWith(`${PROJECT}:`)) {
            continue;
        }
        const key = fullKey.slice(PROJECT.length + 1);
        if (!(known as string[]).includes(key)) {
            const suggestion = nearest(key, known);
            problems.add(
                fullKey,
                `unknown configuration key${suggestion ? `; did you mean ${PROJECT}:${suggestion}?` : `; expected one of the keys listed in Pulumi.yaml`}`,
            );
        }
    }
    for (const key of known) {
        const field = schema[key];
        const text = raw.values[`${PROJECT}:${key}`];
        if (text === undefined) {
            if (field.default === undefined) {
                problems.add(key, `is required and not set; expected ${field.typeName} (${field.description})`);
            }
            values[key] = field.default;
            continue;
        }
        if (text === UNKNOWN_CONFIG_TEXT) {
            // Offline only: a `secure:` value the offline tools cannot decrypt. Set, value unknown.
            const checks = "checkedOffline" in field ? field.checkedOffline : undefined;
            if (field.secret && checks !== undefined) {
                values[key] = new UnknownConfigValue(`${PROJECT}:${key}`);
                problems.skip(key, checks);
            } else {
                problems.add(
                    key,
                    `is a secure: value, which the offline tools cannot decrypt, and the key is not a secret (Pulumi.yaml does not mark it secret), so the program needs its plaintext; expected a plain ${field.typeName} (pulumi config set ${PROJECT}:${key} <value>, without --secret)`,
                );
            }
            continue;
        }
        const parsed = field.parse(text);
        if ("problem" in parsed) {
            if ("structured" in field && field.structured) {
                // A list of maps is not echoed (it can be long): each problem names its item and field.
                for (const nested of parsed.problems ?? [{ path: "", problem: parsed.problem }]) {
                    problems.add(key, nested.problem, nested.path);
                }
                continue;
            }
            // A secret's value is never echoed: error output ends up in CI logs.
            const shown = field.secret
                ? "(the secret value)"
                : field.projectType === "string" || field.projectType === "integer" || field.projectType === "boolean"
                  ? show(text)
                  : text;
            problems.add(key, `${shown} ${parsed.problem}`);
        } else {
            values[key] = parsed.value;
        }
    }
    return values as Partial<ConfigValues>;
}

/**
 * Validates raw config and builds the typed configuration. Pure: no Pulumi runtime needed, so every
 * rule is testable on its own. Throws {@link ConfigValidationError} with all problems of the run.
 */
export function resolveConfig(raw: RawConfig): PlatformConfig {
    const problems = new ProblemList();
    const region = raw.values["aws:region"];
    if (region === undefined) {
        problems.add("aws:region", 'is required and not set; expected an AWS region such as "eu-west-1" (pulumi config set aws:region eu-west-1)');
    } else if (!REGION_PATTERN.test(region)) {
        problems.add("aws:region", `${show(region)} is not an AWS region name; expected a name such as "eu-west-1"`);
    }
    const parsed = parseKeys(raw, problems);
    if (problems.items.length > 0) {
        // Cross-key rules need every key parsed; report what we have rather than guess.
        throw new ConfigValidationError(problems.items);
    }
    const values = parsed as ConfigValues;
    checkZonesInRegion(values, region, problems);
    const subnets = resolveSubnets(values, problems);
    checkProdRequirements(values, problems);
    checkClusterAccess(values, problems);
    checkAccessPrincipals(values, problems);
    checkEksProdRequirements(values, problems);
    checkKarpenterRules(values, problems);
    checkKarpenterProdRequirements(values, problems);
    checkPreviewAccess(values, problems);
    checkArnPartitions(values, region, problems);
    checkDataRules(values, region, problems);
    checkDataProdRequirements(values, problems);
    checkBackupReplication(values, region, problems);
    checkRestore(values, region, problems);
    checkAppRules(values, problems);
    checkReferenceImage(values, `${PROJECT}-${raw.stack}`, region, problems);
    checkAppProdRequirements(values, problems);
    checkMonitoringRules(values, problems);
    checkMonitoringProdRequirements(values, problems);
    checkDomainInZone(values, problems);
    checkWafRules(values, problems);
    checkAddonRules(values, problems);
    checkAddonProdRequirements(values, problems);
    checkHostsInZone(values, problems);
    checkExternalDnsProdRequirements(values, problems);
    checkOwnerIdUnique(values, raw.stack, raw.otherStacks ?? [], problems);
    if (problems.items.length > 0) {
        throw new ConfigValidationError(problems.items);
    }
    return {
        project: PROJECT,
        stack: raw.stack,
        environment: values.environment,
        isProd: values.environment === "prod",
        region,
        partition: partitionOf(region),
        namePrefix: `${PROJECT}-${raw.stack}`,
        tags: {
            ...values.tags,
            environment: values.environment,
            project: PROJECT,
            stack: raw.stack,
            "managed-by": "pulumi",
        },
        logRetentionDays: values["logs.retentionDays"],
        kmsDeletionWindowDays: values["kms.deletionWindowDays"],
        protect: values.protect,
        karpenter: { nodePools: values["karpenter.nodePools"], spotServiceLinkedRole: values["karpenter.spotServiceLinkedRole"] },
        network: {
            cidr: values["network.cidr"],
            availabilityZones: values["network.availabilityZones"],
            natGateways: values["network.natGateways"],
            subnets,
            flowLogTrafficType: values["network.flowLogTrafficType"],
            interfaceEndpoints: values["network.interfaceEndpoints"],
        },
        eks: {
            version: values["eks.version"],
            publicAccessCidrs: values["eks.publicAccessCidrs"],
            privateAccessCidrs: values["eks.privateAccessCidrs"],
            adminPrincipalArns: values["eks.adminPrincipalArns"],
            viewerPrincipalArns: values["eks.viewerPrincipalArns"],
            bootstrapCreatorAdmin: values["eks.bootstrapCreatorAdmin"],
            deletionProtection: values["eks.deletionProtection"],
            nodeGroups: values["eks.nodeGroups"],
            autoscalingServiceLinkedRole: values["eks.autoscalingServiceLinkedRole"],
        },
        ...dataSections(values),
        ...appSections(values),
        ...monitoringSections(values),
        ...edgeSections(values),
        ...addonSections(values),
        ...externalDnsSections(values, PROJECT, raw.stack),
        ...previewSections(values),
        ...restoreSections(values),
        ...loadTestSections(values),
        ...estimateSections(values),
        unchecked: problems.unchecked,
    };
}

/**
 * Reads the stack's config from the Pulumi runtime and resolves it, with the project's other stack files
 * (in the working directory, where the Pulumi CLI runs the program) for the rules that span stacks.
 */
export function loadConfig(): PlatformConfig {
    const stack = pulumi.getStack();
    return resolveConfig({ stack, values: pulumi.runtime.allConfig(), otherStacks: readOtherStackFiles(process.cwd(), stack) });
}
