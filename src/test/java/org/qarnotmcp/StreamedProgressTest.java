package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.ServerWithQarnot;
import org.qarnotmcp.support.SseStream;
import org.qarnotmcp.support.TestThreads;

/**
 * Long calls at the wire: progress streamed as SSE on the POST in both eras, heartbeats, and cancellation (a closed
 * stream, or the legacy notifications/cancelled) that stops the route before its next Qarnot request.
 */
class StreamedProgressTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "qk-stream";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot(KEY);

    static String task(String uuid, String state, int progress) {
        return Fixtures.TASK.replace("\"uuid\": \"e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b\"", "\"uuid\": \"" + uuid + "\"")
                .replace("\"name\": \"test\"", "\"name\": \"render-42\"")
                .replace("\"state\": \"Failure\"", "\"state\": \"" + state + "\"")
                .replace("\"progress\": 100", "\"progress\": " + progress);
    }

    /** The task runs for {@code runningPolls} polls, then succeeds. */
    static void taskRunsThenSucceeds(String uuid, int runningPolls) {
        String state = STARTED;
        for (int i = 1; i <= runningPolls; i++) {
            String next = "poll-" + i;
            env.qarnot().stubFor(get(urlEqualTo("/tasks/" + uuid)).inScenario(uuid).whenScenarioStateIs(state)
                    .willSetStateTo(next).willReturn(okJson(task(uuid, "FullyExecuting", 37))));
            state = next;
        }
        env.qarnot().stubFor(get(urlEqualTo("/tasks/" + uuid)).inScenario(uuid).whenScenarioStateIs(state)
                .willReturn(okJson(task(uuid, "Success", 100))));
        env.qarnot().stubFor(get(urlEqualTo("/tasks/" + uuid + "/stdout")).willReturn(okJson("\"all done\"")));
    }

    static Map<String, String> modernHeaders(String accept, String uuid) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", accept);
        h.put("Authorization", "Bearer " + KEY);
        h.put("MCP-Protocol-Version", "2026-07-28");
        h.put("Mcp-Method", "tools/call");
        h.put("Mcp-Name", "wait_for_task");
        h.put("Mcp-Param-Task-Uuid", uuid);
        return h;
    }

    static String modernCall(Object id, String uuid, int pollSeconds, boolean progressToken) throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.put("io.modelcontextprotocol/clientCapabilities", Map.of());
        if (progressToken) {
            meta.put("progressToken", "tok-" + id);
        }
        return JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params",
                Map.of("name", "wait_for_task", "_meta", meta,
                        "arguments", Map.of("uuid", uuid, "pollSeconds", pollSeconds, "timeoutSeconds", 120))));
    }

    static int polls(String uuid) {
        return env.qarnot().countRequestsMatching(getRequestedFor(urlEqualTo("/tasks/" + uuid)).build()).getCount();
    }

    /** The call log's count of cancelled calls, as the metrics endpoint shows it. */
    static double cancelledCalls() throws Exception {
        String metrics = RawHttp.send(env.server().port(), "GET", "/observe/metrics", Map.of(), null).body();
        return metrics.lines().filter(l -> l.startsWith("mcp_tool_calls_seconds_count") && l.contains("outcome=\"cancelled\"")
                && l.contains("tool=\"wait_for_task\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    static void awaitCancelled(double before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cancelledCalls() <= before) {
            assertThat(System.nanoTime()).as("the call log records the cancelled call").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aModernCallWithAProgressTokenStreamsProgressThenTheResult() throws Exception {
        taskRunsThenSucceeds("t-stream", 2);
        try (SseStream stream = SseStream.post(env.server().port(), modernHeaders("application/json, text/event-stream",
                "t-stream"), modernCall("c-1", "t-stream", 1, true))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
            List<JsonNode> messages = new ArrayList<>();
            for (SseStream.Event e = stream.next(Duration.ofSeconds(15)); e != null; e = stream.next(Duration.ofSeconds(15))) {
                assertThat(e.raw()).doesNotContain("\nid:").doesNotStartWith("id:"); // nothing is resumable
                messages.add(JSON.readTree(e.data()));
            }
            assertThat(stream.ended()).isTrue();
            JsonNode last = messages.remove(messages.size() - 1);
            assertThat(last.get("id").asText()).isEqualTo("c-1");
            assertThat(last.get("result").get("resultType").asText()).isEqualTo("complete");
            assertThat(last.get("result").get("structuredContent").get("state").asText()).isEqualTo("Success");
            assertThat(messages).allSatisfy(m -> {
                assertThat(m.get("method").asText()).isEqualTo("notifications/progress");
                assertThat(m.get("params").get("progressToken").asText()).isEqualTo("tok-c-1");
            });
            assertThat(messages).extracting(m -> m.get("params").get("message").asText())
                    .contains("task render-42 (t-stream): FullyExecuting, 37%");
            List<Double> values = messages.stream().map(m -> m.get("params").get("progress").asDouble()).toList();
            assertThat(values).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void withoutAProgressTokenOrWithoutEventStreamTheAnswerIsOneJsonBody() throws Exception {
        taskRunsThenSucceeds("t-json", 1);
        try (SseStream noToken = SseStream.post(env.server().port(), modernHeaders("application/json, text/event-stream",
                "t-json"), modernCall("c-2", "t-json", 1, false))) {
            assertThat(noToken.header("Content-Type")).isEqualTo("application/json");
        }
        taskRunsThenSucceeds("t-json2", 1);
        try (SseStream jsonOnly = SseStream.post(env.server().port(), modernHeaders("application/json", "t-json2"),
                modernCall("c-3", "t-json2", 1, true))) {
            assertThat(jsonOnly.header("Content-Type")).isEqualTo("application/json");
            assertThat(jsonOnly.rest(Duration.ofSeconds(5))).contains("\"resultType\":\"complete\"", "Success");
        }
    }

    @Test
    void aQuietWaitSendsAHeartbeatAndClosingTheStreamCancelsIt() throws Exception {
        env.qarnot().stubFor(get(urlEqualTo("/tasks/t-long")).willReturn(okJson(task("t-long", "FullyExecuting", 12))));
        double before = cancelledCalls();
        try (SseStream stream = SseStream.post(env.server().port(), modernHeaders("application/json, text/event-stream",
                "t-long"), modernCall("c-4", "t-long", 40, true))) {
            long start = System.nanoTime();
            String heartbeat = null;
            while (heartbeat == null) {
                SseStream.Event e = stream.next(Duration.ofSeconds(12));
                assertThat(e).as("an event at least every 10 s (12 s with slack for a loaded machine)").isNotNull();
                String message = JSON.readTree(e.data()).get("params").get("message").asText();
                if (message.contains("still running after")) {
                    heartbeat = message;
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(heartbeat).startsWith("task render-42 (t-long): FullyExecuting, 12%");
            assertThat(polls("t-long")).isEqualTo(1); // the next poll would be 40 s after the first
        }
        awaitCancelled(before);
        assertThat(polls("t-long")).isEqualTo(1);
    }

    @Test
    void theLegacyNotificationsCancelledStopsTheCall() throws Exception {
        env.qarnot().stubFor(get(urlEqualTo("/tasks/t-cancel")).willReturn(okJson(task("t-cancel", "Submitted", 0))));
        double before = cancelledCalls();
        Map<String, String> h = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + KEY,
                "MCP-Protocol-Version", "2025-11-25");
        CompletableFuture<RawHttp.Response> call = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.send(env.server().port(), "POST", "/mcp", h, "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"wait_for_task\",\"arguments\":{\"uuid\":\"t-cancel\",\"pollSeconds\":3}}}");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, TestThreads.BLOCKING);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (polls("t-cancel") == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        // Another caller's cancellation of the same id does nothing.
        RawHttp.send(env.server().port(), "POST", "/mcp", Map.of("Content-Type", "application/json", "Authorization",
                "Bearer someone-else"), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":77}}");
        RawHttp.Response cancel = RawHttp.send(env.server().port(), "POST", "/mcp", h,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":77,\"reason\":\"user\"}}");
        assertThat(cancel.status()).isEqualTo(202);
        RawHttp.Response answer = call.get(5, TimeUnit.SECONDS);
        JsonNode result = JSON.readTree(answer.body()).get("result");
        assertThat(result.get("isError").asBoolean()).isTrue();
        assertThat(result.toString()).contains("cancelled by the client");
        awaitCancelled(before);
        assertThat(polls("t-cancel")).isEqualTo(1);
    }

    @Test
    void theJavaSdkClientReceivesProgressAndTheResult() throws Exception {
        taskRunsThenSucceeds("t-sdk", 2);
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(env.server().baseUrl())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + KEY)).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .progressConsumer(progress::add).build()) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("wait_for_task",
                    Map.of("uuid", "t-sdk", "pollSeconds", 1), Map.of("progressToken", "sdk-1")));
            assertThat(result.isError()).isFalse();
            assertThat(((Map<?, ?>) result.structuredContent()).get("state")).isEqualTo("Success");
        }
        assertThat(progress).extracting(McpSchema.ProgressNotification::message)
                .contains("task render-42 (t-sdk): FullyExecuting, 37%");
        assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("sdk-1"));
    }
}
