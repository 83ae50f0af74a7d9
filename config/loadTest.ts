/**
 * The typed settings of the load test, built from the parsed keys.
 */
import type { ConfigValues } from "./schema";

/** The load test's rate and budgets. */
export interface LoadTestConfig {
    /** Requests per second to drive. */
    readonly targetRps: number;
    /** 95th-percentile latency budget, milliseconds. */
    readonly p95Ms: number;
    /** Largest fraction of failed requests. */
    readonly maxErrorRate: number;
}

/** The load-test section of the platform config. */
export interface LoadTestSections {
    /** The on-demand load test. */
    readonly loadTest: LoadTestConfig;
}

/** Builds the load-test section from validated keys. */
export function loadTestSections(values: ConfigValues): LoadTestSections {
    return {
        loadTest: { targetRps: values["loadTest.targetRps"], p95Ms: values["loadTest.p95Ms"], maxErrorRate: Number(values["loadTest.maxErrorRate"]) },
    };
}
