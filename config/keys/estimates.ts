/**
 * Config keys of the offline plan's cost estimate (tools/estimates/cost.ts): the usage the stack's
 * usage-based charges are priced at. They change no resource; they only say what a month of traffic is.
 */
import { integer } from "../fields";

/** The estimate's usage assumptions. */
export const estimateKeys = {
    "estimates.requestsPerMonthMillions": integer({
        description:
            "Millions of requests a month through the load balancer and the WAF, for the cost estimate's usage-based lines (WAF requests, ALB capacity units, X-Ray traces at the stack's sampling percentage).",
        default: 30,
        min: 0,
        max: 1000000,
    }),
    "estimates.internetEgressGiB": integer({
        description: "GiB a month the stack sends to the internet (responses through the load balancers), for the cost estimate.",
        default: 100,
        min: 0,
        max: 10000000,
    }),
    "estimates.natProcessedGiB": integer({
        description: "GiB a month the NAT gateways process (image pulls not through endpoints, calls to AWS APIs and the internet), for the cost estimate.",
        default: 50,
        min: 0,
        max: 10000000,
    }),
    "estimates.logIngestionGiB": integer({
        description:
            "GiB a month of logs ingested into CloudWatch Logs (Fluent Bit's three groups, flow logs, control-plane and WAF logs), for the cost estimate; their storage is priced at the stacks' retention.",
        default: 30,
        min: 0,
        max: 10000000,
    }),
    "estimates.imageStorageGiB": integer({
        description:
            "GiB of images held in the stack's ECR repositories (the reference application's keeps its newest 50 images; layers they share are stored once), for the cost estimate.",
        default: 5,
        min: 0,
        max: 10000000,
    }),
    "estimates.backupStorageGiB": integer({
        description: "GiB held in the backup bucket (Velero's backups; the replica holds as much in prod), for the cost estimate.",
        default: 20,
        min: 0,
        max: 10000000,
    }),
};
