import { expect } from "chai";
import { contains, defaultSubnetLayout, formatCidr, overlaps, parseCidr, type Cidr } from "../../config/cidr";

const cidr = (text: string) => parseCidr(text) as Cidr;

describe("CIDR arithmetic", () => {
    it("parses and formats canonical blocks", () => {
        expect(formatCidr(cidr("10.20.0.0/16"))).to.equal("10.20.0.0/16");
        expect(parseCidr("10.0.0.0")).to.equal("is not an IPv4 CIDR block");
        expect(parseCidr("256.0.0.0/8")).to.equal("has an octet greater than 255");
    });

    it("knows containment and overlap", () => {
        expect(contains(cidr("10.0.0.0/16"), cidr("10.0.255.0/24"))).to.equal(true);
        expect(contains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24"))).to.equal(false);
        expect(overlaps(cidr("10.0.0.0/23"), cidr("10.0.1.0/24"))).to.equal(true);
        expect(overlaps(cidr("10.0.0.0/24"), cidr("10.0.1.0/24"))).to.equal(false);
    });

    it("the default layout fits six zones into the smallest allowed VPC without overlap", () => {
        const vpc = cidr("10.0.0.0/20");
        const layout = defaultSubnetLayout(vpc, 6);
        const all = [...layout.private, ...layout.public, ...layout.database].map(cidr);
        expect(all).to.have.length(18);
        all.forEach((a, i) => {
            expect(contains(vpc, a)).to.equal(true);
            all.slice(i + 1).forEach((b) => expect(overlaps(a, b), `${formatCidr(a)} vs ${formatCidr(b)}`).to.equal(false));
        });
        expect(layout.database[5]).to.equal("10.0.15.64/26");
    });
});
