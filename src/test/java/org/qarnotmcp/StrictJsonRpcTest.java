package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.ServerWithQarnot;

/** Issue 13, "malformed JSON-RPC", "duplicate JSON keys" and "batches": refused with JSON-RPC errors, never a 500. */
class StrictJsonRpcTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-strict").with("mcp.max-batch", "3");

    static RawHttp.Response post(String body, String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Authorization", "Bearer qk-strict");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return RawHttp.send(env.server().port(), "POST", "/mcp", h, body);
    }

    static JsonNode error(RawHttp.Response response) throws Exception {
        assertThat(response.status()).as(response.body()).isLessThan(500);
        assertThat(response.body()).doesNotContain("Exception", "java.", "jackson", "at [Source");
        return JSON.readTree(response.body()).get("error");
    }

    @Test
    void aDuplicateKeyIsRefusedAndNothingRuns() throws Exception {
        RawHttp.Response response = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"list_tasks\",\"arguments\":{},\"name\":\"delete_task\"}}");
        JsonNode error = error(response);
        assertThat(response.status()).isEqualTo(400);
        assertThat(error.get("code").asInt()).isEqualTo(-32700);
        assertThat(error.get("message").asText()).contains("Duplicate key 'name'");
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":\"list_tasks\"}|'params' must be an object, not a string",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":[\"list_tasks\"]}|'params' must be an object, not an array",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\"}|'params' is required",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"arguments\":{}}}|'params.name'",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":[1]}}|'params.arguments' must be an object, not an array",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":\"x\"}}|'params.arguments' must be an object, not a string",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"initialize\"}|'params' is required",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\"}}|'params.clientInfo'",
        "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\",\"params\":{\"cursor\":5}}|'params.cursor' must be a string",
    })
    void wrongParamsShapesGetInvalidParamsNamingTheFieldWithTheRequestId(String body, String expected) throws Exception {
        JsonNode response = JSON.readTree(post(body).body());
        JsonNode error = error(post(body));
        assertThat(error.get("code").asInt()).isEqualTo(-32602);
        assertThat(error.get("message").asText()).contains(expected);
        assertThat(response.get("id").asInt()).isEqualTo(11);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}|-32600|'jsonrpc' must be the string \"2.0\"",
        "{\"id\":1,\"method\":\"ping\"}|-32600|'jsonrpc' must be the string \"2.0\"",
        "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}|-32600|'jsonrpc' must be the string \"2.0\"",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}|-32700|Content after the JSON-RPC message",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}xyz|-32700|not valid JSON",
        "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}|-32600|'id' must be a string or an integer",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}|-32600|'method' must be a non-empty string",
        "42|-32600|must be a JSON object",
    })
    void anInvalidEnvelopeIsRefused(String body, int code, String expected) throws Exception {
        RawHttp.Response response = post(body);
        assertThat(response.status()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(expected);
    }

    @Test
    void aBatchOverTheLimitIsRefusedBeforeAnyCallRuns() throws Exception {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":{}}}";
        String batch = "[" + call.formatted(1) + "," + call.formatted(2) + "," + call.formatted(3) + "," + call.formatted(4) + "]";
        RawHttp.Response response = post(batch);
        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).get("message").asText()).contains("4 messages", "at most 3", "MCP_MAX_BATCH");
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aBadElementOfABatchGetsItsOwnErrorWithItsId() throws Exception {
        RawHttp.Response response = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":\"x\"}]");
        assertThat(response.status()).isEqualTo(200);
        JsonNode answers = JSON.readTree(response.body());
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(1);
        assertThat(answers.get(0).has("result")).isTrue();
        assertThat(answers.get(1).get("id").asInt()).isEqualTo(2);
        assertThat(answers.get(1).get("error").get("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void aStringIdIsKeptInTheError() throws Exception {
        JsonNode response = JSON.readTree(post("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/call\",\"params\":[]}").body());
        assertThat(response.get("id").asText()).isEqualTo("abc");
        assertThat(response.get("error").get("code").asInt()).isEqualTo(-32602);
    }
}
