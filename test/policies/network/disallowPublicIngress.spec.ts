import { expect } from "chai";
import { disallowPublicIngress } from "../../../policies/rules/network/disallowPublicIngress";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const run = (type: string, props: Record<string, unknown>) => messages(disallowPublicIngress, [resource(type, "r", props)]);

/** The same rule in each of the four shapes. */
function shapes(rule: { protocol: string; from: number; to: number; cidr?: string; ipv6?: string }, tags?: Record<string, string>) {
    const v4 = rule.cidr === undefined ? [] : [rule.cidr];
    const v6 = rule.ipv6 === undefined ? [] : [rule.ipv6];
    return {
        [SG]: { description: "sg", ingress: [{ protocol: rule.protocol, fromPort: rule.from, toPort: rule.to, cidrBlocks: v4, ipv6CidrBlocks: v6 }], tags },
        [SG_RULE]: {
            type: "ingress",
            securityGroupId: "sg-1",
            protocol: rule.protocol,
            fromPort: rule.from,
            toPort: rule.to,
            cidrBlocks: v4,
            ipv6CidrBlocks: v6,
        },
        [INGRESS]: { securityGroupId: "sg-1", ipProtocol: rule.protocol, fromPort: rule.from, toPort: rule.to, cidrIpv4: rule.cidr, cidrIpv6: rule.ipv6, tags },
    };
}

describe("policy platform-network-sg-public-ingress (NET-01, NET-02)", () => {
    it("passes ingress from private CIDRs and security groups, in every shape", async () => {
        for (const [type, props] of Object.entries(shapes({ protocol: "tcp", from: 22, to: 22, cidr: "10.0.0.0/8" }))) {
            expect(await run(type, props), type).to.deep.equal([]);
        }
        expect(await run(INGRESS, { securityGroupId: "sg-1", ipProtocol: "-1", referencedSecurityGroupId: "sg-2" })).to.deep.equal([]);
    });
    it("fails SSH from the internet, in every shape", async () => {
        const where: Record<string, string> = { [SG]: "ingress[0] ", [SG_RULE]: "", [INGRESS]: "" };
        for (const [type, props] of Object.entries(shapes({ protocol: "tcp", from: 22, to: 22, cidr: "0.0.0.0/0" }))) {
            expect(await run(type, props), type).to.deep.equal([
                `${type} "r" ${where[type]}opens SSH (22) from the internet (0.0.0.0/0). Remove the rule and reach instances through SSM Session Manager, or allow only known CIDRs.`,
            ]);
        }
    });
    it("fails RDP from ::/0, and a port range or protocol -1 that covers both admin ports", async () => {
        expect(await run(INGRESS, shapes({ protocol: "tcp", from: 3389, to: 3389, ipv6: "::/0" })[INGRESS])).to.deep.equal([
            `${INGRESS} "r" opens RDP (3389) from the internet (::/0). Remove the rule and reach instances through SSM Session Manager, or allow only known CIDRs.`,
        ]);
        expect(await run(SG_RULE, shapes({ protocol: "-1", from: 0, to: 0, cidr: "0.0.0.0/0" })[SG_RULE])).to.deep.equal([
            `${SG_RULE} "r" opens SSH (22) and RDP (3389) from the internet (0.0.0.0/0). Remove the rule and reach instances through SSM Session Manager, or allow only known CIDRs.`,
        ]);
    });
    it("fails any other port open to the internet", async () => {
        expect(await run(INGRESS, shapes({ protocol: "tcp", from: 5432, to: 5432, cidr: "0.0.0.0/0" })[INGRESS])).to.deep.equal([
            `${INGRESS} "r" allows TCP port 5432 from the internet (0.0.0.0/0). Allow only known CIDRs or security groups; only the internet-facing ALB's group (tagged purpose=internet-alb) may accept ports 443 and 80 from anywhere.`,
        ]);
    });
    it("exempts 443 and 80 on the internet-facing ALB's group (tagged purpose=internet-alb), and nothing else there", async () => {
        const tags = { purpose: "internet-alb" };
        for (const port of [443, 80]) {
            expect(await run(SG, shapes({ protocol: "tcp", from: port, to: port, cidr: "0.0.0.0/0" }, tags)[SG])).to.deep.equal([]);
            expect(await run(INGRESS, shapes({ protocol: "tcp", from: port, to: port, cidr: "0.0.0.0/0" }, tags)[INGRESS])).to.deep.equal([]);
        }
        expect(await run(INGRESS, shapes({ protocol: "tcp", from: 8443, to: 8443, cidr: "0.0.0.0/0" }, tags)[INGRESS])).to.have.length(1);
        expect(await run(INGRESS, shapes({ protocol: "tcp", from: 443, to: 443, cidr: "0.0.0.0/0" })[INGRESS])).to.have.length(1);
    });
    it("reads the exemption tag and ports from the policy config", async () => {
        const config = { "platform-network-sg-public-ingress": { internetAlbTag: "exposure=public", internetAlbPorts: [8443] } };
        const props = shapes({ protocol: "tcp", from: 8443, to: 8443, cidr: "0.0.0.0/0" }, { exposure: "public" })[INGRESS];
        expect(await messages(disallowPublicIngress, [resource(INGRESS, "r", props)], config)).to.deep.equal([]);
    });
    it("ignores egress rules and rules with no CIDR (omitted attributes)", async () => {
        expect(await run(EGRESS, { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })).to.deep.equal([]);
        expect(await run(SG, { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })).to.deep.equal([]);
        expect(await run(SG_RULE, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })).to.deep.equal([]);
        expect(await run(INGRESS, { securityGroupId: "sg-1" })).to.deep.equal([]);
        expect(await run(SG, {})).to.deep.equal([]);
    });
    it("gives the preview's advisory note when a CIDR is unknown", async () => {
        await expectCannotDecide(disallowPublicIngress, [resource(INGRESS, "r", { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: Unknown.instance })]);
    });
});
