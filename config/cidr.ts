/**
 * IPv4 CIDR arithmetic for validating and laying out the VPC's subnets. Pure functions, no Pulumi.
 */

/** A parsed IPv4 CIDR block: the network address as a 32-bit unsigned number and the prefix length. */
export interface Cidr {
    /** Network address, as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0 to 32. */
    readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns a reason string instead of a Cidr when the text is not a canonical IPv4
 * CIDR (octets 0-255, prefix 0-32, no host bits set).
 */
export function parseCidr(text: string): Cidr | string {
    const match = CIDR_PATTERN.exec(text);
    if (!match) {
        return "is not an IPv4 CIDR block";
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255)) {
        return "has an octet greater than 255";
    }
    if (prefix > 32) {
        return "has a prefix length greater than 32";
    }
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    if ((base & hostMask(prefix)) !== 0) {
        return `has host bits set (the network address is ${formatCidr({ base: (base & ~hostMask(prefix)) >>> 0, prefix })})`;
    }
    return { base, prefix };
}

/** Formats a Cidr back to `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
    const b = cidr.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

function hostMask(prefix: number): number {
    return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

function size(cidr: Cidr): number {
    return 2 ** (32 - cidr.prefix);
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** Splits `cidr` into consecutive blocks of `newPrefix` and returns the `index`-th one. */
export function subnet(cidr: Cidr, newPrefix: number, index: number): Cidr {
    if (newPrefix < cidr.prefix || newPrefix > 32) {
        throw new RangeError(`cannot carve /${newPrefix} blocks out of ${formatCidr(cidr)}`);
    }
    const count = 2 ** (newPrefix - cidr.prefix);
    if (index < 0 || index >= count) {
        throw new RangeError(`${formatCidr(cidr)} holds only ${count} /${newPrefix} blocks, not ${index + 1}`);
    }
    return { base: cidr.base + index * 2 ** (32 - newPrefix), prefix: newPrefix };
}

/** The private address ranges a VPC may use (RFC 1918 plus the RFC 6598 shared range AWS accepts). */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map((text) => parseCidr(text) as Cidr);

/** The subnet CIDRs of each tier, one per availability zone. */
export interface SubnetLayout {
    readonly public: string[];
    readonly private: string[];
    readonly database: string[];
}

/**
 * Default subnet layout for a VPC: the VPC is cut in eight; the first six eighths are the private
 * subnets (nodes and pods need the addresses: the VPC CNI gives every pod a VPC IP), the seventh eighth
 * is cut in eight again for the public subnets, the last eighth likewise for the database subnets.
 * A /16 gives /19 private, /22 public and /22 database subnets for up to six AZs.
 */
export function defaultSubnetLayout(vpc: Cidr, azCount: number): SubnetLayout {
    const eighth = vpc.prefix + 3;
    const small = vpc.prefix + 6;
    const publicBlock = subnet(vpc, eighth, 6);
    const databaseBlock = subnet(vpc, eighth, 7);
    const zones = [...Array(azCount).keys()];
    return {
        private: zones.map((i) => formatCidr(subnet(vpc, eighth, i))),
        public: zones.map((i) => formatCidr(subnet(publicBlock, small, i))),
        database: zones.map((i) => formatCidr(subnet(databaseBlock, small, i))),
    };
}
