package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.LogCapture;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** The audit trail at the wire: one JSON line on qarnotmcp.audit per call of a tool that changes something. */
class AuditLogTest {

    static final String KEY = "qk-audit-CANARY-7d1e";
    static final String USER_AGENT = "audit-test-client/1.2";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static WireMockServer qarnot;
    static RunningServer server;
    static McpSyncClient client;
    static LogCapture audit;

    @BeforeAll
    static void start() throws Exception {
        qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        RoutesDir routes = new RoutesDir(Files.createDirectories(tmp.resolve("routes")));
        for (String tool : List.of("submit_job", "abort_task", "get_task", "shapes")) {
            Files.copy(Path.of("routes", tool + ".camel.yaml"), routes.path().resolve(tool + ".camel.yaml"));
        }
        // A tool like the storage ones (bucket, key, content), not named anywhere in the audit code.
        routes.write("put_thing.camel.yaml", """
                - route:
                    id: put_thing
                    from:
                      uri: mcp-tool:put_thing
                      parameters:
                        description: Stores a thing.
                        readOnlyHint: false
                        argSchema: |
                          type: object
                          properties:
                            bucket: {type: string, description: Where.}
                            key: {type: string, description: Under which name.}
                            content: {type: string, description: What.}
                        outputSchema: |
                          type: object
                          properties:
                            bucket: {type: string}
                            key: {type: string}
                      steps:
                        - setBody:
                            groovy: "[bucket: variables.bucket, key: variables.key]"
                """);
        // A change that outlives its call timeout: the line tells what it really did.
        routes.write("slow_change.camel.yaml", """
                - route:
                    id: slow_change
                    from:
                      uri: mcp-tool:slow_change
                      parameters:
                        description: Changes something slowly.
                        readOnlyHint: false
                        timeout: 300ms
                        outputSchema: |
                          type: object
                          properties:
                            uuid: {type: string}
                      steps:
                        - delay:
                            constant: 1200
                        - setBody:
                            groovy: "[uuid: 'made-late']"
                """);
        audit = LogCapture.of("qarnotmcp.audit");
        server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(), "mcp.routes-dir", routes.path().toString()));
        client = server.clientWithHeaders(Map.of("Authorization", "Bearer " + KEY, "User-Agent", USER_AGENT));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        qarnot.stop();
        audit.close();
    }

    @Test
    void aCreateWritesWhoWhatTheNewIdTheOutcomeAndQarnotsStatus() throws Exception {
        qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(Fixtures.CREATED)));
        int before = audit.lines().size();
        client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of("name", "render-42", "dockerImage", "ubuntu",
                "command", "echo SECRET-COMMAND", "constants", Map.of("TOKEN_LIKE", "SECRET-CONSTANT"))));
        Map<String, Object> line = onlyNewLine(before);
        assertThat(line).containsEntry("log", "audit").containsEntry("tool", "submit_job")
                .containsEntry("client", USER_AGENT).containsEntry("outcome", "ok").containsEntry("qarnotStatus", 201)
                .containsEntry("ids", Map.of("name", "render-42"))
                .containsEntry("resultIds", Map.of("uuid", "cddbc5ab-c44d-4c49-9421-0ab795613da7"))
                .containsKeys("time", "durationMs");
        assertThat((String) line.get("user")).matches("u-[0-9a-f]{12}");
        assertThat(audit.lines().get(before)).doesNotContain("CANARY", "SECRET-COMMAND", "SECRET-CONSTANT", "ubuntu");
    }

    @Test
    void aRefusalByQarnotIsWrittenWithItsStatusAndReadsAreNotWritten() throws Exception {
        qarnot.stubFor(post("/tasks/" + Fixtures.TASK_UUID + "/abort").willReturn(aResponse().withStatus(404)));
        qarnot.stubFor(get("/tasks/" + Fixtures.TASK_UUID).willReturn(okJson(Fixtures.TASK)));
        int before = audit.lines().size();
        client.callTool(new McpSchema.CallToolRequest("get_task", Map.of("uuid", Fixtures.TASK_UUID)));
        assertThat(audit.lines()).hasSize(before);
        client.callTool(new McpSchema.CallToolRequest("abort_task", Map.of("uuid", Fixtures.TASK_UUID)));
        assertThat(onlyNewLine(before)).containsEntry("tool", "abort_task").containsEntry("outcome", "upstream_4xx")
                .containsEntry("qarnotStatus", 404).containsEntry("ids", Map.of("uuid", Fixtures.TASK_UUID));
        // Refused before running: written too, with no Qarnot status.
        before = audit.lines().size();
        client.callTool(new McpSchema.CallToolRequest("abort_task", Map.of("uuid", "../etc")));
        assertThat(onlyNewLine(before)).containsEntry("outcome", "invalid_arguments").containsEntry("qarnotStatus", null);
    }

    @Test
    void aNewToolIsCoveredByItsAnnotationAndFileContentsAreNeverWritten() throws Exception {
        int before = audit.lines().size();
        client.callTool(new McpSchema.CallToolRequest("put_thing", Map.of("bucket", "results", "key", "out/a.txt",
                "content", "FILE-CONTENT-CANARY")));
        Map<String, Object> line = onlyNewLine(before);
        assertThat(line).containsEntry("tool", "put_thing").containsEntry("ids", Map.of("bucket", "results", "key", "out/a.txt"))
                .containsEntry("outcome", "ok");
        assertThat(audit.lines().get(before)).doesNotContain("FILE-CONTENT-CANARY");
    }

    @Test
    void aCallThatTimesOutIsWrittenWhenItsRouteReallyEnds() throws Exception {
        int before = audit.lines().size();
        McpSchema.CallToolResult answer = client.callTool(new McpSchema.CallToolRequest("slow_change", Map.of()));
        assertThat(answer.isError()).isTrue();
        assertThat(audit.lines()).hasSize(before); // the route still runs
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (audit.lines().size() == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(onlyNewLine(before)).containsEntry("outcome", "ok").containsEntry("answered", "timeout")
                .containsEntry("resultIds", Map.of("uuid", "made-late"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyNewLine(int before) throws Exception {
        List<String> lines = audit.lines();
        assertThat(lines).hasSize(before + 1);
        return JSON.readValue(lines.get(before), Map.class);
    }
}
