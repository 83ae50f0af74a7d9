/**
 * The price table of the offline plan's cost estimate: on-demand list prices in USD, one place, with its
 * date and sources. Only the regions the stacks use are here; an estimate for another region says so
 * instead of guessing.
 *
 * Refreshing it: read each rate from the page named in SOURCES for the region (or from the Price List API,
 * `aws pricing get-products --region us-east-1 --service-code AmazonEC2 --filters
 * Type=TERM_MATCH,Field=instanceType,Value=t3.large Type=TERM_MATCH,Field=regionCode,Value=eu-west-1
 * Type=TERM_MATCH,Field=operatingSystem,Value=Linux Type=TERM_MATCH,Field=tenancy,Value=Shared
 * Type=TERM_MATCH,Field=preInstalledSw,Value=NA Type=TERM_MATCH,Field=capacitystatus,Value=Used`, and the
 * same with service codes AmazonRDS, AmazonElastiCache, AmazonEKS, AmazonVPC, AWSELB ...), change the
 * rate and PRICES_DATE together, and run the tests: the estimator's test recomputes its known plan from
 * this table, so it moves with it.
 */

/** When the rates were read. */
export const PRICES_DATE = "2026-12-07";

/** Where each group of rates comes from (the public pricing pages, region selector on the region). */
export const SOURCES = {
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, shared tenancy)",
    ebs: "https://aws.amazon.com/ebs/pricing/ (gp3)",
    eks: "https://aws.amazon.com/eks/pricing/ (standard support)",
    vpc: "https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4 addresses)",
    privatelink: "https://aws.amazon.com/privatelink/pricing/ (interface endpoints)",
    elb: "https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer)",
    rds: "https://aws.amazon.com/rds/postgresql/pricing/ (on-demand, Single-AZ; Multi-AZ is twice; gp3 storage; RDS Proxy)",
    elasticache: "https://aws.amazon.com/elasticache/pricing/ (on-demand nodes, Redis OSS)",
    kms: "https://aws.amazon.com/kms/pricing/",
    secretsmanager: "https://aws.amazon.com/secrets-manager/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/ (standard alarms, Logs ingestion and storage)",
    waf: "https://aws.amazon.com/waf/pricing/",
    s3: "https://aws.amazon.com/s3/pricing/ (S3 Standard)",
    ecr: "https://aws.amazon.com/ecr/pricing/ (private repository storage)",
    xray: "https://aws.amazon.com/xray/pricing/ (traces recorded)",
    transfer: "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer (to the internet, first 10 TB)",
} as const;

/** Hours in the estimate's month (AWS's calculators use 730). */
export const HOURS_PER_MONTH = 730;

/**
 * The share below on-demand at which spot capacity is priced. Spot prices move; the Spot Instance
 * Advisor (https://aws.amazon.com/ec2/spot/instance-advisor/) shows the general-purpose families' savings
 * over on-demand in bands from 50% up; the estimate takes the bottom of that range, so spot is never
 * priced optimistically.
 */
export const SPOT_SAVINGS = 0.5;

/** An instance type's price and size. */
export interface InstancePrice {
    /** USD an hour, on demand. */
    readonly hourly: number;
    /** vCPUs. */
    readonly vcpu: number;
    /** Memory, GiB. */
    readonly memoryGiB: number;
}

