package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.SseStream;

/** subscriptions/listen (2026-07-28): acknowledgement, only the asked-for notifications, route-file changes, limits, shutdown. */
class ListenStreamTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static SseStream listen(RunningServer server, Object id, Map<String, Object> notifications) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream");
        h.put("MCP-Protocol-Version", "2026-07-28");
        h.put("Mcp-Method", "subscriptions/listen");
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "subscriptions/listen",
                "params", Map.of("notifications", notifications, "_meta", Map.of(
                        "io.modelcontextprotocol/protocolVersion", "2026-07-28",
                        "io.modelcontextprotocol/clientCapabilities", Map.of()))));
        return SseStream.post(server.port(), h, body);
    }

    /** The next message that is not a keep-alive comment. */
    static JsonNode next(SseStream stream, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            SseStream.Event e = stream.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e == null) {
                return null;
            }
            if (!e.comment()) {
                return JSON.readTree(e.data());
            }
        }
        return null;
    }

    @Test
    void toolListChangesArePushedToTheStreamsThatAskedForThem(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", routes.path().toString(),
                "mcp.routes-reload", "true", "mcp.max-listen-streams", "2"));
        try (SseStream tools = listen(server, "L1", Map.of("toolsListChanged", true));
                SseStream prompts = listen(server, 2, Map.of("promptsListChanged", true))) {
            long opened = System.nanoTime();
            assertThat(tools.status()).isEqualTo(200);
            assertThat(tools.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(tools.header("X-Accel-Buffering")).isEqualTo("no");
            JsonNode ack = next(tools, Duration.ofSeconds(5));
            assertThat(ack.get("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(ack.get("params").get("_meta").get("io.modelcontextprotocol/subscriptionId").asText()).isEqualTo("L1");
            assertThat(ack.get("params").get("notifications").get("toolsListChanged").asBoolean()).isTrue();
            JsonNode promptsAck = next(prompts, Duration.ofSeconds(5));
            assertThat(promptsAck.get("params").get("notifications").size()).isZero(); // nothing of that kind here
            assertThat(promptsAck.get("params").get("_meta").get("io.modelcontextprotocol/subscriptionId").asInt()).isEqualTo(2);

            try (SseStream third = listen(server, 3, Map.of("toolsListChanged", true))) {
                assertThat(third.status()).isEqualTo(503);
                assertThat(third.header("Retry-After")).isNotNull();
            }

            long start = System.nanoTime();
            routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello", "hi"));
            JsonNode changed = next(tools, Duration.ofSeconds(15));
            assertThat(changed.get("method").asText()).isEqualTo("notifications/tools/list_changed");
            assertThat(changed.get("params").get("_meta").get("io.modelcontextprotocol/subscriptionId").asText()).isEqualTo("L1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            routes.delete("hello.camel.yaml");
            assertThat(next(tools, Duration.ofSeconds(15)).get("method").asText()).isEqualTo("notifications/tools/list_changed");
            assertThat(next(prompts, Duration.ofMillis(500))).as("no tool notifications on a prompts-only stream").isNull();

            // A quiet stream gets an SSE comment within 15 to 30 s (counted from the stream's start, about 20 s).
            SseStream.Event keepAlive = prompts.next(Duration.ofSeconds(30));
            assertThat(keepAlive).isNotNull();
            assertThat(keepAlive.comment()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(31));

            server.close();
            JsonNode closing = next(tools, Duration.ofSeconds(10));
            assertThat(closing.get("id").asText()).isEqualTo("L1");
            assertThat(closing.get("result").get("resultType").asText()).isEqualTo("complete");
            assertThat(closing.get("result").get("_meta").get("io.modelcontextprotocol/subscriptionId").asText()).isEqualTo("L1");
            assertThat(next(tools, Duration.ofSeconds(5))).isNull();
            assertThat(tools.ended()).isTrue();
        } finally {
            server.close();
        }
    }
}
