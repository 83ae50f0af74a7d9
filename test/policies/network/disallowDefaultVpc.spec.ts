import { expect } from "chai";
import { disallowDefaultVpc } from "../../../policies/rules/network/disallowDefaultVpc";
import { messages, resource } from "../check";

describe("policy platform-network-default-vpc (NET-05)", () => {
    it("passes a stack with only its own VPC", async () => {
        expect(await messages(disallowDefaultVpc, [resource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" })])).to.deep.equal([]);
    });
    it("fails a stack that adopts the default VPC, whatever its inputs", async () => {
        expect(await messages(disallowDefaultVpc, [resource("aws:ec2/defaultVpc:DefaultVpc", "default", {})])).to.deep.equal([
            "aws:ec2/defaultVpc:DefaultVpc \"default\" brings the account's default VPC into the stack. Remove it and place resources in the platform's VPC.",
        ]);
    });
    it("is mandatory in every stack", () => {
        expect(disallowDefaultVpc.levels).to.deep.equal({ prod: "mandatory", dev: "mandatory" });
    });
});
