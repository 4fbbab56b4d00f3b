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
import org.qarnotmcp.support.LogCapture;
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

    /**
     * Issue 13, "reload": a file repeating another file's tool name or route id is refused with one line naming both
     * files while the existing tool keeps serving; deleting it leaves later reloads working; a Groovy syntax error
     * and a bad schema pattern are refused at reload, each in one line naming the file, the tool and the property.
     */
    @Test
    void collisionsAndBadScriptsAreRefusedAndNothingWedges(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp.resolve("routes").toFile().mkdirs() ? tmp.resolve("routes") : tmp);
        routes.write("alpha.camel.yaml", RoutesDir.echoTool("alpha", "Alpha", "alpha v1"));
        try (LogCapture log = LogCapture.of("org.qarnotmcp.tool.CheckedRouteReloadStrategy");
                RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", routes.path().toString(),
                        "mcp.routes-reload", "true"));
                McpSyncClient client = server.clientWithKey("qk")) {
            assertThat(call(client, "alpha")).isEqualTo("alpha v1");

            // Same tool name, other route id: refused, naming both files; then the file is deleted.
            routes.write("copy.camel.yaml", RoutesDir.echoTool("alpha", "Impostor", "impostor").replace("id: alpha", "id: copy"));
            awaitLine(log, "copy.camel.yaml");
            assertThat(lineWith(log, "copy.camel.yaml")).contains("tool name 'alpha' is already defined in", "alpha.camel.yaml");
            routes.delete("copy.camel.yaml");

            // Same route id, other tool name: refused too, and alpha keeps its reply.
            routes.write("thief.camel.yaml", RoutesDir.echoTool("alpha", "Thief", "thief").replace("mcp-tool:alpha", "mcp-tool:thief"));
            awaitLine(log, "thief.camel.yaml");
            assertThat(lineWith(log, "thief.camel.yaml")).contains("route id 'alpha' is already used by", "alpha.camel.yaml");
            assertThat(tool(client, "thief")).isEmpty();
            assertThat(call(client, "alpha")).isEqualTo("alpha v1");
            routes.delete("thief.camel.yaml");

            // Later edits still apply (no FileNotFoundException for the deleted files).
            routes.write("beta.camel.yaml", RoutesDir.echoTool("beta", "Beta", "beta v1"));
            awaitTool(client, "beta", Optional::isPresent);
            routes.write("alpha.camel.yaml", RoutesDir.echoTool("alpha", "Alpha again", "alpha v2"));
            awaitTool(client, "alpha", t -> t.isPresent() && t.get().description().equals("Alpha again"));
            assertThat(call(client, "alpha")).isEqualTo("alpha v2");

            // A Groovy syntax error is refused at reload, not found at call time.
            routes.write("script.camel.yaml", RoutesDir.echoTool("script", "Script", "x")
                    .replace("constant: \"x\"", "groovy: \"[a: 1\""));
            awaitLine(log, "script.camel.yaml");
            assertThat(lineWith(log, "script.camel.yaml")).contains("Tool 'script'", "groovy script at route.from.steps[0].setBody.groovy",
                    "does not compile", "line 1");
            assertThat(tool(client, "script")).isEmpty();
            routes.write("script.camel.yaml", RoutesDir.echoTool("script", "Script", "x").replace("constant: \"x\"", "groovy: \"'fixed'\""));
            awaitTool(client, "script", Optional::isPresent);
            assertThat(call(client, "script")).isEqualTo("fixed");

            // A bad pattern is named in one line: file, tool and property.
            routes.write("pattern.camel.yaml", RoutesDir.echoTool("pattern", "Pattern", "p").replace("^[a-z]+$", "^[a-z+$"));
            awaitLine(log, "pattern.camel.yaml");
            assertThat(lineWith(log, "pattern.camel.yaml")).contains("Tool 'pattern'", "argSchema", "/properties/word",
                    "not a valid regular expression").doesNotContain("\n");
            assertThat(log.lines()).noneMatch(line -> line.contains("FileNotFoundException"));
        }
    }

    static String lineWith(LogCapture log, String text) {
        return log.lines().stream().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    static void awaitLine(LogCapture log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (log.lines().stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no reload log line about " + text + " within " + WITHIN + ": " + log.lines());
            }
            Thread.sleep(50);
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
