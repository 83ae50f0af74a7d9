import { expect } from "chai";
import { limitWorldEgress } from "../../../policies/rules/network/limitWorldEgress";
import { messages, resource } from "../check";

const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const rule = (props: Record<string, unknown>) => resource(EGRESS, "e", { securityGroupId: "sg-1", description: "why", ...props });
const config = (ports: number[]) => ({ [limitWorldEgress.policy.name]: { enforcementLevel: "advisory" as const, allowedWorldEgressPorts: ports } });

describe("policy platform-network-world-egress (advisory)", () => {
    it("accepts HTTPS to the world (the default allowlist) and any port to a VPC CIDR", async () => {
        expect(await messages(limitWorldEgress, [rule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })])).to.deep.equal([]);
        expect(await messages(limitWorldEgress, [rule({ ipProtocol: "-1", cidrIpv4: "10.20.0.0/16" })])).to.deep.equal([]);
    });
    it("reports every port, and a port off the allowlist", async () => {
        expect(await messages(limitWorldEgress, [rule({ ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })])).to.deep.equal([
            'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule "e" sends all traffic to the whole internet. Narrow it to a peer group or a VPC CIDR, or to one of the ports 443 (allowedWorldEgressPorts).',
        ]);
        expect(await messages(limitWorldEgress, [rule({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv6: "::/0" })])).to.deep.equal([
            'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule "e" sends TCP port 5432 to the whole internet. Narrow it to a peer group or a VPC CIDR, or to one of the ports 443 (allowedWorldEgressPorts).',
        ]);
    });
    it("follows the allowlist of the policy config", async () => {
        const smtp = rule({ ipProtocol: "tcp", fromPort: 587, toPort: 587, cidrIpv4: "0.0.0.0/0" });
        expect(await messages(limitWorldEgress, [smtp], config([443]))).to.deep.equal([
            'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule "e" sends TCP port 587 to the whole internet. Narrow it to a peer group or a VPC CIDR, or to one of the ports 443 (allowedWorldEgressPorts).',
        ]);
        expect(await messages(limitWorldEgress, [smtp], config([443, 587]))).to.deep.equal([]);
    });
});
