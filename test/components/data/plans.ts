/**
 * Program runs shared by the data-tier specs: each distinct config runs once per mocha process, however
 * many spec files use it. The store lives on globalThis, so that it is one per process even if this
 * module is loaded again (the runtime forgets the modules a run of the program loaded before the next).
 */
import { Secret } from "../../../tools/offline/values";
import { planStack, planWith, type Plan, type RecordedResource } from "../../harness";

const store = globalThis as typeof globalThis & { __dataTierPlans?: Map<string, Promise<Plan>> };

function shared(key: string, run: () => Promise<Plan>): Promise<Plan> {
    const plans = (store.__dataTierPlans ??= new Map());
    let plan = plans.get(key);
    if (plan === undefined) {
        plan = run();
        plans.set(key, plan);
    }
    return plan;
}

/** The checked-in dev stack. */
export const devPlan = (): Promise<Plan> => shared("dev", () => planStack("dev"));
/** The checked-in prod stack. */
export const prodPlan = (): Promise<Plan> => shared("prod", () => planStack("prod"));

/** The overrides of {@link variantPlan}: every optional feature and non-default threshold at once. */
export const VARIANT = {
    "platform:database.proxy": true,
    "platform:database.readReplicas": 2,
    "platform:cache.evictionPolicy": "allkeys-lfu",
    "platform:cache.nodes": 2,
    "platform:alarms.databaseCpuPercent": 70,
    "platform:alarms.cacheEvictions": 500,
    "platform:alarms.subscription": "https://events.example.com/hooks/T0KEN",
} as const;

/** prod with {@link VARIANT}: proxy, two replicas, another eviction policy and thresholds, an HTTPS subscription. */
export const variantPlan = (): Promise<Plan> => shared("prod-variant", () => planWith("prod", { ...VARIANT }));

/** Type tokens the data-tier specs use. */
export const T = {
    instance: "aws:rds/instance:Instance",
    dbParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    proxy: "aws:rds/proxy:Proxy",
    proxyTargetGroup: "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
    proxyTarget: "aws:rds/proxyTarget:ProxyTarget",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheParameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    subnet: "aws:ec2/subnet:Subnet",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    bucket: "aws:s3/bucket:Bucket",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    password: "random:index/randomPassword:RandomPassword",
} as const;

/** The ARN of one of the stack's KMS keys. */
export function keyArn(plan: Plan, purpose: "data" | "backups" | "logs"): unknown {
    return plan.get(T.key, `keys-${purpose}`).outputs.arn;
}

/** The security group id every data service must admit, and nothing else: the EKS nodes'. */
export function nodeSecurityGroupId(plan: Plan): unknown {
    return plan.outputs.nodeSecurityGroupId;
}

/** The ingress and egress rules attached to a security group. */
export function rulesOf(plan: Plan, group: RecordedResource): { ingress: RecordedResource[]; egress: RecordedResource[] } {
    const on = (type: string) => plan.ofType(type).filter((r) => r.inputs.securityGroupId === group.id);
    return { ingress: on(T.ingress), egress: on(T.egress) };
}

/** The region of the provider a resource was created through. */
export function regionOf(plan: Plan, resource: RecordedResource): unknown {
    const provider = plan.ofType("pulumi:providers:aws").find((p) => resource.provider?.startsWith(`${p.urn}::`));
    return provider?.inputs.region;
}

/** Every resource below the DataTier component. */
export function dataResources(plan: Plan): RecordedResource[] {
    return plan.descendantsOf(plan.get("platform:data:DataTier", "data"));
}

/** The value a Secret holds (fails the test when the value is not a Secret). */
export function secretValue(value: unknown): unknown {
    if (!(value instanceof Secret)) {
        throw new Error(`expected a secret, got ${JSON.stringify(value)}`);
    }
    return value.value;
}
