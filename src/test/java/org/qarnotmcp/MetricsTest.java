package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/**
 * {@code /observe/metrics} after a known set of calls: per-tool call counts by outcome, errors by kind, latency
 * histograms, Qarnot request attempts by status class and retries, all on Camel's one Prometheus endpoint.
 */
class MetricsTest {

    static final String KEY = "qk-metrics-5d1e77";

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static RunningServer server;
    static Map<String, Double> metrics;
    static String scrape;

    /** The calls are made once; each test reads its own part of the scrape. */
    @BeforeAll
    static void callThenScrape() throws Exception {
        server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(), "qarnot.read-timeout", "1s"));
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
        qarnot.stubFor(WireMock.get("/tasks/gone/stdout").willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"No such task: gone\"}")));
        qarnot.stubFor(WireMock.get("/tasks/flaky/stdout").willReturn(aResponse().withStatus(503)));
        qarnot.stubFor(WireMock.get("/tasks/slow/stdout").willReturn(aResponse().withStatus(200).withBody("late")
                .withFixedDelay(2500)));
        try (McpSyncClient client = server.clientWithKey(KEY)) {
            assertOk(client.callTool(call("list_tasks", Map.of())));
            assertOk(client.callTool(call("list_tasks", Map.of("pageSize", 5))));
            assertOk(client.callTool(call("list_tasks", Map.of("states", List.of("Success")))));
            assertError(client.callTool(call("list_tasks", Map.of("pageSize", 0))));     // invalid_arguments
            assertError(client.callTool(call("get_logs", Map.of("uuid", "gone"))));      // upstream_4xx
            assertError(client.callTool(call("get_logs", Map.of("uuid", "flaky"))));     // upstream_5xx, 3 retries
            assertError(client.callTool(call("get_logs", Map.of("uuid", "slow"))));      // read timeout: unreachable
        }
        try (McpSyncClient anonymous = server.client(null)) {
            assertError(anonymous.callTool(call("list_tasks", Map.of())));                // no_credential
        }
        RawHttp.Response response = RawHttp.send(server.port(), "GET", "/observe/metrics", Map.of(), null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        scrape = response.body();
        metrics = parse(scrape);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The calls made above: tool, outcome, how many. */
    static final List<List<Object>> EXPECTED = List.of(
            List.of("list_tasks", "ok", 3), List.of("list_tasks", "invalid_arguments", 1),
            List.of("list_tasks", "no_credential", 1), List.of("get_logs", "upstream_4xx", 1),
            List.of("get_logs", "upstream_5xx", 1), List.of("get_logs", "upstream_unreachable", 1));

    @Test
    void countsCallsPerToolAndOutcome() {
        for (List<Object> row : EXPECTED) {
            assertThat(value("mcp_tool_calls_seconds_count", "outcome", (String) row.get(1), "tool", (String) row.get(0)))
                    .as("%s", row).isEqualTo(((Integer) row.get(2)).doubleValue());
        }
        assertThat(metrics).doesNotContainKey(key("mcp_tool_calls_seconds_count", "outcome", "ok", "tool", "get_logs"));
    }

    @Test
    void countsErrorsPerToolAndKindButNotSuccesses() {
        for (List<Object> row : EXPECTED) {
            String name = key("mcp_tool_errors_total", "kind", (String) row.get(1), "tool", (String) row.get(0));
            if (row.get(1).equals("ok")) {
                assertThat(metrics).doesNotContainKey(name);
            } else {
                assertThat(metrics.get(name)).as(name).isEqualTo(((Integer) row.get(2)).doubleValue());
            }
        }
        assertThat(metrics.keySet()).noneMatch(k -> k.startsWith("mcp_tool_errors_total") && k.contains("kind=\"ok\""));
    }

    @Test
    void histogramsHaveBucketsThatAddUpToTheCount() {
        String ok = "mcp_tool_calls_seconds_bucket{outcome=\"ok\",tool=\"list_tasks\",le=";
        assertThat(metrics.get(ok + "\"+Inf\"}")).isEqualTo(3);
        assertThat(metrics.get(ok + "\"120.0\"}")).isEqualTo(3);
        assertThat(metrics.get(ok + "\"0.001\"}")).isNotNull().isLessThanOrEqualTo(3);
        // Buckets are cumulative.
        assertThat(metrics.get(ok + "\"0.001\"}")).isLessThanOrEqualTo(metrics.get(ok + "\"1.0\"}"));
        assertThat(value("mcp_tool_calls_seconds_sum", "outcome", "ok", "tool", "list_tasks")).isPositive();
        // The timed-out upstream call took at least the 1 s read timeout.
        assertThat(value("mcp_tool_calls_seconds_sum", "outcome", "upstream_unreachable", "tool", "get_logs"))
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void timesEachQarnotAttemptByStatusClassAndCountsRetries() {
        // 3 list_tasks + 1 get_logs 404 answered 2xx/4xx; the 503 was tried 1 + 3 times; the slow one never answered.
        assertThat(value("qarnot_requests_seconds_count", "method", "POST", "status", "2xx")).isEqualTo(3);
        assertThat(value("qarnot_requests_seconds_count", "method", "GET", "status", "4xx")).isEqualTo(1);
        assertThat(value("qarnot_requests_seconds_count", "method", "GET", "status", "5xx")).isEqualTo(4);
        assertThat(value("qarnot_requests_seconds_count", "method", "GET", "status", "io_error")).isEqualTo(1);
        assertThat(metrics.get("qarnot_retries_total")).isEqualTo(3);
    }

    @Test
    void camelsOwnRouteSeriesShareTheEndpoint() {
        assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("camel_exchanges_total{") && k.contains("routeId=\"list_tasks\""));
        assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/plain|text/plain; version=0.0.4",
        "text/plain;version=0.0.4|text/plain; version=0.0.4",
        "text/*|text/plain; version=0.0.4",
        "*/*|text/plain; version=0.0.4",
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1|application/openmetrics-text"})
    void prometheusTextForEveryAcceptThatAllowsIt(String accept, String type) throws Exception {
        RawHttp.Response response = RawHttp.send(server.port(), "GET", "/observe/metrics", Map.of("Accept", accept), null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith(type);
        assertThat(response.body()).contains("mcp_tool_calls_seconds_count{");
    }

    @Test
    void anAcceptThatAllowsNeitherFormatIsToldWhatToSend() throws Exception {
        RawHttp.Response response = RawHttp.send(server.port(), "GET", "/observe/metrics", Map.of("Accept", "application/json"), null);
        assertThat(response.status()).isEqualTo(406);
        assertThat(response.body()).contains("Accept: text/plain");
    }

    @Test
    void noKeyNorUserInAnyLabel() {
        // The call log's pseudonymous user id (u- and 12 hex digits) is not a label either.
        assertThat(scrape).doesNotContain(KEY).doesNotContain("Bearer").doesNotContainPattern("u-[0-9a-f]{12}");
    }

    @Test
    void metricsCanBeTurnedOffAndCallsStillWork() throws Exception {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
        try (RunningServer plain = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "camel.metrics.enabled", "false", "camel.management.metrics-enabled", "false"));
                McpSyncClient client = plain.clientWithKey(KEY)) {
            assertOk(client.callTool(call("list_tasks", Map.of())));
            assertThat(RawHttp.send(plain.port(), "GET", "/observe/metrics", Map.of(), null).status()).isEqualTo(404);
        }
    }

    @Test
    void seriesSurviveARouteReload(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello", "hello v1"));
        try (RunningServer reloading = RunningServer.start(Map.of("mcp.routes-dir", tmp.toString(),
                "mcp.routes-reload", "true"));
                McpSyncClient client = reloading.clientWithKey(KEY)) {
            assertOk(client.callTool(call("hello", Map.of())));
            routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello again", "hello v2"));
            RouteReloadTest.awaitTool(client, "hello", t -> t.isPresent() && t.get().description().equals("Says hello again"));
            assertOk(client.callTool(call("hello", Map.of())));

            Map<String, Double> after = parse(RawHttp.send(reloading.port(), "GET", "/observe/metrics", Map.of(), null).body());
            assertThat(after.get("mcp_tool_calls_seconds_count{outcome=\"ok\",tool=\"hello\"}")).isEqualTo(2);
            assertThat(after).containsKey("qarnot_retries_total");
        }
    }

    private static double value(String name, String... labels) {
        Double v = metrics.get(key(name, labels));
        assertThat(v).as("series %s in\n%s", key(name, labels), scrape).isNotNull();
        return v;
    }

    /** name{k1="v1",k2="v2"} with the labels in the order given (Micrometer writes them sorted by name). */
    private static String key(String name, String... labels) {
        StringBuilder key = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            key.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        return key.append('}').toString();
    }

    /** Prometheus text format: series (name plus labels as written) to value; comments skipped. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> series = new TreeMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{.*\\})?) (\\S+)$");
        for (String l : text.split("\n")) {
            Matcher m = line.matcher(l);
            if (!l.startsWith("#") && m.matches()) {
                series.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return series;
    }

    private static CallToolRequest call(String tool, Map<String, Object> arguments) {
        return new CallToolRequest(tool, arguments);
    }

    private static void assertOk(CallToolResult result) {
        assertThat(result.isError()).as("%s", result).isFalse();
    }

    private static void assertError(CallToolResult result) {
        assertThat(result.isError()).as("%s", result).isTrue();
    }
}
