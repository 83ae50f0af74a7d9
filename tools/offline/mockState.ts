/**
 * Realistic state for mocked resources and invokes: ids, ARNs, names and endpoints shaped like the ones
 * AWS returns, so the wiring between resources (ARNs in policies, ids in routes) is exercised offline.
 * Deterministic: the same program and config give the same record.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

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

/** Context the mock state needs beyond the resource itself. */
export interface MockContext {
    /** Region of the stack. */
    readonly region: string;
}

type Inputs = Record<string, unknown>;
type StateFn = (name: string, inputs: Inputs, ctx: MockContext, id: string) => Inputs;

const arn = (ctx: MockContext, service: string, resource: string, global = false) =>
    `arn:aws:${service}:${global ? "" : ctx.region}:${MOCK_ACCOUNT_ID}:${resource}`;

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
    constructor(private readonly ctx: MockContext) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const inputs = args.inputs as Inputs;
        if (!args.custom) {
            return { id: undefined, state: inputs };
        }
        const id = args.id || mockId(args.type, args.name);
        const extra = STATE[args.type]?.(args.name, inputs, this.ctx, id) ?? {};
        return { id, state: { ...inputs, ...extra } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`, userId: "AIDAOFFLINEPLAN", id: MOCK_ACCOUNT_ID };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: this.ctx.region, region: this.ctx.region, id: this.ctx.region };
            default:
                throw new Error(`the offline plan has no mock for the invoke ${args.token}; add one to tools/offline/mockState.ts`);
        }
    }
}
