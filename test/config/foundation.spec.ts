import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError } from "../../config";
import { problems, resolve } from "./resolve";

describe("stack configuration", () => {
    describe("the checked-in stacks", () => {
        it("dev resolves: two zones, one shared NAT gateway, short retention", () => {
            const dev = resolve("dev");
            expect(dev.environment).to.equal("dev");
            expect(dev.network.availabilityZones).to.have.length(2);
            expect(dev.network.natGateways).to.equal("single");
            expect(dev.logRetentionDays).to.equal(14);
        });

        it("prod resolves: three zones, a NAT gateway per zone, a year of logs, protection on", () => {
            const prod = resolve("prod");
            expect(prod.isProd).to.equal(true);
            expect(prod.network.availabilityZones).to.have.length(3);
            expect(prod.network.natGateways).to.equal("perAz");
            expect(prod.logRetentionDays).to.be.at.least(365);
            expect(prod.protect).to.equal(true);
        });

        it("tags combine the program's own with the config's", () => {
            expect(resolve("dev").tags).to.deep.equal({
                owner: "platform-team",
                "cost-center": "cc-platform-dev",
                environment: "dev",
                project: "platform",
                stack: "dev",
                "managed-by": "pulumi",
            });
        });

        it("subnets default to a layout carved from the VPC CIDR", () => {
            expect(resolve("dev").network.subnets).to.deep.equal({
                private: ["10.20.0.0/19", "10.20.32.0/19"],
                public: ["10.20.192.0/22", "10.20.196.0/22"],
                database: ["10.20.224.0/22", "10.20.228.0/22"],
            });
        });
    });

    describe("rejects bad input with the key, the value and what would be valid", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            [
                "a misspelt key, suggesting the nearest one",
                { "platform:network.cdir": "10.0.0.0/16" },
                "platform:network.cdir: unknown configuration key; did you mean platform:network.cidr?",
            ],
            [
                "an unknown key far from any known one",
                { "platform:colour": "blue" },
                "platform:colour: unknown configuration key; expected one of the keys listed in Pulumi.yaml",
            ],
            ["a missing required key", { "platform:environment": undefined }, 'platform:environment: is required and not set; expected "dev" | "prod"'],
            ["a missing region", { "aws:region": undefined }, 'aws:region: is required and not set; expected an AWS region such as "eu-west-1"'],
            ["an invalid region", { "aws:region": "Europe" }, 'aws:region: "Europe" is not an AWS region name; expected a name such as "eu-west-1"'],
            ["an unknown environment", { "platform:environment": "staging" }, 'platform:environment: "staging" is not allowed; expected one of: dev, prod'],
            [
                "a CIDR that is not one",
                { "platform:network.cidr": "10.0.0.0/33" },
                'platform:network.cidr: "10.0.0.0/33" has a prefix length greater than 32; expected a.b.c.d/n',
            ],
            [
                "a CIDR with host bits",
                { "platform:network.cidr": "10.20.1.0/16" },
                'platform:network.cidr: "10.20.1.0/16" has host bits set (the network address is 10.20.0.0/16)',
            ],
            [
                "a public VPC range",
                { "platform:network.cidr": "8.8.0.0/16" },
                'platform:network.cidr: "8.8.0.0/16" is not a private range; expected a block inside 10.0.0.0/8',
            ],
            [
                "a VPC too small",
                { "platform:network.cidr": "10.0.0.0/24" },
                'platform:network.cidr: "10.0.0.0/24" has prefix /24; expected a prefix from /16 to /20',
            ],
            [
                "one zone",
                { "platform:network.availabilityZones": ["eu-west-1a"] },
                'platform:network.availabilityZones: ["eu-west-1a"] has 1 items; expected a list of 2 to 6 items',
            ],
            [
                "seven zones",
                { "platform:network.availabilityZones": ["a", "b", "c", "d", "e", "f", "g"].map((z) => `eu-west-1${z}`) },
                "has 7 items; expected a list of 2 to 6 items",
            ],
            [
                "a zone listed twice",
                { "platform:network.availabilityZones": ["eu-west-1a", "eu-west-1a"] },
                'lists "eu-west-1a" more than once; expected distinct items',
            ],
            [
                "a zone outside the region",
                { "platform:network.availabilityZones": ["eu-west-1a", "us-east-1b"] },
                'platform:network.availabilityZones: "us-east-1b" is not in aws:region "eu-west-1"; expected zones named eu-west-1a, eu-west-1b, ...',
            ],
            [
                "an unknown NAT mode",
                { "platform:network.natGateways": "none" },
                'platform:network.natGateways: "none" is not allowed; expected one of: perAz, single',
            ],
            [
                "a retention CloudWatch does not offer",
                { "platform:logs.retentionDays": 10 },
                'platform:logs.retentionDays: "10" is out of range; expected one of: 1, 3, 5, 7, 14, 30',
            ],
            [
                "a retention that is not a number",
                { "platform:logs.retentionDays": "two weeks" },
                'platform:logs.retentionDays: "two weeks" is not a whole number',
            ],
            [
                "a key deletion window out of range",
                { "platform:kms.deletionWindowDays": 3 },
                'platform:kms.deletionWindowDays: "3" is out of range; expected a whole number from 7 to 30',
            ],
            ["a non-boolean flag", { "platform:protect": "yes" }, 'platform:protect: "yes" is not a boolean; expected true or false'],
            [
                "a tag overriding the program's own",
                { "platform:tags": { environment: "test" } },
                'platform:tags: {"environment":"test"} has the entry "environment": "test", which overrides a tag the program sets itself',
            ],
            ["a tag with the aws: prefix", { "platform:tags": { "aws:owner": "x" } }, 'uses the reserved "aws:" prefix'],
            [
                "an interface endpoint the platform does not know",
                { "platform:network.interfaceEndpoints": ["ec2"] },
                'has the item "ec2", which is not allowed; expected items from: ecr.api, ecr.dkr, sts, logs',
            ],
            [
                "subnet lists of the wrong length",
                { "platform:network.privateSubnetCidrs": ["10.20.0.0/19"] },
                'platform:network.privateSubnetCidrs: ["10.20.0.0/19"] has 1 CIDRs; expected one per availability zone (2, as in network.availabilityZones)',
            ],
            [
                "a subnet outside the VPC",
                { "platform:network.publicSubnetCidrs": ["10.20.192.0/22", "10.99.0.0/22"] },
                'platform:network.publicSubnetCidrs: "10.99.0.0/22" is outside the VPC; expected a block inside network.cidr 10.20.0.0/16',
            ],
            [
                "overlapping subnets",
                { "platform:network.databaseSubnetCidrs": ["10.20.0.0/24", "10.20.228.0/22"] },
                'platform:network.databaseSubnetCidrs: "10.20.0.0/24" overlaps 10.20.0.0/19 of platform:network.privateSubnetCidrs; expected subnets that do not overlap',
            ],
            [
                "a subnet that is not a CIDR",
                { "platform:network.publicSubnetCidrs": ["10.20.192.0", "10.20.196.0/22"] },
                'has the item "10.20.192.0", which is not an IPv4 CIDR block',
            ],
            ["a list given as text", { "platform:network.interfaceEndpoints": "sts" }, "platform:network.interfaceEndpoints: sts is not valid structured data"],
        ];
        for (const [what, overrides, message] of cases) {
            it(`rejects ${what}`, () => {
                const found = problems("dev", overrides);
                expect(
                    found.some((m) => m.startsWith(message) || m.includes(message)),
                    `got:\n${found.join("\n")}`,
                ).to.equal(true);
            });
        }
    });

    describe("prod rules", () => {
        it("prod needs three zones, a NAT gateway per zone, a year of logs and protection, all reported together", () => {
            const found = problems("prod", {
                "platform:network.availabilityZones": ["eu-west-1a", "eu-west-1b"],
                "platform:network.natGateways": "single",
                "platform:logs.retentionDays": 14,
                "platform:protect": false,
            });
            expect(found).to.deep.equal([
                'platform:network.availabilityZones: ["eu-west-1a","eu-west-1b"] has 2 zones; prod expects at least 3 so that it survives the loss of one',
                'platform:network.natGateways: "single" is not allowed in prod; expected "perAz" (a NAT gateway in every AZ)',
                "platform:logs.retentionDays: 14 is too short for prod; expected at least 365 (flow, audit and control-plane logs are kept a year)",
                "platform:protect: false is not allowed in prod; expected true (stateful resources must be protected against pulumi destroy)",
            ]);
        });
    });

    it("reports every problem of a run at once, as a RunError the CLI prints without a stack trace", () => {
        try {
            resolve("dev", { "platform:network.cdir": "x", "platform:kms.deletionWindowDays": 99, "aws:region": "nowhere" });
            expect.fail("expected a ConfigValidationError");
        } catch (error) {
            expect(pulumi.RunError.isInstance(error)).to.equal(true);
            const err = error as ConfigValidationError;
            expect(err.problems.map((p) => p.key)).to.deep.equal(["aws:region", "platform:network.cdir", "platform:kms.deletionWindowDays"]);
            expect(err.message).to.match(/^Invalid stack configuration \(3 problems\):\n {2}- aws:region:/);
        }
    });
});
