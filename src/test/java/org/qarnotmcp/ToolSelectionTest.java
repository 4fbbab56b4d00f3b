package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.LogCapture;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** MCP_READ_ONLY, MCP_TOOLS and MCP_TOOLS_EXCLUDE at the wire: what tools/list shows and what a call gets. */
class ToolSelectionTest {

    @Test
    void readOnlyModeListsAndRunsOnlyToolsAnnotatedReadOnly() throws Exception {
        WireMockServer qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        try (RunningServer server = RunningServer.start(Map.of("mcp.read-only", "true", "qarnot.base-url", qarnot.baseUrl()));
                McpSyncClient client = server.clientWithKey("qk-readonly")) {
            List<McpSchema.Tool> listed = client.listTools().tools();
            // Every route file's own annotation decides, not a list kept here.
            assertThat(listed).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(readOnlyToolsOnDisk());
            assertThat(listed).allSatisfy(t -> assertThat(t.annotations().readOnlyHint()).isTrue());
            assertThat(listed).extracting(McpSchema.Tool::name).contains("get_task", "list_tasks")
                    .doesNotContain("submit_job", "delete_task", "abort_task", "create_job");

            qarnot.stubFor(get("/tasks/" + Fixtures.TASK_UUID).willReturn(okJson(Fixtures.TASK)));
            McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("uuid", Fixtures.TASK_UUID)));
            assertThat(read.isError()).isFalse();

            qarnot.resetAll();
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("delete_task", Map.of("uuid", Fixtures.TASK_UUID))))
                    .isInstanceOf(McpError.class)
                    .hasMessageContaining("Unknown tool 'delete_task'")
                    .hasMessageContaining("read-only mode (MCP_READ_ONLY=true)")
                    .hasMessageContaining("tools/list offers " + listed.size() + ": ")
                    .hasMessageContaining("get_task");
            assertThat(qarnot.findAll(anyRequestedFor(anyUrl()))).isEmpty();
        } finally {
            qarnot.stop();
        }
    }

    @Test
    void unknownToolAnswerNamesTheToolAndWhatIsOffered() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of());
                McpSyncClient client = server.clientWithKey("qk-unknown")) {
            int offered = client.listTools().tools().size();
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("get_taks", Map.of())))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32602);
                        assertThat(e.getJsonRpcError().data()).isEqualTo(Map.of("tool", "get_taks",
                                "offered", client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList()));
                    })
                    .hasMessageContaining("Unknown tool 'get_taks': this server has no tool of that name. tools/list offers "
                            + offered + ": abort_task, clone_task")
                    .hasMessageNotContaining("invalid_tool_name");
        }
    }

    @Test
    void namesAndGlobsSelectAtStartAndOnEveryReloadAndTheListIsLoggedOnce(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(Files.createDirectories(tmp.resolve("routes")));
        routes.write("get_one.camel.yaml", RoutesDir.echoTool("get_one", "One", "1"));
        routes.write("get_two.camel.yaml", RoutesDir.echoTool("get_two", "Two", "2"));
        routes.write("list_things.camel.yaml", RoutesDir.echoTool("list_things", "Things", "t"));
        routes.write("other.camel.yaml", RoutesDir.echoTool("other", "Other", "o"));
        try (LogCapture log = LogCapture.of("org.qarnotmcp.tool.ToolRegistry");
                RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", routes.path().toString(),
                        "mcp.routes-reload", "true", "mcp.tools", "get_*,list_things,nothing_?",
                        "mcp.tools-exclude", "get_two"));
                McpSyncClient client = server.clientWithKey("qk-select")) {
            assertThat(names(client)).containsExactly("get_one", "list_things");
            assertThat(selectionLines(log)).containsExactly("Tools offered (2 of 4; MCP_READ_ONLY=false, "
                    + "MCP_TOOLS=get_*,list_things,nothing_?, MCP_TOOLS_EXCLUDE=get_two): get_one, list_things; "
                    + "held back: get_two, other; patterns matching no tool: nothing_?");
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("other", Map.of())))
                    .hasMessageContaining("Unknown tool 'other': this server offers only the tools MCP_TOOLS selects "
                            + "(get_*,list_things,nothing_?). tools/list offers 2: get_one, list_things.");
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("get_two", Map.of())))
                    .hasMessageContaining("MCP_TOOLS_EXCLUDE (get_two) leaves it out");

            // A file added while the server runs goes through the same selection.
            routes.write("get_three.camel.yaml", RoutesDir.echoTool("get_three", "Three", "3"));
            routes.write("unselected.camel.yaml", RoutesDir.echoTool("unselected", "Not selected", "u"));
            RouteReloadTest.awaitTool(client, "get_three", Optional::isPresent);
            assertThat(names(client)).containsExactly("get_one", "get_three", "list_things");
            awaitLine(log, "unselected");
            List<String> lines = selectionLines(log);
            // One line per change (the two files may land in one reload or two), never the same line twice.
            assertThat(lines).doesNotHaveDuplicates().hasSizeBetween(2, 3);
            assertThat(lines.get(lines.size() - 1)).startsWith("Tools offered (3 of 6;")
                    .contains(": get_one, get_three, list_things; held back: get_two, other, unselected;");
        }
    }

    @Test
    void aBadPatternStopsTheStartWithTheSettingNamed() {
        assertThatThrownBy(() -> RunningServer.start(Map.of("mcp.tools", "get_task,list tasks")).close())
                .hasStackTraceContaining("MCP_TOOLS has 'list tasks', which is not a tool name or glob");
    }

    private static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
    }

    private static List<String> selectionLines(LogCapture log) {
        return log.lines().stream().filter(l -> l.startsWith("Tools offered")).toList();
    }

    private static void awaitLine(LogCapture log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + RouteReloadTest.WITHIN.toNanos();
        while (selectionLines(log).stream().noneMatch(l -> l.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The tools in routes/ whose file says readOnlyHint: true. */
    static List<String> readOnlyToolsOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(ToolSelectionTest::read)
                    .filter(y -> y.contains("mcp-tool:") && y.matches("(?s).*\\n\\s*readOnlyHint: true\\b.*"))
                    .map(y -> y.replaceAll("(?s).*uri: mcp-tool:([A-Za-z0-9_.-]+).*", "$1"))
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