/** The rates of one region. */
export interface RegionPrices {
    /** EC2 instances by type. */
    readonly ec2: Readonly<Record<string, InstancePrice>>;
    /** RDS for PostgreSQL instances by class, Single-AZ. */
    readonly rds: Readonly<Record<string, InstancePrice>>;
    /** ElastiCache nodes by type. */
    readonly elasticache: Readonly<Record<string, InstancePrice>>;
    /** EKS cluster, an hour. */
    readonly eksClusterHourly: number;
    /** NAT gateway, an hour, and per GB processed. */
    readonly natGatewayHourly: number;
    readonly natGatewayPerGB: number;
    /** A public IPv4 address, an hour. */
    readonly publicIpv4Hourly: number;
    /** An interface endpoint in one zone, an hour. */
    readonly interfaceEndpointHourly: number;
    /** An Application Load Balancer, an hour, and a load balancer capacity unit, an hour. */
    readonly albHourly: number;
    readonly albLcuHourly: number;
    /** EBS gp3, a GB-month. */
    readonly ebsGp3PerGBMonth: number;
    /** RDS gp3 storage, a GB-month (Single-AZ). */
    readonly rdsGp3PerGBMonth: number;
    /** RDS Proxy, a vCPU-hour of the instance behind it. */
    readonly rdsProxyPerVcpuHourly: number;
    /** A KMS key, a month. */
    readonly kmsKeyMonthly: number;
    /** A Secrets Manager secret, a month. */
    readonly secretMonthly: number;
    /** A standard CloudWatch alarm, a month. */
    readonly alarmMonthly: number;
    /** CloudWatch Logs: a GB ingested, and a GB stored a month. */
    readonly logsIngestionPerGB: number;
    readonly logsStoragePerGBMonth: number;
    /** WAF: a web ACL, a rule or rule group, a month; a million requests. */
    readonly wafAclMonthly: number;
    readonly wafRuleMonthly: number;
    readonly wafPerMillionRequests: number;
    /** S3 Standard, a GB-month. */
    readonly s3StandardPerGBMonth: number;
    /** ECR private repository storage, a GB-month. */
    readonly ecrStoragePerGBMonth: number;
    /** X-Ray, a million traces recorded. */
    readonly xrayPerMillionTraces: number;
    /** Data transfer to the internet, a GB. */
    readonly internetEgressPerGB: number;
}

/** The rates by region (eu-west-1: both stacks; eu-central-1: prod's replica region). */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
    "eu-west-1": {
        ec2: {
            "t3.medium": { hourly: 0.0456, vcpu: 2, memoryGiB: 4 },
            "t3.large": { hourly: 0.0912, vcpu: 2, memoryGiB: 8 },
            "t3a.medium": { hourly: 0.0408, vcpu: 2, memoryGiB: 4 },
            "t3a.large": { hourly: 0.0816, vcpu: 2, memoryGiB: 8 },
            "m5.large": { hourly: 0.107, vcpu: 2, memoryGiB: 8 },
            "m6a.large": { hourly: 0.0963, vcpu: 2, memoryGiB: 8 },
            "m6i.large": { hourly: 0.107, vcpu: 2, memoryGiB: 8 },
            "m7i.large": { hourly: 0.1124, vcpu: 2, memoryGiB: 8 },
            "c6i.large": { hourly: 0.096, vcpu: 2, memoryGiB: 4 },
            "r6i.large": { hourly: 0.141, vcpu: 2, memoryGiB: 16 },
        },
        rds: {
            "db.t4g.micro": { hourly: 0.018, vcpu: 2, memoryGiB: 1 },
            "db.t4g.small": { hourly: 0.036, vcpu: 2, memoryGiB: 2 },
            "db.t4g.medium": { hourly: 0.072, vcpu: 2, memoryGiB: 4 },
            "db.r7g.large": { hourly: 0.276, vcpu: 2, memoryGiB: 16 },
        },
        elasticache: {
            "cache.t4g.micro": { hourly: 0.018, vcpu: 2, memoryGiB: 0.5 },
            "cache.t4g.small": { hourly: 0.036, vcpu: 2, memoryGiB: 1.37 },
            "cache.t4g.medium": { hourly: 0.073, vcpu: 2, memoryGiB: 3.09 },
            "cache.r7g.large": { hourly: 0.241, vcpu: 2, memoryGiB: 13.07 },
        },
        eksClusterHourly: 0.1,
        natGatewayHourly: 0.048,
        natGatewayPerGB: 0.048,
        publicIpv4Hourly: 0.005,
        interfaceEndpointHourly: 0.011,
        albHourly: 0.0252,
        albLcuHourly: 0.008,
        ebsGp3PerGBMonth: 0.088,
        rdsGp3PerGBMonth: 0.127,
        rdsProxyPerVcpuHourly: 0.018,
        kmsKeyMonthly: 1,
        secretMonthly: 0.4,
        alarmMonthly: 0.1,
        logsIngestionPerGB: 0.57,
        logsStoragePerGBMonth: 0.03,
        wafAclMonthly: 5,
        wafRuleMonthly: 1,
        wafPerMillionRequests: 0.6,
        s3StandardPerGBMonth: 0.023,
        ecrStoragePerGBMonth: 0.1,
        xrayPerMillionTraces: 5,
        internetEgressPerGB: 0.09,
    },
};

/** The per-resource rates that do not depend on the region's compute prices (a replica region's key, bucket). */
export const REPLICA_REGION_S3_PER_GB_MONTH: Readonly<Record<string, number>> = { "eu-central-1": 0.0245 };
