package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;

/** Streamable HTTP at the wire: status codes, headers and bodies for what real clients (and attackers) send. */
class HttpTransportTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";

    static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningServer.start(Map.of("qarnot.base-url", "http://127.0.0.1:9", "mcp.max-body-bytes", "4096",
                "camel.server.max-body-size", "4096", "mcp.allowed-hosts", "localhost,127.0.0.1,[::1],*.trycloudflare.com"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawHttp.Response post(String body, String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return RawHttp.send(server.port(), "POST", "/mcp", h, body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-26", "2025-06-18", "2025-11-25"})
    void initializeEchoesEverySupportedVersion(String version) throws Exception {
        RawHttp.Response response = post(INITIALIZE.formatted(version));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.header("Mcp-Session-Id")).isNull();
        JsonNode result = JSON.readTree(response.body()).get("result");
        assertThat(result.get("protocolVersion").asText()).isEqualTo(version);
        assertThat(result.get("serverInfo").get("name").asText()).isEqualTo("Qarnot-Manager");
    }

    @Test
    void anUnknownRequestedVersionIsAnsweredWithTheLatest() throws Exception {
        JsonNode result = JSON.readTree(post(INITIALIZE.formatted("2024-01-01")).body()).get("result");
        assertThat(result.get("protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void anUnsupportedProtocolVersionHeaderGets400() throws Exception {
        RawHttp.Response response = post(PING, "MCP-Protocol-Version", "1999-01-01");
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("id").asInt()).isEqualTo(7);
        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32022);
        assertThat(error.get("error").get("data").get("requested").asText()).isEqualTo("1999-01-01");
        assertThat(error.get("error").get("data").get("supported").toString()).contains("2026-07-28", "2025-11-25");
    }

    @Test
    void notificationsGet202WithNoBody() throws Exception {
        RawHttp.Response response = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "MCP-Protocol-Version", "2025-11-25");
        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void getAndDeleteGet405AtOnceWithAllow() throws Exception {
        for (String method : new String[] {"GET", "DELETE"}) {
            RawHttp.Response response = RawHttp.send(server.port(), method, "/mcp", Map.of("Accept", "text/event-stream"), null);
            assertThat(response.status()).as(method).isEqualTo(405);
            assertThat(response.header("Allow")).contains("POST");
        }
    }

    @Test
    void charsetInContentTypeAndAnAcceptWithoutEventStreamAreFine() throws Exception {
        Map<String, String> headers = Map.of("Content-Type", "application/json; charset=utf-8", "Accept", "application/json");
        RawHttp.Response response = RawHttp.send(server.port(), "POST", "/mcp", headers, PING);
        assertThat(response.status()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("id").asInt()).isEqualTo(7);
    }

    @Test
    void aNonJsonContentTypeGets415() throws Exception {
        RawHttp.Response response = post(PING, "Content-Type", "text/plain");
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).contains("application/json");
    }

    @Test
    void malformedJsonGets400WithAParseError() throws Exception {
        RawHttp.Response response = post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").get("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void aBatchIsAnsweredForThe20250326EraAndRefusedAfterIt() throws Exception {
        String batch = "[" + PING + ",{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]";
        RawHttp.Response old = post(batch);
        assertThat(old.status()).isEqualTo(200);
        JsonNode answers = JSON.readTree(old.body());
        assertThat(answers.isArray()).isTrue();
        assertThat(answers.size()).isEqualTo(2);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(answers.get(1).get("result").get("tools").size()).isGreaterThanOrEqualTo(3);

        RawHttp.Response current = post(batch, "MCP-Protocol-Version", "2025-06-18");
        assertThat(current.status()).isEqualTo(400);
        assertThat(current.body()).contains("batches were removed");
    }

    @Test
    void anOversizedBodyGets413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(10_000) + "\"}}";
        assertThat(post(big).status()).isEqualTo(413);
        assertThat(post(PING).status()).isEqualTo(200);
    }

    @Test
    void aForeignOriginGets403AndAnAllowedOneGetsCorsHeaders() throws Exception {
        RawHttp.Response foreign = post(PING, "Origin", "https://evil.example");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();

        RawHttp.Response claude = post(PING, "Origin", "https://claude.ai");
        assertThat(claude.status()).isEqualTo(200);
        assertThat(claude.header("Access-Control-Allow-Origin")).isEqualTo("https://claude.ai");

        assertThat(post(PING, "Origin", "http://localhost:6274").status()).isEqualTo(200);
        assertThat(post(PING, "Origin", "http://localhost.evil.example").status()).isEqualTo(403);
    }

    @Test
    void aBrowserPreflightFromAnAllowedOriginIsAnswered() throws Exception {
        RawHttp.Response preflight = RawHttp.send(server.port(), "OPTIONS", "/mcp", Map.of("Origin", "https://claude.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type"), null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization", "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name");
    }

    @Test
    void aForeignHostGets421SoDnsRebindingFails() throws Exception {
        RawHttp.Response rebound = post(PING, "Host", "evil.example.com", "Origin", "http://evil.example.com");
        assertThat(rebound.status()).isEqualTo(421);
        assertThat(post(PING, "Host", "localhost:" + server.port()).status()).isEqualTo(200);
        assertThat(post(PING, "Host", "[::1]:" + server.port()).status()).isEqualTo(200);
        assertThat(post(PING, "Host", "quiet-river-42.trycloudflare.com").status()).isEqualTo(200);
        assertThat(post(PING, "Host", "trycloudflare.com.evil.example").status()).isEqualTo(421);
    }

    @Test
    void aJsonRpcResponseFromTheClientIsRefused() throws Exception {
        RawHttp.Response response = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("id").asInt()).isEqualTo(3);
    }

    @Test
    void unknownMethodsAndUnknownToolsAreJsonRpcErrors() throws Exception {
        JsonNode unknownMethod = JSON.readTree(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/list\"}").body());
        assertThat(unknownMethod.get("error").get("code").asInt()).isEqualTo(-32601);
        JsonNode unknownTool = JSON.readTree(post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"nope\",\"arguments\":{}}}").body());
        assertThat(unknownTool.get("error").get("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void healthIsUp() throws Exception {
        RawHttp.Response health = RawHttp.send(server.port(), "GET", "/observe/health", Map.of(), null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
    }

    @Test
    void controlCharactersInTheBearerTokenAreRefusedWithoutEchoingIt() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":{}}}";
        // Raw control bytes never get past the HTTP parser.
        assertThat(post(call, "Authorization", "Bearer qk\u0001secret").status()).isEqualTo(400);
        // A tab is legal in a header value, so the credential bridge refuses it.
        RawHttp.Response response = post(call, "Authorization", "Bearer qk\tsecret");
        JsonNode result = JSON.readTree(response.body()).get("result");
        assertThat(result.get("isError").asBoolean()).isTrue();
        assertThat(result.toString()).contains("whitespace, control").doesNotContain("secret");
    }
}
