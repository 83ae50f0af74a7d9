import { expect } from "chai";
import { dnsSuffix, elbLogDeliveryPrincipal, interfaceEndpointServiceName, partitionOf, servicePrincipal, viaService } from "../../components/partitions";
import { reveal } from "../../tools/offline/values";
import { PARTITION_REGIONS, movedProdConfig, planConfig, type Plan } from "../harness";

/** Every string in every input of every resource of a plan, with where it is. */
function stringsOf(plan: Plan): { where: string; text: string }[] {
    const found: { where: string; text: string }[] = [];
    const walk = (value: unknown, where: string): void => {
        if (typeof value === "string") {
            found.push({ where, text: value });
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${where}[${i}]`));
        } else if (value !== null && typeof value === "object") {
            Object.entries(value).forEach(([k, v]) => walk(v, `${where}.${k}`));
        }
    };
    for (const r of plan.resources) {
        walk(reveal(r.inputs), `${r.type} ${r.name}`);
    }
    return found;
}

describe("partitions (components/partitions.ts)", () => {
    it("maps regions to partitions and DNS suffixes", () => {
        expect(["eu-west-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-east-1"].map(partitionOf)).to.deep.equal([
            "aws",
            "aws-cn",
            "aws-cn",
            "aws-us-gov",
            "aws",
        ]);
        expect(["aws", "aws-cn", "aws-us-gov"].map(dnsSuffix)).to.deep.equal(["amazonaws.com", "amazonaws.com.cn", "amazonaws.com"]);
    });

    it("service principals are global except CloudWatch Logs, which is regional and partitional in China", () => {
        expect(servicePrincipal("ec2", "aws-cn")).to.equal("ec2.amazonaws.com");
        expect(servicePrincipal("vpc-flow-logs", "aws-us-gov")).to.equal("vpc-flow-logs.amazonaws.com");
        expect(servicePrincipal("logs", "aws", "eu-west-1")).to.equal("logs.eu-west-1.amazonaws.com");
        expect(servicePrincipal("logs", "aws-cn", "cn-north-1")).to.equal("logs.cn-north-1.amazonaws.com.cn");
        expect(servicePrincipal("logs", "aws-us-gov", "us-gov-west-1")).to.equal("logs.us-gov-west-1.amazonaws.com");
        expect(() => servicePrincipal("logs", "aws")).to.throw(/regional/);
    });

    it("kms:ViaService is the service's endpoint name in the region's partition", () => {
        expect(viaService("s3", "eu-west-1")).to.equal("s3.eu-west-1.amazonaws.com");
        expect(viaService("ec2", "cn-northwest-1")).to.equal("ec2.cn-northwest-1.amazonaws.com.cn");
        expect(viaService("secretsmanager", "us-gov-east-1")).to.equal("secretsmanager.us-gov-east-1.amazonaws.com");
    });

    it("ELB writes access logs as the regional ELB account in older regions (in its partition) and as the log delivery service in newer ones", () => {
        expect(elbLogDeliveryPrincipal("us-east-1")).to.deep.equal({ AWS: "arn:aws:iam::127311923021:root" });
        expect(elbLogDeliveryPrincipal("cn-north-1")).to.deep.equal({ AWS: "arn:aws-cn:iam::638102146993:root" });
        expect(elbLogDeliveryPrincipal("us-gov-west-1")).to.deep.equal({ AWS: "arn:aws-us-gov:iam::048591011584:root" });
        expect(elbLogDeliveryPrincipal("eu-south-2")).to.deep.equal({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
    });

    it("VPC endpoint service names: ECR and STS are cn.com.amazonaws in China, logs and the S3 gateway com.amazonaws everywhere", () => {
        expect(["ecr.api", "ecr.dkr", "sts", "logs"].map((s) => interfaceEndpointServiceName(s, "cn-north-1"))).to.deep.equal([
            "cn.com.amazonaws.cn-north-1.ecr.api",
            "cn.com.amazonaws.cn-north-1.ecr.dkr",
            "cn.com.amazonaws.cn-north-1.sts",
            "com.amazonaws.cn-north-1.logs",
        ]);
        expect(interfaceEndpointServiceName("sts", "us-gov-west-1")).to.equal("com.amazonaws.us-gov-west-1.sts");
    });

    for (const { partition, region, replicaRegion } of PARTITION_REGIONS) {
        describe(`a prod stack in ${region}`, () => {
            let plan: Plan;
            before(async () => {
                plan = await planConfig(movedProdConfig(partition, region, replicaRegion), "prod");
            });

            it(`every ARN in every input is in ${partition}`, () => {
                const foreign = stringsOf(plan)
                    .flatMap(({ where, text }) => [...text.matchAll(/arn:(aws[a-z-]*):/g)].filter((m) => m[1] !== partition).map((m) => `${where}: ${m[0]}`))
                    .filter((v, i, all) => all.indexOf(v) === i);
                expect(foreign).to.deep.equal([]);
            });

            it("the VPC endpoints use the partition's service names", () => {
                const names = plan.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName);
                expect(names).to.deep.equal([
                    `com.amazonaws.${region}.s3`,
                    ...["ecr.api", "ecr.dkr", "sts", "logs"].map((s) => interfaceEndpointServiceName(s, region)),
                ]);
            });

            it("the logs key trusts the partition's CloudWatch Logs principal, and kms:ViaService names the partition's endpoints", () => {
                const text = stringsOf(plan)
                    .map((s) => s.text)
                    .join("\n");
                expect(text).to.include(JSON.stringify(servicePrincipal("logs", partition, region)));
                const via = [...text.matchAll(/"kms:ViaService":"([^"]+)"/g)].map((m) => m[1]);
                expect(via.length).to.be.greaterThan(0);
                for (const value of via) {
                    expect(
                        value.endsWith(`.${dnsSuffix(partition)}`) && (value.includes(`.${region}.`) || value.includes(`.${replicaRegion}.`)),
                        value,
                    ).to.equal(true);
                }
            });
        });
    }
});
