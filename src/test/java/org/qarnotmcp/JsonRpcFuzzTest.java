package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;

/**
 * Issue 13, fuzz: generated JSON-RPC bodies (envelopes with wrong types, duplicates, trailing content, batches, noise)
 * and generated tool arguments (path tricks, huge numbers, nesting, odd types) against the running server. Bounded by
 * the number of tries (about a minute in CI). Every answer is below 500 and carries no exception text; every request
 * that reached the Qarnot stand-in stayed on a Qarnot API path; the server is healthy after.
 */
class JsonRpcFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern QARNOT_PATH = Pattern.compile(
            "/(tasks|pools|jobs|profiles|info|credits|carbon|hardware-constraints)(/[A-Za-z0-9_.~-]+)*");
    static final List<String> TOOLS = List.of("list_tasks", "get_task", "get_logs", "submit_job", "wait_for_task",
            "abort_task", "delete_task", "retry_task", "clone_task", "list_profiles", "get_profile", "list_pools",
            "get_pool", "close_pool", "list_jobs", "get_job", "create_job", "terminate_job", "get_account",
            "list_hardware_constraints", "get_task_usage", "no_such_tool");
    static final List<String> KEYS = List.of("uuid", "name", "pageSize", "pageToken", "tags", "states", "instanceId",
            "stream", "tailLines", "fresh", "dockerImage", "command", "dryRun", "profile", "pool", "instances",
            "timeoutSeconds", "pollSeconds", "contains", "cpuModel", "limit", "offset", "orderBy", "order", "x");

    static WireMockServer qarnot;
    static RunningServer server;

    @BeforeContainer
    static void start() throws Exception {
        qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        qarnot.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"uuid\":\"u\",\"state\":\"Success\",\"data\":[],\"credits\":{},\"total\":0}")));
        server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(), "mcp.tool-timeout", "10s"));
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            for (ServeEvent event : qarnot.getAllServeEvents()) {
                String url = event.getRequest().getUrl();
                String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
                assertThat(path).as("a request left Qarnot's API paths").matches(QARNOT_PATH);
                assertThat(path.split("/")).as(path).doesNotContain(".", "..");
            }
            RawHttp.Response health = RawHttp.send(server.port(), "GET", "/observe/health", Map.of(), null);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).contains("UP");
        } finally {
            server.close();
            qarnot.stop();
        }
    }

    static void assertSane(RawHttp.Response response, String sent) {
        assertThat(response.status()).as("status for %s", sent).isLessThan(500);
        assertThat(response.body()).as("answer to %s", sent)
                .doesNotContain("Exception", "java.", "jackson", "groovy.", "at org.", "NullPointer", "\tat ");
    }

    static RawHttp.Response post(String body) throws Exception {
        return RawHttp.send(server.port(), "POST", "/mcp", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer qk-fuzz"), body);
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void anyJsonRpcBodyGetsASaneAnswer(@ForAll("bodies") String body) throws Exception {
        assertSane(post(body), body);
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.OFF)
    void anyToolArgumentsGetASaneAnswer(@ForAll("tools") String tool, @ForAll("arguments") Map<String, Object> arguments)
            throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments);
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call", "params", params));
        assertSane(post(body), body);
    }

    @Provide
    Arbitrary<String> tools() {
        return Arbitraries.of(TOOLS);
    }

    @Provide
    Arbitrary<Map<String, Object>> arguments() {
        return Arbitraries.maps(Arbitraries.of(KEYS), values(2)).ofMaxSize(6);
    }

    static Arbitrary<Object> values(int depth) {
        List<Arbitrary<Object>> choices = new ArrayList<>();
        choices.add(Arbitraries.<Object>of("../pools", "a/b", "x?y=1", "#frag", "%2e%2e", "%2F", "..", ".", "~", "u-1", "",
                "ff149809-9415-4132-aad1-faad5383ea11", "\u0000", "line\nbreak", "\u00e9\u202e", "'\"; DROP"));
        choices.add(Arbitraries.strings().ofMaxLength(40).map(v -> (Object) v));
        choices.add(Arbitraries.strings().withChars("./%?#&=\\").ofMaxLength(12).map(v -> (Object) v));
        choices.add(Arbitraries.integers().map(v -> (Object) v));
        choices.add(Arbitraries.<Object>of(new BigInteger("1000000000000000000000000000000"), -1, 0, Long.MAX_VALUE, 1.5,
                -0.0, 1e308, true, false));
        choices.add(Arbitraries.just(null));
        if (depth > 0) {
            choices.add(values(depth - 1).list().ofMaxSize(4).map(v -> (Object) v));
            choices.add(Arbitraries.maps(Arbitraries.of(KEYS), values(depth - 1)).ofMaxSize(3).map(v -> (Object) v));
        }
        return Arbitraries.oneOf(choices);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().alpha().ofMaxLength(6).map(s -> "\"" + s + "\""),
                Arbitraries.of("null", "{}", "[]", "1.5", "true", "-0", "1e400"));
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("initialize", "ping", "tools/list", "tools/call", "notifications/initialized",
                        "notifications/cancelled", "resources/list", "", "server/discover").map(m -> "\"" + m + "\""),
                Arbitraries.of("1", "null", "[]", "{}"));
        Arbitrary<String> params = Arbitraries.oneOf(
                Arbitraries.of("{}", "[]", "\"s\"", "null", "7", "{\"name\":null}", "{\"name\":\"list_tasks\"}",
                        "{\"name\":\"list_tasks\",\"arguments\":[]}", "{\"name\":\"get_logs\",\"arguments\":{\"uuid\":\"../x\"}}",
                        "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"f\",\"version\":\"1\"}}",
                        "{\"protocolVersion\":5}", "{\"cursor\":{}}", "{\"_meta\":[]}", "{\"name\":\"list_tasks\",\"name\":\"x\"}"),
                Arbitraries.strings().ofMaxLength(20).map(s -> "{\"name\":" + JsonRpcFuzzTest.quote(s) + ",\"arguments\":{}}"));
        Arbitrary<String> jsonrpc = Arbitraries.of("\"2.0\"", "\"1.0\"", "2.0", "null", "\"\"");
        Arbitrary<String> envelope = Combinators.combine(jsonrpc, id, method, params, Arbitraries.integers().between(0, 15))
                .as((j, i, m, p, drop) -> {
                    List<String> fields = new ArrayList<>();
                    if ((drop & 1) == 0) {
                        fields.add("\"jsonrpc\":" + j);
                    }
                    if ((drop & 2) == 0) {
                        fields.add("\"id\":" + i);
                    }
                    if ((drop & 4) == 0) {
                        fields.add("\"method\":" + m);
                    }
                    if ((drop & 8) == 0) {
                        fields.add("\"params\":" + p);
                    }
                    return "{" + String.join(",", fields) + "}";
                });
        Arbitrary<String> mangled = Combinators.combine(envelope, Arbitraries.integers().between(0, 5),
                Arbitraries.strings().ofMaxLength(10)).as((e, how, noise) -> switch (how) {
                    case 0 -> e;
                    case 1 -> e + noise;
                    case 2 -> e.substring(0, Math.max(1, e.length() / 2));
                    case 3 -> "[" + e + "," + e + "]";
                    case 4 -> e.replaceFirst("\\{", "{\"method\":\"ping\",");
                    default -> noise + e;
                });
        return Arbitraries.oneOf(mangled, Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("[]", "{}", "null", "[[]]", "\"x\"", "[1,2,3]", "{\"jsonrpc\":\"2.0\"}"));
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
