/**
 * The one collector of a stack's network flows: every component's declared flows, chosen by the same
 * config that decides which components index.ts creates. Only the flows test calls it; a component that
 * index.ts starts creating adds its flow function here.
 */
import type { PlatformConfig } from "../config";
import { certManagerFlows } from "./addons/certManager";
import { externalDnsFlows, publishedZoneOf } from "./addons/externalDns";
import { externalSecretsFlows } from "./addons/externalSecrets";
import { fluentBitFlows } from "./addons/fluentBit";
import { tracingFlows } from "./addons/tracing";
import { metricsServerFlows } from "./addons/metricsServer";
import { receiverChoice } from "./addons/alertmanagerConfig";
import { monitoringFlows } from "./addons/monitoring";
import { veleroFlows } from "./addons/velero";
import { appNamespace } from "./apps/application";
import { databaseAdminFlows } from "./apps/databaseAdmin";
import { applicationFlows } from "./apps/networkPolicies";
import { dataTierFlows } from "./data/data";
import { coreAddonFlows } from "./eks/addons";
import { loadBalancerControllerFlows } from "./eks/loadBalancerController";
import { eksFlows } from "./eks/securityGroups";
import type { FlowNetwork, NetworkFlow } from "./flows";
import { vpcEndpointFlows } from "./vpcEndpoints";
import { karpenterFlows } from "./karpenter/karpenter";

/** Every flow the stack's components need. */
export function stackFlows(config: PlatformConfig): NetworkFlow[] {
    const hasDatabaseAdmin = config.database.enabled && config.apps.some((app) => app.database);
    return [
        ...vpcEndpointFlows(config.network.interfaceEndpoints),
        ...eksFlows(config.eks.privateAccessCidrs),
        ...coreAddonFlows(),
        ...loadBalancerControllerFlows(),
        ...dataTierFlows(config.database),
        ...monitoringFlows(receiverChoice(config.alerting)),
        ...metricsServerFlows(),
        ...certManagerFlows(config.edge.hostedZoneId !== undefined && config.edge.hostedZoneName !== undefined),
        ...veleroFlows(),
        ...(publishedZoneOf(config.edge) === undefined ? [] : externalDnsFlows()),
        ...(hasDatabaseAdmin ? [...externalSecretsFlows(), ...databaseAdminFlows()] : []),
        ...config.apps.flatMap((app) => applicationFlows(app, appNamespace(app.name))),
        ...karpenterFlows(),
        ...fluentBitFlows(),
        ...tracingFlows(),
    ];
}

/** The stack's network, which the flows' address sets resolve against. */
export function stackNetwork(config: PlatformConfig): FlowNetwork {
    return { vpcCidr: config.network.cidr, subnets: config.network.subnets };
}
