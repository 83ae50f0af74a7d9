/**
 * Every rule of the platform pack, in the order the README lists them (by area). Side-effect free: the
 * offline plan and the tests import this; only ../index.ts constructs the PolicyPack.
 *
 * Resource rules run once per resource and policy, so their number is what the pack's evaluation time
 * grows with: checks of one resource family with the same levels share a rule, and advisory-only rules
 * (which never block a deployment) are stack rules, evaluated once per stack.
 */
import type { PlatformRule } from "../lib/rule";
import { enableCertificateTransparency } from "./acm/enableCertificateTransparency";
import { reviewWildcardCertificates } from "./acm/reviewWildcardCertificates";
import { configureAlbListeners } from "./alb/configureAlbListeners";
import { hardenLoadBalancer } from "./alb/hardenLoadBalancer";
import { protectAlbWithWaf } from "./alb/protectAlbWithWaf";
import { protectLoadBalancer } from "./alb/protectLoadBalancer";
import { enableAlarmActions } from "./cloudwatch/enableAlarmActions";
import { noSecretsInUserData } from "./ec2/noSecretsInUserData";
import { hardenRepository } from "./ecr/hardenRepository";
import { configureClusterAccess } from "./eks/configureClusterAccess";
import { hardenCluster } from "./eks/hardenCluster";
import { protectCluster } from "./eks/protectCluster";
import { hardenCache } from "./elasticache/hardenCache";
import { protectCache } from "./elasticache/protectCache";
import { recommendCacheSettings } from "./elasticache/recommendCacheSettings";
import { matchServiceAccountRoles } from "./iam/matchServiceAccountRoles";
import { restrictPolicyPrivileges } from "./iam/restrictPolicyPrivileges";
import { restrictRoleTrust } from "./iam/restrictRoleTrust";
import { restrictSensitiveActions } from "./iam/restrictSensitiveActions";
import { declareNamespaces } from "./k8s/declareNamespaces";
import { enforcePodSecurityBaseline } from "./k8s/enforcePodSecurityBaseline";
import { hardenPodSpec } from "./k8s/hardenPodSpec";
import { noSecretsInConfigMaps } from "./k8s/noSecretsInConfigMaps";
import { requireCurrentApis } from "./k8s/requireCurrentApis";
import { scopeSecretStores } from "./k8s/scopeSecretStores";
import { hardenWorkload } from "./k8s/hardenWorkload";
import { isolateNamespace } from "./k8s/isolateNamespace";
import { limitNamespaceResources } from "./k8s/limitNamespaceResources";
import { matchTrafficTargets } from "./k8s/matchTrafficTargets";
import { checkChartValues } from "./k8s/checkChartValues";
import { pinHelmRelease } from "./k8s/pinHelmRelease";
import { protectDnsRecords } from "./k8s/protectDnsRecords";
import { boundNodePools } from "./k8s/boundNodePools";
import { hardenNodeClasses } from "./k8s/hardenNodeClasses";
import { recommendWorkloadSettings } from "./k8s/recommendWorkloadSettings";
import { requireDisruptionBudget } from "./k8s/requireDisruptionBudget";
import { requireNetworkPolicy } from "./k8s/requireNetworkPolicy";
import { requirePriorityClass } from "./k8s/requirePriorityClass";
import { restrictRbac } from "./k8s/restrictRbac";
import { restrictServiceExposure } from "./k8s/restrictServiceExposure";
import { rollBackHelmRelease } from "./k8s/rollBackHelmRelease";
import { enableKeyRotation } from "./kms/enableKeyRotation";
import { requireCustomerManagedKeys } from "./kms/requireCustomerManagedKeys";
import { configureLogGroupRetention } from "./logs/configureLogGroupRetention";
import { declareEksLogGroup } from "./logs/declareEksLogGroup";
import { encryptLogGroup } from "./logs/encryptLogGroup";
import { attachSecurityGroups } from "./network/attachSecurityGroups";
import { disallowDefaultVpc } from "./network/disallowDefaultVpc";
import { disallowPublicIngress } from "./network/disallowPublicIngress";
import { disallowPublicIpOnLaunch } from "./network/disallowPublicIpOnLaunch";
import { documentSecurityGroupRules } from "./network/documentSecurityGroupRules";
import { limitWorldEgress } from "./network/limitWorldEgress";
import { requirePrivateSubnets } from "./network/requirePrivateSubnets";
import { requireVpcFlowLogs } from "./network/requireVpcFlowLogs";
import { restrictDataStoreAccess } from "./network/restrictDataStoreAccess";
import { protectDatabase } from "./rds/protectDatabase";
import { hardenDatabase } from "./rds/hardenDatabase";
import { recommendDatabaseSettings } from "./rds/recommendDatabaseSettings";
import { blockBucketPublicAccess } from "./s3/blockBucketPublicAccess";
import { configureBucketLifecycle } from "./s3/configureBucketLifecycle";
import { enableBucketLogging } from "./s3/enableBucketLogging";
import { enableBucketVersioning } from "./s3/enableBucketVersioning";
import { encryptBucket } from "./s3/encryptBucket";
import { enforceBucketOwnership } from "./s3/enforceBucketOwnership";
import { protectBackupBucket } from "./s3/protectBackupBucket";
import { requireBucketTls } from "./s3/requireBucketTls";
import { encryptSecret } from "./secrets/encryptSecret";
import { rotateSecrets } from "./secrets/rotateSecrets";
import { hardenTopic } from "./sns/hardenTopic";
import { hardenQueue } from "./sqs/hardenQueue";
import { configureWebAcl } from "./waf/configureWebAcl";

