/**
 * The typed usage assumptions of the cost estimate, built from the parsed keys.
 */
import type { ConfigValues } from "./schema";

/** What a month of use is, for the usage-based lines of the cost estimate. */
export interface EstimateAssumptions {
    /** Millions of requests through the load balancers and the WAF. */
    readonly requestsPerMonthMillions: number;
    /** GiB sent to the internet. */
    readonly internetEgressGiB: number;
    /** GiB processed by the NAT gateways. */
    readonly natProcessedGiB: number;
    /** GiB of logs ingested into CloudWatch Logs. */
    readonly logIngestionGiB: number;
    /** GiB in the backup bucket. */
    readonly backupStorageGiB: number;
    /** GiB of images in the stack's ECR repositories. */
    readonly imageStorageGiB: number;
}

/** The estimate section of the platform config. */
export interface EstimateSections {
    /** Usage assumptions of the offline plan's cost estimate. */
    readonly estimates: EstimateAssumptions;
}

/** Builds the estimate section from validated keys. */
export function estimateSections(values: ConfigValues): EstimateSections {
    return {
        estimates: {
            requestsPerMonthMillions: values["estimates.requestsPerMonthMillions"],
            internetEgressGiB: values["estimates.internetEgressGiB"],
            natProcessedGiB: values["estimates.natProcessedGiB"],
            logIngestionGiB: values["estimates.logIngestionGiB"],
            backupStorageGiB: values["estimates.backupStorageGiB"],
            imageStorageGiB: values["estimates.imageStorageGiB"],
        },
    };
}
