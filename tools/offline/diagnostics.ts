/**
 * The SDK's diagnostics-only work that the offline runtime leaves out: the stack traces it takes per
 * resource and per promise. Internal modules of the pinned SDK, looked up at call time; a run leaves the
 * SDK as it found it (test/tools/runtime.spec.ts).
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK's capture of a resource's source position (a private static of pulumi.Resource). */
interface SourcePositionCapture {
    callsites(): unknown[];
}

/** The SDK's promise wrapper (internal module of the pinned SDK; every caller looks it up at call time). */
interface Debuggable {
    debugPromiseLeaks: boolean;
    debuggablePromise<T>(promise: Promise<T>, context: unknown): Promise<T>;
}

/** The SDK's per-run state (internal module of the pinned SDK): the promises its leak report watches. */
interface SdkState {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal modules, no typings
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkState = require("@pulumi/pulumi/runtime/state") as SdkState;

/**
 * The SDK's `debuggablePromise` without its stack trace: the promise is tracked for the leak report
 * exactly as the SDK tracks it (added to the run's leak candidates, removed when it settles, a rejection
 * carrying its promise) and keeps its context for the report; only the trace, which the report prints
 * only with PULUMI_DEBUG_PROMISE_LEAKS set, is not taken. The first call goes through the SDK's own, which
 * installs the report at exit.
 */
function trackedWithoutStack(original: Debuggable["debuggablePromise"]): Debuggable["debuggablePromise"] {
    let reportInstalled = false;
    return <P>(promise: Promise<P>, context: unknown): Promise<P> => {
        if (debuggable.debugPromiseLeaks || !reportInstalled) {
            reportInstalled = true;
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = debuggable.debugPromiseLeaks ? limit : 0;
            try {
                return original(promise, context);
            } finally {
                Error.stackTraceLimit = limit;
            }
        }
        const candidates = sdkState.getStore().leakCandidates;
        Object.defineProperty(promise, "_debugCtx", { writable: true, value: context });
        candidates.add(promise);
        return promise
            .then((value) => {
                candidates.delete(promise);
                return value;
            })
            .catch((err: { promise?: unknown }) => {
                candidates.delete(promise);
                err.promise = promise;
                throw err;
            });
    };
}

/**
 * Runs `body` without the two stack traces the SDK takes for diagnostics only, the largest per-resource
 * costs of the mock runtime (each is formatted at once, and under a source-mapping loader such as the
 * tests' every frame is mapped):
 * - a resource's source position: a full stack trace per resource (the SDK lifts Error.stackTraceLimit
 *   to Infinity for it); the engine shows it in diagnostics, the mock monitor drops it, and the record
 *   has no field for it;
 * - the stack trace stored on every promise the SDK tracks for its leak report, which prints it only
 *   with PULUMI_DEBUG_PROMISE_LEAKS set (then it is kept); see {@link trackedWithoutStack}.
 * Nothing recorded changes.
 */
export async function withoutDiagnosticStacks<T>(body: () => Promise<T>): Promise<T> {
    const resource = pulumi.Resource as unknown as SourcePositionCapture;
    const callsites = Object.getOwnPropertyDescriptor(resource, "callsites");
    const debuggablePromise = debuggable.debuggablePromise;
    resource.callsites = () => [];
    debuggable.debuggablePromise = trackedWithoutStack(debuggablePromise);
    try {
        return await body();
    } finally {
        if (callsites) {
            Object.defineProperty(resource, "callsites", callsites);
        }
        debuggable.debuggablePromise = debuggablePromise;
    }
}
