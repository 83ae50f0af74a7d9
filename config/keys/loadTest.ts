/**
 * Config keys of the on-demand load test (loadtest/k6/platform.js, .github/workflows/load-test.yml):
 * the request rate it drives and the error and latency budgets its thresholds enforce.
 */
import { integer, text } from "../fields";

/** A decimal fraction from 0 to 1 (`0.01`, `1`, `0`). */
const FRACTION = /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/;

/** The load-test keys. */
export const loadTestKeys = {
    "loadTest.targetRps": integer({
        description:
            "Requests per second the load test drives (a constant arrival rate); it fails when it cannot sustain 95% of it. A production-readiness target is 1000 or more.",
        default: 1000,
        min: 1,
        max: 100000,
    }),
    "loadTest.p95Ms": integer({
        description: "Latency budget of the load test: it fails when the 95th percentile of request durations exceeds this many milliseconds.",
        default: 300,
        min: 1,
        max: 60000,
    }),
    "loadTest.maxErrorRate": text<string>({
        description:
            'Error budget of the load test: it fails when more than this fraction of requests fail (status 400 or more, or no answer), for example "0.01" for 1%.',
        default: "0.01",
        check: (value) => (FRACTION.test(value) ? undefined : 'is not a fraction from 0 to 1; expected a decimal such as "0.01" (1% of requests)'),
    }),
};
