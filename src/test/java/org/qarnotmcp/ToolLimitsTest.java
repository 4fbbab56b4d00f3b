package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** Per-call timeout, the result cap, and route failures: each becomes a clear isError result. */
class ToolLimitsTest {

    @TempDir
    static Path tmp;
    static RunningServer server;
    static McpSyncClient client;

    @BeforeAll
    static void start() throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        routes.write("limits.camel.yaml", """
                - route:
                    id: slow_tool
                    from:
                      uri: mcp-tool:slow_tool
                      parameters:
                        description: Takes longer than its own timeout
                        timeout: 500ms
                      steps:
                        - delay:
                            constant: 3000
                        - setBody:
                            constant: too late
                - route:
                    id: big_tool
                    from:
                      uri: mcp-tool:big_tool
                      parameters:
                        description: Returns more text than the cap
                      steps:
                        - setBody:
                            groovy: "'x' * 5000"
                - route:
                    id: big_structured_tool
                    from:
                      uri: mcp-tool:big_structured_tool
                      parameters:
                        description: Returns a structured result larger than the cap
                        outputSchema: |
                          type: object
                          properties:
                            items: {type: array}
                      steps:
                        - setBody:
                            groovy: "[items: (1..1000).collect { [n: it] }]"
                - route:
                    id: map_tool
                    from:
                      uri: mcp-tool:map_tool
                      parameters:
                        description: Returns a map without declaring an output schema
                      steps:
                        - setBody:
                            groovy: "[answer: 42, words: ['a', 'b']]"
                - route:
                    id: broken_tool
                    from:
                      uri: mcp-tool:broken_tool
                      parameters:
                        description: Fails with an unexpected exception
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: "internal detail password=hunter2"
                - route:
                    id: simple_args_tool
                    from:
                      uri: mcp-tool:simple_args_tool
                      parameters:
                        description: Declares its arguments the ai-tool way
                        parameter.who: string
                        parameter.who.description: Who to greet
                        parameter.who.required: true
                        parameter.mood: string
                        parameter.mood.enum: happy,grumpy
                        parameter.times: integer
                      steps:
                        - setBody:
                            simple: "${variable.mood} hello ${variable.who} x${variable.times}"
                - route:
                    id: refusing_tool
                    from:
                      uri: mcp-tool:refusing_tool
                      parameters:
                        description: Refuses with a message for the model
                      steps:
                        - throwException:
                            exceptionType: org.qarnotmcp.ToolException
                            message: "That cannot be done; try list_tasks first."
                """);
        server = RunningServer.start(Map.of("mcp.routes-dir", tmp.toString(), "mcp.result-max-chars", "1000"));
        client = server.clientWithKey("qk");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    CallToolResult call(String tool) {
        return client.callTool(new McpSchema.CallToolRequest(tool, Map.of()));
    }

    @Test
    void aHungRouteBecomesATimeoutResult() {
        long start = System.nanoTime();
        CallToolResult result = call("slow_tool");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("did not finish within", "slow_tool");
    }

    @Test
    void longTextIsCutWithANoteOnHowToGetTheRest() {
        CallToolResult result = call("big_tool");
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).startsWith("x".repeat(1000) + "\n\n[Result truncated: showing the first 1000 of 5000")
                .contains("ask for less");
    }

    @Test
    void anOversizedStructuredResultIsAnErrorWithTheNote() {
        CallToolResult result = call("big_structured_tool");
        assertThat(result.isError()).isTrue();
        assertThat(result.structuredContent()).isNull();
        assertThat(text(result)).contains("[Result truncated");
    }

    @Test
    void aMapWithoutOutputSchemaIsJsonTextOnly() {
        CallToolResult result = call("map_tool");
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("{\"answer\":42,\"words\":[\"a\",\"b\"]}");
        assertThat(result.structuredContent()).isNull();
    }

    @Test
    void anUnexpectedExceptionGivesAReferenceNotItsMessage() {
        CallToolResult result = call("broken_tool");
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("internal error", "reference").doesNotContain("hunter2", "IllegalState", "at org.");
        assertThat(call("map_tool").isError()).isFalse();
    }

    @Test
    void aiToolStyleParametersBecomeASchemaThatIsEnforced() {
        McpSchema.Tool tool = client.listTools().tools().stream().filter(t -> t.name().equals("simple_args_tool"))
                .findFirst().orElseThrow();
        assertThat(tool.inputSchema()).containsEntry("required", java.util.List.of("who"))
                .containsEntry("additionalProperties", false);
        assertThat(ToolCallsTest.map(ToolCallsTest.map(tool.inputSchema().get("properties")).get("mood")))
                .containsEntry("enum", java.util.List.of("happy", "grumpy"));
        assertThat(text(client.callTool(new McpSchema.CallToolRequest("simple_args_tool",
                Map.of("who", "Ada", "mood", "happy", "times", 2))))).isEqualTo("happy hello Ada x2");
        CallToolResult wrong = client.callTool(new McpSchema.CallToolRequest("simple_args_tool", Map.of("mood", "sad")));
        assertThat(wrong.isError()).isTrue();
        assertThat(text(wrong)).contains("who", "/mood");
    }

    @Test
    void aToolExceptionMessageIsPassedToTheModelAsIs() {
        CallToolResult result = call("refusing_tool");
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).isEqualTo("That cannot be done; try list_tasks first.");
    }
}
