package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** A tool file added, edited, broken or removed while the server runs; no restart. */
class RouteReloadTest {

    static final Duration WITHIN = Duration.ofSeconds(15);

    @Test
    void addEditBreakAndRemoveAToolFileWhileTheServerRuns(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp.resolve("routes").toFile().mkdirs() ? tmp.resolve("routes") : tmp);
        try (RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", routes.path().toString(),
                "mcp.routes-reload", "true"));
                McpSyncClient client = server.clientWithKey("qk")) {
            assertThat(tool(client, "hello")).isEmpty();

            routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello", "hello v1"));
            awaitTool(client, "hello", t -> t.isPresent());
            assertThat(call(client, "hello")).isEqualTo("hello v1");

            routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello again", "hello v2"));
            awaitTool(client, "hello", t -> t.isPresent() && t.get().description().equals("Says hello again"));
            assertThat(call(client, "hello")).isEqualTo("hello v2");

            // A broken schema is refused: the last good version keeps serving.
            routes.write("hello.camel.yaml", RoutesDir.echoTool("hello", "Broken", "hello v3")
                    .replace("type: string", "type: strin"));
            routes.write("marker.camel.yaml", RoutesDir.echoTool("marker", "Marks that the reload ran", "m"));
            awaitTool(client, "marker", Optional::isPresent);
            assertThat(tool(client, "hello").orElseThrow().description()).isEqualTo("Says hello again");
            assertThat(call(client, "hello")).isEqualTo("hello v2");

            // So is a file that is not YAML at all.
            routes.write("hello.camel.yaml", "- route: [not: yaml");
            routes.write("marker.camel.yaml", RoutesDir.echoTool("marker", "Marks the second reload", "m"));
            awaitTool(client, "marker", t -> t.isPresent() && t.get().description().equals("Marks the second reload"));
            assertThat(call(client, "hello")).isEqualTo("hello v2");

            routes.delete("hello.camel.yaml");
            awaitTool(client, "hello", Optional::isEmpty);
            McpSchema.CallToolResult gone = client.callTool(new McpSchema.CallToolRequest("marker", Map.of()));
            assertThat(gone.isError()).isFalse();
        }
    }

    static Optional<McpSchema.Tool> tool(McpSyncClient client, String name) {
        return client.listTools().tools().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    static String call(McpSyncClient client, String name) {
        return text(client.callTool(new McpSchema.CallToolRequest(name, Map.of())));
    }

    /** Polls tools/list until the condition holds (bounded), as a client refreshing its list would. */
    static void awaitTool(McpSyncClient client, String name, Predicate<Optional<McpSchema.Tool>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.test(tool(client, name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tools/list did not reflect the change to " + name + " within " + WITHIN);
            }
            Thread.sleep(100);
        }
    }
}
