package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;

/**
 * Traces exported over OTLP/HTTP to a real receiver on loopback: a span per tool call, parented on the W3C
 * traceparent of the HTTP request or of the MCP request's _meta, a child span per Qarnot request whose
 * traceparent Qarnot receives, and no key or argument in anything exported. Off unless configured.
 */
class TracingTest {

    static final String KEY = "CANARY-trace-key-5d1c";
    static final String ARGUMENT = "CANARYARGUMENT";
    static final String HTTP_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String HTTP_PARENT = "00f067aa0ba902b7";
    static final String META_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String META_PARENT = "b7ad6b7169203331";

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** An OTLP/HTTP traces endpoint: keeps each export as sent. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<byte[]> exports = new CopyOnWriteArrayList<>();

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                exchange.getRequestBody().transferTo(body);
                exports.add(body.toByteArray());
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0);
                exchange.close();
            });
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Span> spans() throws Exception {
            List<Span> spans = new java.util.ArrayList<>();
            for (byte[] export : exports) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(export);
                request.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
            }
            return spans;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void spansOfACallAreExportedParentLinkedAndPropagatedToQarnot() throws Exception {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE)));
        try (Receiver receiver = new Receiver()) {
            RunningServer server;
            System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
            System.setProperty("otel.bsp.schedule.delay", "100");
            try {
                server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl()));
            } finally {
                System.clearProperty("otel.exporter.otlp.endpoint");
                System.clearProperty("otel.bsp.schedule.delay");
            }
            try {
                assertThat(call(server, "00-" + HTTP_TRACE + "-" + HTTP_PARENT + "-01", "")).contains("\"result\"");
                assertThat(call(server, null, "\"_meta\":{\"traceparent\":\"00-" + META_TRACE + "-" + META_PARENT + "-01\"},"))
                        .contains("\"result\"");
            } finally {
                server.close(); // flushes the last spans
            }

            List<Span> spans = receiver.spans();
            for (String[] trace : new String[][] {{HTTP_TRACE, HTTP_PARENT}, {META_TRACE, META_PARENT}}) {
                Span tool = find(spans, trace[0], "tools/call list_tasks").orElseThrow(() ->
                        new AssertionError("no tool span in trace " + trace[0] + " among " + spans));
                assertThat(hex(tool.getParentSpanId().toByteArray())).as("tool span parent").isEqualTo(trace[1]);
                assertThat(tool.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
                assertThat(attribute(tool, "gen_ai.tool.name")).isEqualTo("list_tasks");
                assertThat(attribute(tool, "mcp.tool.outcome")).isEqualTo("ok");
                Span upstream = find(spans, trace[0], "qarnot POST").orElseThrow();
                assertThat(upstream.getParentSpanId()).as("Qarnot span is the tool span's child").isEqualTo(tool.getSpanId());
                assertThat(attribute(upstream, "http.response.status_code")).isEqualTo("200");
                String sent = "00-" + trace[0] + "-" + hex(upstream.getSpanId().toByteArray()) + "-01";
                assertThat(qarnot.findAll(postRequestedFor(urlEqualTo("/tasks/summaries/paginate"))).stream()
                        .map(r -> r.getHeader("traceparent")).toList()).as("traceparent sent to Qarnot").contains(sent);
            }
            for (byte[] export : receiver.exports) {
                String text = new String(export, StandardCharsets.ISO_8859_1);
                assertThat(text).doesNotContain(KEY).doesNotContain(ARGUMENT);
            }
        }
    }

    @Test
    void offUnlessConfigured() throws Exception {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE)));
        try (RunningServer server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl()))) {
            assertThat(call(server, "00-" + HTTP_TRACE + "-" + HTTP_PARENT + "-01", "")).contains("\"result\"");
        }
        List<LoggedRequest> requests = qarnot.findAll(postRequestedFor(urlEqualTo("/tasks/summaries/paginate")));
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.containsHeader("traceparent")).isFalse());
    }

    static String call(RunningServer server, String traceparent, String meta) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json", "Authorization", "Bearer " + KEY));
        if (traceparent != null) {
            headers.put("traceparent", traceparent);
        }
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" + meta
                + "\"name\":\"list_tasks\",\"arguments\":{\"name\":\"" + ARGUMENT + "\"}}}";
        RawHttp.Response response = RawHttp.send(server.port(), "POST", "/mcp", headers, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    static Optional<Span> find(List<Span> spans, String traceId, String name) {
        return spans.stream().filter(s -> hex(s.getTraceId().toByteArray()).equals(traceId) && s.getName().equals(name)).findFirst();
    }

    static String attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue)
                .map(v -> v.hasIntValue() ? String.valueOf(v.getIntValue()) : v.getStringValue()).findFirst().orElse(null);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
