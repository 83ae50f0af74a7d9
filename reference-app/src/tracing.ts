/**
 * OpenTelemetry traces over OTLP/HTTP, configured by the standard variables only: on when
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter itself reads
 * them, and the `_HEADERS`, `_TIMEOUT` and `_COMPRESSION` variables), off when OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the resource,
 * OTEL_TRACES_SAMPLER(_ARG) choose the sampler (the SDK reads them); W3C trace context propagates.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";

/** The service name when OTEL_SERVICE_NAME is unset. */
export const DEFAULT_SERVICE_NAME = "reference-app";

type Env = Readonly<Record<string, string | undefined>>;

/** Whether the environment asks for traces to be exported. */
export function tracingEnabled(env: Env): boolean {
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "";
    const exporters = (env.OTEL_TRACES_EXPORTER ?? "otlp").split(",").map((e) => e.trim());
    return endpoint !== "" && env.OTEL_SDK_DISABLED !== "true" && exporters.includes("otlp");
}

/** The running tracer provider (or none) and how to flush it. */
export interface Tracing {
    readonly enabled: boolean;
    /** Exports what is buffered. */
    flush(): Promise<void>;
    /** Flushes and stops. */
    shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider when {@link tracingEnabled} for `process.env` (the exporter and the
 * resource detector read the same variables there); otherwise the API's no-op tracer stays.
 */
export function startTracing(version: string): Tracing {
    if (!tracingEnabled(process.env)) {
        return { enabled: false, flush: async () => undefined, shutdown: async () => undefined };
    }
    const resource = defaultResource()
        .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME, [ATTR_SERVICE_VERSION]: version }))
        .merge(detectResources({ detectors: [envDetector] }));
    const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
    provider.register();
    return { enabled: true, flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

/** The application's tracer. */
export function tracer(): Tracer {
    return trace.getTracer(DEFAULT_SERVICE_NAME);
}

/** Runs `fn` in a child span of the active one; an exception marks the span failed and is rethrown. */
export async function inSpan<T>(name: string, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
    return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
            return await fn(span);
        } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
        } finally {
            span.end();
        }
    });
}

/** The context carried by the request's `traceparent`/`tracestate` headers. */
export function extractContext(headers: Readonly<Record<string, string | string[] | undefined>>) {
    return propagation.extract(context.active(), headers);
}
