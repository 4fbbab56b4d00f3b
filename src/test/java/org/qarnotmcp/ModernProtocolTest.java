package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.ServerWithQarnot;

/**
 * MCP 2026-07-28 at the wire, beside the legacy era on the same endpoint: per-request _meta, the header checks,
 * version errors, server/discover, result shapes, removed methods, and ids on every error.
 */
class ModernProtocolTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V = "2026-07-28";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-modern");

    static Map<String, Object> meta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", V);
        meta.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        meta.put("io.modelcontextprotocol/clientInfo", Map.of("name", "wire-test", "version", "1"));
        return meta;
    }

    static String body(Object id, String method, Map<String, Object> params) throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        return JSON.writeValueAsString(message);
    }

    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("_meta", meta());
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put((String) keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    /** POST with the headers a 2026-07-28 client sends, then {@code extra} (name, value; a null value removes). */
    static RawHttp.Response post(String method, String name, String body, String... extra) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        h.put("Authorization", "Bearer qk-modern");
        h.put("MCP-Protocol-Version", V);
        h.put("Mcp-Method", method);
        if (name != null) {
            h.put("Mcp-Name", name);
        }
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                h.remove(extra[i]);
            } else {
                h.put(extra[i], extra[i + 1]);
            }
        }
        return RawHttp.send(env.server().port(), "POST", "/mcp", h, body);
    }

    static JsonNode error(RawHttp.Response response, int status, int code, Object id) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("error").get("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(json.get("id").asText()).isEqualTo(String.valueOf(id));
        return json.get("error");
    }

    @Test
    void serverDiscoverNamesVersionsCapabilitiesAndIdentity() throws Exception {
        RawHttp.Response response = post("server/discover", null, body("d-1", "server/discover", params()));
        assertThat(response.status()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body()).get("result");
        assertThat(result.get("resultType").asText()).isEqualTo("complete");
        assertThat(result.get("supportedVersions").toString()).isEqualTo("[\"2026-07-28\",\"2025-11-25\",\"2025-06-18\",\"2025-03-26\"]");
        assertThat(result.get("capabilities").get("tools").get("listChanged").asBoolean()).isTrue();
        assertThat(result.get("_meta").get("io.modelcontextprotocol/serverInfo").get("name").asText()).isEqualTo("Qarnot-Manager");
        assertThat(result.get("ttlMs").asLong()).isPositive();
        assertThat(result.get("cacheScope").asText()).isEqualTo("public");
    }

    @Test
    void metaIsCheckedOnEveryRequest() throws Exception {
        error(post("server/discover", null, body(101, "server/discover", Map.of())), 400, -32602, 101);
        Map<String, Object> noVersion = params();
        ((Map<?, ?>) noVersion.get("_meta")).remove("io.modelcontextprotocol/protocolVersion");
        JsonNode e = error(post("server/discover", null, body(102, "server/discover", noVersion)), 400, -32602, 102);
        assertThat(e.get("message").asText()).contains("io.modelcontextprotocol/protocolVersion");
        Map<String, Object> noCapabilities = params();
        ((Map<?, ?>) noCapabilities.get("_meta")).remove("io.modelcontextprotocol/clientCapabilities");
        error(post("server/discover", null, body(103, "server/discover", noCapabilities)), 400, -32602, 103);
        Map<String, Object> noInfo = params();
        ((Map<?, ?>) noInfo.get("_meta")).remove("io.modelcontextprotocol/clientInfo");
        assertThat(post("server/discover", null, body(104, "server/discover", noInfo)).status()).isEqualTo(200);
    }

    @Test
    void versionHeaderMustMatchAndBeSupported() throws Exception {
        JsonNode mismatch = error(post("tools/list", null, body(201, "tools/list", params()), "MCP-Protocol-Version", "2025-11-25"),
                400, -32020, 201);
        assertThat(mismatch.get("message").asText()).contains("2025-11-25", V);
        error(post("tools/list", null, body(202, "tools/list", params()), "MCP-Protocol-Version", null), 400, -32020, 202);
        Map<String, Object> future = params();
        ((Map<String, Object>) future.get("_meta")).put("io.modelcontextprotocol/protocolVersion", "2099-01-01");
        JsonNode unsupported = error(post("tools/list", null, body("u", "tools/list", future), "MCP-Protocol-Version", "2099-01-01"),
                400, -32022, "u");
        assertThat(unsupported.get("data").get("requested").asText()).isEqualTo("2099-01-01");
        assertThat(unsupported.get("data").get("supported").toString()).contains(V, "2025-03-26");
    }

    @Test
    void methodAndNameHeadersMustMatchTheBody() throws Exception {
        error(post("tools/list", null, body(301, "tools/list", params()), "Mcp-Method", null), 400, -32020, 301);
        error(post("tools/list", null, body(302, "tools/list", params()), "Mcp-Method", "TOOLS/LIST"), 400, -32020, 302);
        String call = body(303, "tools/call", params("name", "list_profiles", "arguments", Map.of()));
        error(post("tools/call", null, call), 400, -32020, 303);
        error(post("tools/call", "list_pools", call), 400, -32020, 303);
        // The Base64 sentinel is decoded before the comparison; surrounding whitespace is not part of the value.
        String encoded = "=?base64?" + Base64.getEncoder().encodeToString("list_profiles".getBytes(StandardCharsets.UTF_8)) + "?=";
        env.qarnot().stubFor(get(urlEqualTo("/profiles")).willReturn(okJson("[\"docker-batch\"]")));
        assertThat(post("tools/call", encoded, call).status()).isEqualTo(200);
        assertThat(post("tools/call", "  list_profiles ", call).status()).isEqualTo(200);
        error(post("tools/call", "=?base64?bGlzdF9wcm9maWxlcw?=", call), 400, -32020, 303); // no padding: not Base64
    }

    @Test
    void toolArgumentsDeclaredAsHeadersAreChecked() throws Exception {
        String call = body(401, "tools/call", params("name", "wait_for_task", "arguments", Map.of("uuid", "t-1")));
        JsonNode missing = error(post("tools/call", "wait_for_task", call), 400, -32020, 401);
        assertThat(missing.get("message").asText()).contains("Mcp-Param-Task-Uuid");
        error(post("tools/call", "wait_for_task", call, "Mcp-Param-Task-Uuid", "t-2"), 400, -32020, 401);
        error(post("tools/call", "wait_for_task", call, "Mcp-Param-Task-Uuid", "=?base64?dC0x!!?="), 400, -32020, 401);
        env.qarnot().stubFor(get(urlEqualTo("/tasks/t-1")).willReturn(okJson("{\"uuid\":\"t-1\",\"name\":\"n\",\"state\":\"Success\"}")));
        env.qarnot().stubFor(get(urlEqualTo("/tasks/t-1/stdout")).willReturn(okJson("\"done\"")));
        RawHttp.Response ok = post("tools/call", "wait_for_task", call, "Mcp-Param-Task-Uuid", "=?base64?dC0x?=");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("result").get("structuredContent").get("state").asText()).isEqualTo("Success");
        JsonNode listed = JSON.readTree(post("tools/list", null, body(402, "tools/list", params())).body());
        for (JsonNode tool : listed.get("result").get("tools")) {
            if (tool.get("name").asText().equals("wait_for_task")) {
                assertThat(tool.get("inputSchema").get("properties").get("uuid").get("x-mcp-header").asText()).isEqualTo("Task-Uuid");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/list", "prompts/list", "no/such"})
    void removedAndUnknownMethodsGet404(String method) throws Exception {
        JsonNode e = error(post(method, null, body(501, method, params())), 404, -32601, 501);
        assertThat(e.get("message").asText()).contains(method, "tools/call");
    }

    @Test
    void resultsCarryTheirTypeIdentityAndCachingHints() throws Exception {
        JsonNode list = JSON.readTree(post("tools/list", null, body(601, "tools/list", params())).body()).get("result");
        assertThat(list.get("resultType").asText()).isEqualTo("complete");
        assertThat(list.get("ttlMs").asLong()).isEqualTo(3_600_000L); // routes reload is off in tests
        assertThat(list.get("cacheScope").asText()).isEqualTo("public");
        assertThat(list.get("_meta").get("io.modelcontextprotocol/serverInfo").get("version").asText()).isNotBlank();
        List<String> names = new ArrayList<>();
        list.get("tools").forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).isSorted().hasSizeGreaterThan(10);

        env.qarnot().stubFor(get(urlEqualTo("/profiles")).willReturn(okJson("[\"docker-batch\"]")));
        JsonNode call = JSON.readTree(post("tools/call", "list_profiles",
                body(602, "tools/call", params("name", "list_profiles", "arguments", Map.of()))).body()).get("result");
        assertThat(call.get("resultType").asText()).isEqualTo("complete");
        assertThat(call.get("isError").asBoolean()).isFalse();
        assertThat(call.get("structuredContent").get("profiles").get(0).asText()).isEqualTo("docker-batch");
        assertThat(call.get("_meta").get("io.modelcontextprotocol/serverInfo").get("name").asText()).isEqualTo("Qarnot-Manager");
    }

    @Test
    void theLegacyEraIsUnchangedButAlsoListsToolsInOrder() throws Exception {
        List<String> names = env.client().listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(names).isSorted();
        RawHttp.Response legacy = RawHttp.send(env.server().port(), "POST", "/mcp", Map.of("Content-Type", "application/json",
                "MCP-Protocol-Version", "2025-11-25"), "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}");
        JsonNode result = JSON.readTree(legacy.body()).get("result");
        assertThat(result.has("resultType")).isFalse();
        assertThat(result.has("ttlMs")).isFalse();
        // A legacy request naming no tool parameter headers is not checked against them.
        assertThat(legacy.status()).isEqualTo(200);
    }
}
