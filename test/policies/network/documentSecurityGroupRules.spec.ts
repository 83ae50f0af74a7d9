import { expect } from "chai";
import { documentSecurityGroupRules } from "../../../policies/rules/network/documentSecurityGroupRules";
import { Unknown } from "../../../tools/offline/values";
import { expectCannotDecide, messages, resource } from "../check";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const run = (type: string, props: Record<string, unknown>) => messages(documentSecurityGroupRules, [resource(type, "r", props)]);

describe("policy platform-network-sg-rule-hygiene (NET-03, advisory)", () => {
    it("passes described groups and rules whose egress names its ports", async () => {
        expect(
            await run(SG, { description: "nodes", egress: [{ description: "https", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }),
        ).to.deep.equal([]);
        expect(await run(EGRESS, { description: "all to nodes", ipProtocol: "-1", referencedSecurityGroupId: "sg-1" })).to.deep.equal([]);
    });
    it("fails a group without a description, omitted or the provider's default", async () => {
        const expected = [`${SG} "r" has no description. Set description to what the group protects and who may reach it.`];
        expect(await run(SG, {})).to.deep.equal(expected);
        expect(await run(SG, { description: "Managed by Pulumi" })).to.deep.equal(expected);
    });
    it("fails rules without a description, in every shape", async () => {
        expect(await run(SG, { description: "g", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }] })).to.deep.equal([
            `${SG} "r" ingress[0] has no description. Set description to why the rule exists.`,
        ]);
        for (const type of [SG_RULE, INGRESS]) {
            expect(await run(type, { protocol: "tcp", ipProtocol: "tcp", fromPort: 443, toPort: 443 }), type).to.deep.equal([
                `${type} "r" has no description. Set description to why the rule exists.`,
            ]);
        }
    });
    it("fails egress of all protocols to the internet, in every shape", async () => {
        expect(await run(EGRESS, { description: "all out", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })).to.deep.equal([
            `${EGRESS} "r" sends all traffic to the internet (0.0.0.0/0). Allow only the protocols, ports and destinations the group needs (for example TCP 443).`,
        ]);
        expect(
            await run(SG_RULE, { description: "all out", type: "egress", protocol: "all", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }),
        ).to.have.length(1);
        expect(
            await run(SG, { description: "g", egress: [{ description: "d", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
        ).to.have.length(1);
    });
    it("counts a description unknown during preview as set, and notes an unknown CIDR", async () => {
        expect(await run(SG, { description: Unknown.instance })).to.deep.equal([]);
        await expectCannotDecide(documentSecurityGroupRules, [resource(EGRESS, "r", { description: "d", ipProtocol: "-1", cidrIpv4: Unknown.instance })]);
    });
    it("is advisory in every stack", () => {
        expect(documentSecurityGroupRules.levels).to.deep.equal({ prod: "advisory", dev: "advisory" });
    });
});
