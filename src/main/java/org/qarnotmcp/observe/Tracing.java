package org.qarnotmcp.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * OpenTelemetry traces: one span per tool call ({@link ToolSpan}) and a child span per Qarnot request
 * ({@link UpstreamTracing}), with the W3C {@code traceparent} taken from the MCP request's {@code _meta} or else
 * the HTTP request, and sent on to Qarnot. The SDK is configured by the standard {@code OTEL_*} variables (OTLP
 * endpoint, protocol, headers, sampler, resource...) and only built when an exporter is configured: otherwise
 * nothing is recorded or sent. Only traces: OTel metrics and logs exporters are off unless set (the metrics are
 * at /observe/metrics).
 */
public final class Tracing implements AutoCloseable {

    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> MCP_METHOD = AttributeKey.stringKey("mcp.method.name");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mcp.tool.outcome");
    private static final List<String> EXPORTER_SETTINGS = List.of("OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER");
    private static final Tracing OFF = new Tracing(null);

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk == null ? null : sdk.getTracer("qarnot-mcp");
    }

    /** From the OTEL_* environment variables (or their otel.* system properties); off unless an exporter is set. */
    public static Tracing fromEnvironment() {
        return from(name -> {
            String value = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
            return value != null ? value : System.getenv(name);
        });
    }

    static Tracing from(Function<String, String> setting) {
        boolean exporter = EXPORTER_SETTINGS.stream().map(setting).anyMatch(v -> v != null && !v.isBlank() && !v.equals("none"));
        if (!exporter || "true".equalsIgnoreCase(setting.apply("OTEL_SDK_DISABLED"))) {
            return OFF;
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults the OTEL_* variables override. OTLP over HTTP (port 4318): the JDK's HTTP client is the
                // only sender bundled (the SDK's own default, gRPC, would need OkHttp or gRPC-Java).
                .addPropertiesSupplier(() -> Map.of("otel.service.name", "qarnot-mcp",
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                .disableShutdownHook() // closed with the Camel context, after the drain
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk);
    }

    public boolean enabled() {
        return sdk != null;
    }

    /**
     * Starts the span of one tool call. Its parent is the {@code traceparent} in the request's {@code _meta}
     * (the MCP convention) or else the one of the HTTP request. Only the tool name is recorded, never an argument.
     */
    public ToolSpan toolCall(String tool, Map<String, Object> meta, Map<String, String> httpHeaders) {
        if (sdk == null) {
            return ToolSpan.NONE;
        }
        Context parent = meta != null && meta.get("traceparent") instanceof String ? extract(meta) : extract(httpHeaders);
        Span span = tracer.spanBuilder("tools/call " + tool).setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute(MCP_METHOD, "tools/call").setAttribute(TOOL_NAME, tool).startSpan();
        return new ToolSpan(span);
    }

    /** Adds a child span per Qarnot request (each attempt) and its {@code traceparent} header, when enabled. */
    public void instrument(HttpClientBuilder builder) {
        if (sdk != null) {
            builder.addExecInterceptorAfter(ChainElement.RETRY.name(), "qarnot-mcp-tracing", new UpstreamTracing(tracer));
        }
    }

    private static Context extract(Map<String, ?> carrier) {
        if (carrier == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, new TextMapGetter<Map<String, ?>>() {
            @Override
            public Iterable<String> keys(Map<String, ?> map) {
                return map.keySet();
            }

            @Override
            public String get(Map<String, ?> map, String key) {
                return map != null && map.get(key) instanceof String value ? value : null;
            }
        });
    }

    /** Flushes the spans still buffered. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }
}
