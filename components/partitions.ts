/**
 * What differs between the AWS partitions the config accepts (`aws`, `aws-cn`, `aws-us-gov`): the ARN
 * partition, the DNS suffix of service endpoints, the few service principals that are not the global
 * `<service>.amazonaws.com`, and the account ELB delivers access logs from in older regions.
 */

import { Region } from "@pulumi/aws/types/enums";

/** An AWS partition. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The partition a region belongs to: `cn-*` is aws-cn, `us-gov-*` is aws-us-gov, every other region aws. */
export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/**
 * Whether `region` is a region the AWS provider knows (its `Region` enum, `@pulumi/aws` types/enums) in
 * one of the three partitions the config accepts: a well-formed name such as `eu-cental-1` is not one.
 */
export function isKnownRegion(region: string): boolean {
    const partitionRegion = /^(?:[a-z]{2}|us-gov)-[a-z]+-\d$/;
    return partitionRegion.test(region) && (Object.values(Region) as string[]).includes(region);
}

/** The DNS suffix of the partition's service endpoints (`amazonaws.com.cn` in China). */
export function dnsSuffix(partition: string): string {
    return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The service principal of `service` for policies in `partition`. Service principals are
 * `<service>.amazonaws.com` in every partition, China included, with a few exceptions, of which the
 * program uses one: CloudWatch Logs is regional, and partitional in China (`logs.<region>.amazonaws.com`,
 * `logs.cn-north-1.amazonaws.com.cn`). Source: aws-cdk's region-info table (`Default.servicePrincipal`
 * in packages/aws-cdk-lib/region-info/lib/default.ts: logs regional and partitional; codedeploy and
 * elasticmapreduce partitional in China; every other service universal), which matches the key policy of
 * the CloudWatch Logs User Guide ("Encrypt log data in CloudWatch Logs using AWS KMS").
 *
 * @param service the service's short name (`ec2`, `logs`, `monitoring.rds`, `vpc-flow-logs`)
 * @param region the region of the policy; required for the regional principals (`logs`)
 */
export function servicePrincipal(service: string, partition: string, region?: string): string {
    switch (service) {
        case "logs":
            if (region === undefined) {
                throw new Error("the CloudWatch Logs service principal is regional: pass the region");
            }
            return `logs.${region}.${dnsSuffix(partition)}`;
        case "codedeploy":
        case "elasticmapreduce":
            // Not used by the program; listed so that nobody adds them with the universal name.
            return `${service}.${dnsSuffix(partition)}`;
        default:
            return `${service}.amazonaws.com`;
    }
}

/**
 * The value of `kms:ViaService` for requests that `service` makes in `region`: the service's endpoint
 * name (AWS KMS Developer Guide, "kms:ViaService"), `<service>.<region>.amazonaws.com`, whose DNS suffix
 * is `amazonaws.com.cn` in China.
 */
export function viaService(service: string, region: string): string {
    return `${service}.${region}.${dnsSuffix(partitionOf(region))}`;
}

/**
 * Interface endpoint services whose names start with `cn.com.amazonaws` in the China regions, of those the
 * config accepts (`aws ec2 describe-vpc-endpoint-services --region cn-north-1`; the same table as
 * aws-cdk's `InterfaceVpcEndpointAwsService`, whose China lists include ecr.api, ecr.dkr and sts but
 * not logs).
 */
const CHINA_PREFIXED_INTERFACE_SERVICES = new Set(["ecr.api", "ecr.dkr", "sts"]);

/**
 * The service name of an interface VPC endpoint: `com.amazonaws.<region>.<service>`, and
 * `cn.com.amazonaws.<region>.<service>` for the services listed so in China.
 */
export function interfaceEndpointServiceName(service: string, region: string): string {
    const prefix = partitionOf(region) === "aws-cn" && CHINA_PREFIXED_INTERFACE_SERVICES.has(service) ? "cn.com.amazonaws" : "com.amazonaws";
    return `${prefix}.${region}.${service}`;
}

/**
 * The service name of the S3 gateway endpoint: `com.amazonaws.<region>.s3` in every partition (aws-cdk's
 * `GatewayVpcEndpointAwsService.S3` has no China exception; its China prefix list is for interface
 * endpoints).
 */
export function s3GatewayServiceName(region: string): string {
    return `com.amazonaws.${region}.s3`;
}

/**
 * The account Elastic Load Balancing delivers access logs from, in the regions that opened before
 * August 2022 (ELB User Guide, "Enable access logs for your Application Load Balancer", step 2: those
 * regions grant the regional ELB account, newer regions the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal). The same table as terraform-provider-aws's `aws_elb_service_account`.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

/** The service principal that delivers ELB logs in regions opened since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Who writes a region's ELB access logs: the regional ELB account root (older regions) or the log delivery service. */
export function elbLogDeliveryPrincipal(region: string): { AWS: string } | { Service: string } {
    const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
    return account === undefined ? { Service: ELB_LOG_DELIVERY_SERVICE } : { AWS: `arn:${partitionOf(region)}:iam::${account}:root` };
}