/** The name the pack registers under. */
export const PACK_NAME = "platform-hardening";

/** All rules. */
export const rules: readonly PlatformRule[] = [
    // KMS, logs, secrets
    enableKeyRotation,
    requireCustomerManagedKeys,
    configureLogGroupRetention,
    encryptLogGroup,
    declareEksLogGroup,
    encryptSecret,
    rotateSecrets,
    // Messaging, registries, alarms, certificates
    hardenTopic,
    hardenQueue,
    hardenRepository,
    enableAlarmActions,
    enableCertificateTransparency,
    reviewWildcardCertificates,
    // Network
    disallowPublicIpOnLaunch,
    requireVpcFlowLogs,
    disallowDefaultVpc,
    disallowPublicIngress,
    documentSecurityGroupRules,
    requirePrivateSubnets,
    restrictDataStoreAccess,
    attachSecurityGroups,
    limitWorldEgress,
    noSecretsInUserData,
    // S3
    blockBucketPublicAccess,
    enforceBucketOwnership,
    encryptBucket,
    enableBucketVersioning,
    enableBucketLogging,
    requireBucketTls,
    configureBucketLifecycle,
    protectBackupBucket,
    // EKS and IAM
    protectCluster,
    hardenCluster,
    configureClusterAccess,
    restrictRoleTrust,
    restrictPolicyPrivileges,
    restrictSensitiveActions,
    matchServiceAccountRoles,
    // Data stores
    protectDatabase,
    hardenDatabase,
    recommendDatabaseSettings,
    protectCache,
    hardenCache,
    recommendCacheSettings,
    // Load balancers and WAF
    protectLoadBalancer,
    hardenLoadBalancer,
    protectAlbWithWaf,
    configureAlbListeners,
    configureWebAcl,
    // Kubernetes
    enforcePodSecurityBaseline,
    hardenWorkload,
    hardenPodSpec,
    requireCurrentApis,
    noSecretsInConfigMaps,
    scopeSecretStores,
    recommendWorkloadSettings,
    restrictServiceExposure,
    isolateNamespace,
    declareNamespaces,
    limitNamespaceResources,
    requireDisruptionBudget,
    requireNetworkPolicy,
    requirePriorityClass,
    matchTrafficTargets,
    restrictRbac,
    pinHelmRelease,
    rollBackHelmRelease,
    checkChartValues,
    protectDnsRecords,
    boundNodePools,
    hardenNodeClasses,
];
