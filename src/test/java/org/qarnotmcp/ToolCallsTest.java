package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.ServerWithQarnot;

/** The three tools end to end: MCP Java SDK client, real server, WireMock as Qarnot. */
class ToolCallsTest {

    static final String KEY = "qk-test-3f9a2c";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot(KEY);
    static WireMockServer qarnot;
    static RunningServer server;
    static McpSyncClient client;

    @BeforeEach
    void bind() {
        qarnot = env.qarnot();
        server = env.server();
        client = env.client();
    }

    @Test
    void initializeNamesTheServerAndNegotiatesTheLatestVersion() {
        McpSchema.InitializeResult init = server.clientWithKey(KEY).initialize();
        assertThat(init.serverInfo().name()).isEqualTo("Qarnot-Manager");
        assertThat(init.serverInfo().version()).isEqualTo(Versions.PROJECT).isNotEqualTo("dev");
        assertThat(init.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.capabilities().logging()).isNull();
    }

    @Test
    void listsTheThreeToolsWithDescriptionsSchemasAndAnnotations() {
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).contains("list_tasks", "submit_job", "get_logs");
        McpSchema.Tool logs = tools.stream().filter(t -> t.name().equals("get_logs")).findFirst().orElseThrow();
        assertThat(logs.description()).contains("last lines");
        assertThat(logs.inputSchema()).containsEntry("type", "object").containsEntry("required", List.of("uuid"));
        assertThat(map(logs.inputSchema().get("properties")).keySet())
                .containsExactlyInAnyOrder("uuid", "stream", "instanceId", "tailLines", "fresh");
        assertThat(logs.annotations().readOnlyHint()).isTrue();
        McpSchema.Tool submit = tools.stream().filter(t -> t.name().equals("submit_job")).findFirst().orElseThrow();
        assertThat(submit.annotations().readOnlyHint()).isFalse();
        assertThat(submit.annotations().title()).isEqualTo("Submit a job");
        assertThat(submit.outputSchema()).containsEntry("type", "object");
    }

    @Test
    void listTasksSendsThePaginateRequestAndReturnsCompactSummaries() {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("list_tasks",
                Map.of("states", List.of("Success", "FullyExecuting"), "tags", List.of("render"), "pageSize", 2)));

        assertThat(result.isError()).isFalse();
        qarnot.verify(1, postRequestedFor(urlEqualTo("/tasks/summaries/paginate")).withRequestBody(equalToJson("""
                {"token": null, "maximumResults": 2, "orderBy": "creationDate", "orderType": "DESC",
                 "filter": {"operator": "And", "filters": [
                    {"operator": "In", "field": "State", "values": ["Success", "FullyExecuting"]},
                    {"operator": "Or", "filters": [{"operator": "Equal", "field": "Tags", "value": "render"}]}]}}
                """)));
        Map<?, ?> structured = (Map<?, ?>) result.structuredContent();
        assertThat(structured.get("count")).isEqualTo(2);
        assertThat(structured.get("total")).isEqualTo(37);
        assertThat(structured.get("nextPageToken")).isEqualTo("5ed67ba6d1f1b90d3aff497b");
        List<?> tasks = (List<?>) structured.get("tasks");
        assertThat(map(tasks.get(0))).containsEntry("uuid", Fixtures.TASK_UUID).containsEntry("state", "Success")
                .doesNotContainKeys("shortname", "poolUuid", "previousState", "runningCoreCount");
        assertThat(map(tasks.get(1))).containsEntry("shortname", "render-1").containsEntry("runningInstanceCount", 3);
        assertThat(text(result)).contains("\"nextPageToken\":\"5ed67ba6d1f1b90d3aff497b\"");
    }

    @Test
    void listTasksPassesThePageTokenAndOmitsItOnTheLastPage() {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE)));

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("list_tasks",
                Map.of("pageToken", "5ed67ba6d1f1b90d3aff497b")));

        qarnot.verify(postRequestedFor(urlEqualTo("/tasks/summaries/paginate")).withRequestBody(equalToJson(
                "{\"token\": \"5ed67ba6d1f1b90d3aff497b\", \"maximumResults\": 20, \"orderBy\": \"creationDate\","
                        + " \"orderType\": \"DESC\", \"filter\": null}")));
        assertThat(map(result.structuredContent())).doesNotContainKey("nextPageToken").containsEntry("count", 0);
    }

    @Test
    void theUpstreamReceivesExactlyTheKeyHeadersAndNoArgumentOrMcpHeader() {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));

        client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of("tags", List.of("x"), "pageSize", 3)));

        LoggedRequest request = qarnot.findAll(postRequestedFor(urlEqualTo("/tasks/summaries/paginate"))).get(0);
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(request.getAllHeaderKeys());
        // Our headers: the key twice, Accept, User-Agent, Content-Type. The rest is HTTP/1.1 framing by the client.
        assertThat(names).containsExactlyInAnyOrder("Authorization", "X-Api-Key", "Accept", "User-Agent",
                "Content-Type", "Content-Length", "Host", "Connection", "Accept-Encoding");
        assertThat(request.getHeader("Authorization")).isEqualTo(KEY);
        assertThat(request.getHeader("X-Api-Key")).isEqualTo(KEY);
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getHeader("User-Agent")).isEqualTo("qarnot-mcp/" + Versions.PROJECT);
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void submitJobCreatesADockerTaskAndReturnsItsUuidAndASummary() {
        qarnot.stubFor(post("/tasks").willReturn(okJson(Fixtures.CREATED)));

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of(
                "name", "hello", "dockerImage", "library/ubuntu:22.04", "command", "echo hello from ${INSTANCE_ID}",
                "instanceCount", 2, "tags", List.of("demo"), "constants", Map.of("GREETING", "hi"))));

        assertThat(result.isError()).isFalse();
        qarnot.verify(1, postRequestedFor(urlEqualTo("/tasks")).withRequestBody(equalToJson("""
                {"name": "hello", "profile": "docker-batch", "instanceCount": 2, "tags": ["demo"],
                 "constants": [{"key": "DOCKER_REPO", "value": "library/ubuntu"}, {"key": "DOCKER_TAG", "value": "22.04"},
                               {"key": "DOCKER_CMD", "value": "echo hello from ${INSTANCE_ID}"},
                               {"key": "GREETING", "value": "hi"}]}
                """)));
        Map<?, ?> structured = (Map<?, ?>) result.structuredContent();
        assertThat(structured.get("uuid")).isEqualTo("cddbc5ab-c44d-4c49-9421-0ab795613da7");
        assertThat(structured.get("summary").toString()).contains("'hello'", "2 instances", "library/ubuntu:22.04",
                "docker-batch", "cddbc5ab-c44d-4c49-9421-0ab795613da7");
    }

    @Test
    void submitJobFromAProfileSendsNoDockerConstants() {
        qarnot.stubFor(post("/tasks").willReturn(okJson(Fixtures.CREATED)));

        client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of("name", "blender", "profile", "blender-2.9")));

        qarnot.verify(postRequestedFor(urlEqualTo("/tasks")).withRequestBody(equalToJson(
                "{\"name\": \"blender\", \"profile\": \"blender-2.9\", \"instanceCount\": 1, \"constants\": [], \"tags\": []}")));
    }

    @Test
    void submitJobWithNeitherProfileNorImageSaysWhatToSendAndCallsNothing() {
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of("name", "x")));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("dockerImage", "profile");
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void getLogsReturnsTheLastLinesOfOneInstance() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            log.append("line ").append(i).append('\n');
        }
        qarnot.stubFor(WireMock.get("/tasks/" + Fixtures.TASK_UUID + "/stderr/3").willReturn(aResponse()
                .withHeader("Content-Type", "text/plain").withBody(log.toString())));

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of(
                "uuid", Fixtures.TASK_UUID, "stream", "stderr", "instanceId", 3, "tailLines", 3)));

        assertThat(result.isError()).isFalse();
        assertThat(text(result)).isEqualTo("stderr of task " + Fixtures.TASK_UUID + " instance 3: last 3 of 500 lines\n"
                + "line 498\nline 499\nline 500");
        qarnot.verify(1, getRequestedFor(urlEqualTo("/tasks/" + Fixtures.TASK_UUID + "/stderr/3"))
                .withHeader("Authorization", equalTo(KEY)));
    }

    @Test
    void getLogsUsesThePostVariantOnlyWhenFreshIsAsked() {
        qarnot.stubFor(post("/tasks/my-task/stdout").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("new line\n")));
        qarnot.stubFor(WireMock.get("/tasks/my-task/stdout").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("")));

        CallToolResult fresh = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of("uuid", "my-task", "fresh", true)));
        CallToolResult plain = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of("uuid", "my-task")));

        assertThat(text(fresh)).contains("new since the previous fresh read").endsWith("new line");
        assertThat(text(plain)).isEqualTo("The stdout of task my-task is empty so far.");
        qarnot.verify(1, postRequestedFor(urlEqualTo("/tasks/my-task/stdout")));
        qarnot.verify(1, getRequestedFor(urlEqualTo("/tasks/my-task/stdout")));
    }

    @Test
    void invalidArgumentsComeBackAsOneResultListingEachViolation() {
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of(
                "uuid", "../pools", "stream", "stdin", "tailLines", 0, "colour", "red")));

        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("Invalid arguments for get_logs")
                .contains("/uuid", "/stream", "/tailLines", "colour");
        assertThat(text(result).lines().filter(l -> l.startsWith("- ")).count()).isEqualTo(4);
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMissingRequiredArgumentIsNamed() {
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of()));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("uuid");
    }

    @Test
    void withoutAKeyToolsAreListedButCallsSayWhatToSendAndNothingReachesQarnot() {
        try (McpSyncClient anonymous = server.client(null)) {
            assertThat(anonymous.listTools().tools()).isNotEmpty();
            CallToolResult result = anonymous.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("No Qarnot API key", "Authorization: Bearer <your Qarnot API key>");
        }
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qk-test-3f9a2c", "Basic qk-test-3f9a2c", "Bearer", "Bearer ", "Bearer qk test", "Bearer  qk"})
    void aMalformedAuthorizationHeaderIsRefusedWithoutCallingQarnot(String header) {
        try (McpSyncClient malformed = server.client(header)) {
            CallToolResult result = malformed.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Authorization: Bearer <your Qarnot API key>");
        }
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anAbsurdlyLongTokenIsRefused() {
        try (McpSyncClient malformed = server.client("Bearer " + "k".repeat(5000))) {
            CallToolResult result = malformed.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("5000 characters", "at most 512");
        }
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
