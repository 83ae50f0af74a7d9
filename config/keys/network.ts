/**
 * Config keys of the VPC: address plan, availability zones, NAT, flow logs and endpoints.
 */
import { list, text } from "../fields";
import { PRIVATE_RANGES, contains, parseCidr } from "../cidr";

/** The interface endpoints the platform knows how to create, by service suffix. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "logs"] as const;
/** One of {@link INTERFACE_ENDPOINT_SERVICES}. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** NAT layouts: one gateway per AZ (survives an AZ outage) or one shared gateway (cheap). */
export const NAT_MODES = ["perAz", "single"] as const;
/** One of {@link NAT_MODES}. */
export type NatMode = (typeof NAT_MODES)[number];

/** The prefix lengths a VPC may have: big enough for pods on the VPC CNI, small enough to carve subnets. */
export const VPC_PREFIX = { min: 16, max: 20 } as const;

function checkVpcCidr(value: string): string | undefined {
    const cidr = parseCidr(value);
    if (typeof cidr === "string") {
        return `${cidr}; expected a.b.c.d/n, for example "10.0.0.0/16"`;
    }
    if (cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) {
        return `has prefix /${cidr.prefix}; expected a prefix from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}`;
    }
    if (!PRIVATE_RANGES.some((range) => contains(range, cidr))) {
        return "is not a private range; expected a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";
    }
    return undefined;
}

function checkSubnetCidr(value: string): string | undefined {
    const cidr = parseCidr(value);
    if (typeof cidr === "string") {
        return `${cidr}; expected a.b.c.d/n, for example "10.0.0.0/24"`;
    }
    if (cidr.prefix < 16 || cidr.prefix > 28) {
        return `has prefix /${cidr.prefix}; expected a prefix from /16 to /28 (the AWS subnet limits)`;
    }
    return undefined;
}

const subnetList = (tier: string, use: string) =>
    list({
        description: `CIDR of the ${tier} subnet in each availability zone, in the order of network.availabilityZones (${use}). Empty: carved from network.cidr automatically.`,
        default: [],
        unique: true,
        item: checkSubnetCidr,
    });

/** The network keys. */
export const networkKeys = {
    "network.cidr": text({
        description: `IPv4 CIDR of the VPC: a private range with a prefix from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}.`,
        default: "10.0.0.0/16",
        check: checkVpcCidr,
    }),
    "network.availabilityZones": list({
        description: "Availability zones to spread the subnets over (2 to 6, all in aws:region). prod needs at least 3.",
        minItems: 2,
        maxItems: 6,
        unique: true,
        item: (az) => (/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az) ? undefined : 'is not an availability zone name; expected a name like "eu-west-1a"'),
    }),
    "network.natGateways": text({
        description: "perAz: a NAT gateway in every AZ (private subnets survive an AZ outage); single: one shared NAT gateway (cheaper, dev only).",
        default: "perAz",
        oneOf: NAT_MODES,
    }),
    "network.publicSubnetCidrs": subnetList("public", "load balancers, NAT gateways"),
    "network.privateSubnetCidrs": subnetList("private", "nodes and pods"),
    "network.databaseSubnetCidrs": subnetList("database", "RDS and ElastiCache, no route to the internet"),
    "network.flowLogTrafficType": text({
        description: "Which traffic the VPC flow logs record.",
        default: "ALL",
        oneOf: ["ALL", "ACCEPT", "REJECT"] as const,
    }),
    "network.interfaceEndpoints": list({
        description: "Interface VPC endpoints to create in the private subnets, so that traffic to these AWS APIs stays off the NAT gateways.",
        default: [],
        unique: true,
        oneOf: INTERFACE_ENDPOINT_SERVICES,
    }),
};
