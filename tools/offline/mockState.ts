/**
 * Realistic state for mocked resources and invokes: ids, ARNs, names and endpoints shaped like the ones
 * AWS returns, so the wiring between resources (ARNs in policies, ids in routes) is exercised offline.
 * Deterministic: the same program and config give the same record.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { dnsSuffix, partitionOf } from "../../components/partitions";

/** The account every offline run pretends to deploy into. */
export const MOCK_ACCOUNT_ID = "123456789012";

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** EC2-style id prefixes by resource type. */
const EC2_ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** What Pulumi's auto-naming would produce: the logical name plus a random-looking suffix. */
function autoName(name: string): string {
    return `${name}-${hex(name, 7)}`;
}

/** A value the SDK deserializes as a secret output (what providers return for sensitive attributes). */
function secretValue(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** ElastiCache's short region code in endpoints: eu-west-1 -> euw1, ap-southeast-2 -> apse2. */
function regionShortName(region: string): string {
    const [area, direction, number] = region.split("-");
    const initials = direction.replace(
        /(north|south)?(east|west|central)?/,
        (_m, ns: string | undefined, ew: string | undefined) => `${ns?.[0] ?? ""}${ew?.[0] ?? ""}`,
    );
    return `${area}${initials}${number}`;
}

/**
 * A deterministic stand-in for random.RandomPassword's result: `length` characters cycling through upper
 * case, lower case, digits and the allowed specials, so every `min*` of up to a quarter is met.
 */
export function mockRandomPassword(name: string, inputs: Record<string, unknown>): string {
    const length = Number(inputs.length ?? 16);
    const specials = inputs.special === false ? "" : String(inputs.overrideSpecial ?? "!@#$%&*()-_=+[]{}<>:?");
    const pools = ["ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789", specials].filter((p) => p.length > 0);
    const bytes = createHash("sha256").update(`password:${name}`).digest();
    return Array.from({ length }, (_, i) => {
        const pool = pools[i % pools.length];
        return pool[bytes[i % bytes.length] % pool.length];
    }).join("");
}

/** Context the mock state needs beyond the resource itself. */
export interface MockContext {
    /** Region of the stack. */
    readonly region: string;
}

type Inputs = Record<string, unknown>;
type StateFn = (name: string, inputs: Inputs, ctx: MockContext, id: string) => Inputs;

/** The DNS suffix of endpoints in the context's partition (`amazonaws.com.cn` in China). */
const endpointSuffix = (ctx: MockContext) => dnsSuffix(partitionOf(ctx.region));

const arn = (ctx: MockContext, service: string, resource: string, global = false) =>
    `arn:${partitionOf(ctx.region)}:${service}:${global ? "" : ctx.region}:${MOCK_ACCOUNT_ID}:${resource}`;

/** Extra output state by type, on top of the inputs (which the provider echoes back). */
const STATE: Record<string, StateFn> = {
    "aws:kms/key:Key": (_n, _i, ctx, id) => ({ keyId: id, arn: arn(ctx, "kms", `key/${id}`) }),
    "aws:kms/alias:Alias": (_n, i, ctx) => ({ arn: arn(ctx, "kms", String(i.name)), targetKeyArn: arn(ctx, "kms", `key/${String(i.targetKeyId)}`) }),
    "aws:cloudwatch/logGroup:LogGroup": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "logs", `log-group:${name}`) };
    },
    "aws:iam/role:Role": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "iam", `role${String(i.path ?? "/")}${name}`, true), uniqueId: `AROA${hex(n, 17).toUpperCase()}` };
    },
    "aws:iam/policy:Policy": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "iam", `policy/${name}`, true) };
    },
    "aws:iam/rolePolicy:RolePolicy": (n, i) => ({ name: String(i.name ?? autoName(n)) }),
    "aws:ec2/vpc:Vpc": (_n, _i, ctx, id) => ({
        arn: arn(ctx, "ec2", `vpc/${id}`),
        defaultSecurityGroupId: `sg-${hex(id + "default", 17)}`,
        mainRouteTableId: `rtb-${hex(id + "main", 17)}`,
        defaultNetworkAclId: `acl-${hex(id + "acl", 17)}`,
    }),
    "aws:ec2/subnet:Subnet": (_n, _i, ctx, id) => ({ arn: arn(ctx, "ec2", `subnet/${id}`) }),
    "aws:ec2/securityGroup:SecurityGroup": (n, i, ctx, id) => ({ name: String(i.name ?? autoName(n)), arn: arn(ctx, "ec2", `security-group/${id}`) }),
    "aws:ec2/eip:Eip": (n) => ({ publicIp: `203.0.113.${parseInt(hex(n, 2), 16) % 250}`, allocationId: `eipalloc-${hex(n, 17)}` }),
    "aws:ec2/natGateway:NatGateway": (n) => ({ publicIp: `203.0.113.${parseInt(hex(n, 2), 16) % 250}`, privateIp: `10.0.0.${parseInt(hex(n, 2), 16) % 250}` }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (_n, _i, ctx, id) => ({ arn: arn(ctx, "ec2", `vpc-endpoint/${id}`) }),
    "aws:ec2/flowLog:FlowLog": (_n, _i, ctx, id) => ({ arn: arn(ctx, "ec2", `vpc-flow-log/${id}`) }),
    "aws:ec2/launchTemplate:LaunchTemplate": (n, i, ctx, id) => ({
        name: String(i.name ?? `${String(i.namePrefix ?? "")}${hex(n, 26)}`),
        arn: arn(ctx, "ec2", `launch-template/${id}`),
        latestVersion: 1,
        defaultVersion: 1,
    }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_n, i, ctx) => ({
        arn: arn(ctx, "iam", `oidc-provider/${String(i.url).replace(/^https:\/\//, "")}`, true),
    }),
    "aws:eks/cluster:Cluster": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        const vpcConfig = (i.vpcConfig ?? {}) as Inputs;
        return {
            name,
            arn: arn(ctx, "eks", `cluster/${name}`),
            clusterId: uuid(name),
            endpoint: `https://${hex(name, 32).toUpperCase()}.gr7.${ctx.region}.eks.${endpointSuffix(ctx)}`,
            certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK${hex(name, 40)}\n-----END CERTIFICATE-----\n`).toString("base64") },
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${ctx.region}.${endpointSuffix(ctx)}/id/${hex(name + "oidc", 32).toUpperCase()}` }] }],
            vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${hex(name + "cluster", 17)}`, vpcId: `vpc-${hex(name + "vpc", 17)}` },
            platformVersion: "eks.1",
            status: "ACTIVE",
        };
    },
    "aws:eks/nodeGroup:NodeGroup": (n, i, ctx) => {
        const name = String(i.nodeGroupName ?? `${String(i.nodeGroupNamePrefix ?? "")}${hex(n, 26)}`);
        return {
            nodeGroupName: name,
            arn: arn(ctx, "eks", `nodegroup/${String(i.clusterName)}/${name}/${uuid(n)}`),
            status: "ACTIVE",
            resources: [{ autoscalingGroups: [{ name: `eks-${name}-${uuid(n)}` }] }],
        };
    },
    "aws:eks/addon:Addon": (n, i, ctx) => ({ arn: arn(ctx, "eks", `addon/${String(i.clusterName)}/${String(i.addonName)}/${uuid(n)}`) }),
    "aws:eks/accessEntry:AccessEntry": (n, i, ctx) => ({
        accessEntryArn: arn(ctx, "eks", `access-entry/${String(i.clusterName)}/${uuid(n)}`),
        userName: String(i.principalArn),
    }),
    "kubernetes:helm.sh/v3:Release": (_n, i) => ({
        status: { name: String(i.name), namespace: String(i.namespace), chart: String(i.chart), version: String(i.version), revision: 1, status: "deployed" },
    }),
    // Data tier: RDS, ElastiCache, S3, SNS, CloudWatch alarms, random passwords.
    "aws:rds/instance:Instance": (n, i, ctx) => {
        const identifier = String(i.identifier ?? autoName(n));
        const address = `${identifier}.c${hex(`${MOCK_ACCOUNT_ID}${ctx.region}`, 11)}.${ctx.region}.rds.${endpointSuffix(ctx)}`;
        const port = Number(i.port ?? 5432);
        return {
            identifier,
            address,
            endpoint: `${address}:${port}`,
            port,
            arn: arn(ctx, "rds", `db:${identifier}`),
            resourceId: `db-${hex(identifier, 26).toUpperCase()}`,
            hostedZoneId: "Z29XKXDKYMONMX",
            engineVersionActual: String(i.engineVersion ?? "17.9"),
            status: "available",
            masterUserSecrets:
                i.manageMasterUserPassword === true
                    ? [
                          {
                              secretArn: arn(ctx, "secretsmanager", `secret:rds!db-${uuid(identifier)}-${hex(`${identifier}secret`, 6)}`),
                              kmsKeyId: i.masterUserSecretKmsKeyId,
                              secretStatus: "active",
                          },
                      ]
                    : [],
        };
    },
    "aws:rds/parameterGroup:ParameterGroup": (n, i, ctx) => {
        const name = String(i.name ?? `${String(i.namePrefix ?? `${n}-`)}${hex(n, 26)}`);
        return { name, arn: arn(ctx, "rds", `pg:${name}`) };
    },
    "aws:rds/subnetGroup:SubnetGroup": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "rds", `subgrp:${name}`) };
    },
    "aws:rds/proxy:Proxy": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return {
            name,
            arn: arn(ctx, "rds", `db-proxy:prx-${hex(name, 17)}`),
            endpoint: `${name}.proxy-c${hex(`${MOCK_ACCOUNT_ID}${ctx.region}`, 11)}.${ctx.region}.rds.${endpointSuffix(ctx)}`,
        };
    },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": (n, i, ctx) => ({
        name: "default",
        arn: arn(ctx, "rds", `target-group:prx-tg-${hex(`${String(i.dbProxyName)}${n}`, 17)}`),
    }),
    "aws:rds/proxyTarget:ProxyTarget": (_n, i) => ({ type: "RDS_INSTANCE", port: 5432, rdsResourceId: String(i.dbInstanceIdentifier) }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (n, i, ctx) => {
        const id = String(i.replicationGroupId ?? autoName(n));
        const suffix = `${id}.${hex(`${MOCK_ACCOUNT_ID}${id}`, 6)}.${regionShortName(ctx.region)}.cache.${endpointSuffix(ctx)}`;
        const nodes = Number(i.numCacheClusters ?? 1);
        return {
            arn: arn(ctx, "elasticache", `replicationgroup:${id}`),
            primaryEndpointAddress: `master.${suffix}`,
            readerEndpointAddress: `replica.${suffix}`,
            memberClusters: Array.from({ length: nodes }, (_, k) => `${id}-${String(k + 1).padStart(3, "0")}`),
            clusterEnabled: false,
            engineVersionActual: `${String(i.engineVersion ?? "7.1")}.0`,
        };
    },
    "aws:elasticache/parameterGroup:ParameterGroup": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n)).toLowerCase();
        return { name, arn: arn(ctx, "elasticache", `parametergroup:${name}`) };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n)).toLowerCase();
        return { name, arn: arn(ctx, "elasticache", `subnetgroup:${name}`) };
    },
    "aws:s3/bucket:Bucket": (n, i, ctx) => {
        const bucket = String(i.bucket ?? autoName(n));
        return {
            bucket,
            arn: `arn:${partitionOf(ctx.region)}:s3:::${bucket}`,
            region: ctx.region,
            bucketDomainName: `${bucket}.s3.${endpointSuffix(ctx)}`,
            bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.${endpointSuffix(ctx)}`,
        };
    },
    "aws:sns/topic:Topic": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "sns", name) };
    },
    // An SQS queue's id is its URL (https://sqs.<region>.<suffix>/<account>/<name>).
    "aws:sqs/queue:Queue": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "sqs", name), url: `https://sqs.${ctx.region}.${endpointSuffix(ctx)}/${MOCK_ACCOUNT_ID}/${name}` };
    },
    "aws:cloudwatch/eventRule:EventRule": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "events", `rule/${name}`) };
    },
    "aws:sns/topicSubscription:TopicSubscription": (n, i) => ({ arn: `${String(i.topic)}:${uuid(n)}`, pendingConfirmation: i.protocol === "email" }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return { arn: arn(ctx, "cloudwatch", `alarm:${name}`) };
    },
    "aws:wafv2/webAcl:WebAcl": (n, i, ctx, id) => {
        const name = String(i.name ?? autoName(n));
        return { name, arn: arn(ctx, "wafv2", `regional/webacl/${name}/${id}`) };
    },
    "aws:acm/certificate:Certificate": (n, i, ctx) => {
        // ACM gives a name and its wildcard the same validation record: one CNAME per base name.
        const names = [String(i.domainName), ...((i.subjectAlternativeNames as string[] | undefined) ?? [])];
        return {
            arn: arn(ctx, "acm", `certificate/${uuid(n)}`),
            status: "PENDING_VALIDATION",
            domainValidationOptions: names.map((domainName) => {
                const base = domainName.replace(/^\*\./, "");
                return {
                    domainName,
                    resourceRecordName: `_${hex(`${base}name`, 32)}.${base}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${hex(`${base}value`, 32)}.${hex(base, 10)}.acm-validations.aws.`,
                };
            }),
        };
    },
    "aws:route53/record:Record": (_n, i) => ({ fqdn: String(i.name).replace(/\.$/, "").toLowerCase() }),
    // ECR: the repository URL is <registry id>.dkr.ecr.<region>.<suffix>/<name>, the registry id the account's.
    "aws:ecr/repository:Repository": (n, i, ctx) => {
        const name = String(i.name ?? autoName(n));
        return {
            name,
            arn: arn(ctx, "ecr", `repository/${name}`),
            registryId: MOCK_ACCOUNT_ID,
            repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${ctx.region}.${endpointSuffix(ctx)}/${name}`,
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": () => ({ registryId: MOCK_ACCOUNT_ID }),
    "random:index/randomPassword:RandomPassword": (n, i) => ({
        result: secretValue(mockRandomPassword(n, i)),
        bcryptHash: secretValue(`$2a$10$${hex(`bcrypt${n}`, 53)}`),
    }),
};

/** The id a resource of `type` named `name` gets. */
export function mockId(type: string, name: string): string {
    const prefix = EC2_ID_PREFIX[type];
    if (prefix) {
        return `${prefix}-${hex(type + name, 17)}`;
    }
    if (type === "aws:kms/key:Key") {
        return uuid(name);
    }
    return `${name}-id`;
}

/** Mock implementation for `pulumi.runtime.setMocks`. Unknown invokes throw, as in a strict mock. */
export class PlatformMocks implements pulumi.runtime.Mocks {
    /** The region of each explicit AWS provider, by provider id (a second provider serves another region). */
    private readonly providerRegions = new Map<string, string>();
    /** The token of every invoke called, in order (tests hold the program to the data sources it may read). */
    readonly invokes: string[] = [];

    constructor(private readonly ctx: MockContext) {}

    /** The context of one resource: the region of its provider (or its own `region` input), else the stack's. */
    private contextOf(args: pulumi.runtime.MockResourceArgs): MockContext {
        const providerId = args.provider?.split("::").pop();
        const region = (args.inputs as Inputs).region ?? (providerId !== undefined ? this.providerRegions.get(providerId) : undefined);
        return typeof region === "string" && region !== "" ? { ...this.ctx, region } : this.ctx;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = args.inputs as Inputs;
        if (!args.custom) {
            return { id: undefined, state: inputs };
        }
        const id = args.id || mockId(args.type, args.name);
        if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") {
            this.providerRegions.set(id, inputs.region);
        }
        const extra = STATE[args.type]?.(args.name, inputs, this.contextOf(args), id) ?? {};
        return { id, state: { ...inputs, ...extra } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.invokes.push(args.token);
        // Pulumi.yaml disables the default aws and kubernetes providers: the real engine refuses an invoke
        // that does not name its provider, so the offline plan refuses it too.
        if (/^(aws|kubernetes):/.test(args.token) && !args.provider) {
            throw new Error(`the invoke ${args.token} names no provider; pass { provider } (default providers are disabled in Pulumi.yaml)`);
        }
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: MOCK_ACCOUNT_ID,
                    arn: `arn:${partitionOf(this.ctx.region)}:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`,
                    userId: "AIDAOFFLINEPLAN",
                    id: MOCK_ACCOUNT_ID,
                };
            case "aws:index/getPartition:getPartition": {
                const partition = partitionOf(this.ctx.region);
                const dns = dnsSuffix(partition);
                return { partition, dnsSuffix: dns, reverseDnsPrefix: dns.split(".").reverse().join("."), id: partition };
            }
            case "aws:index/getRegion:getRegion":
                return { name: this.ctx.region, region: this.ctx.region, id: this.ctx.region };
            default:
                throw new Error(`the offline plan has no mock for the invoke ${args.token}; add one to tools/offline/mockState.ts`);
        }
    }
}
