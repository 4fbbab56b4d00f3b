package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.ServerWithQarnot;

/** Every way Qarnot can refuse or fail becomes an isError result that says what to do; the server keeps serving. */
class QarnotErrorMappingTest {

    static final String PAGINATE = "/tasks/summaries/paginate";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-errors")
            .with("qarnot.read-timeout", "1s")
            .with("qarnot.max-retries", "3")
            .with("qarnot.retry-max-wait", "2s");
    static WireMockServer qarnot;
    static RunningServer server;
    static McpSyncClient client;

    @BeforeEach
    void bind() {
        qarnot = env.qarnot();
        server = env.server();
        client = env.client();
    }

    CallToolResult listTasks() {
        return client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
    }

    @Test
    void rejectedKeyIsAToolErrorNotAnHttp401() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody(Fixtures.BAD_TOKEN)));
        CallToolResult result = listTasks();
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("Qarnot rejected the API key", "Bad authentication token", "Access token");
    }

    @Test
    void notEnoughCredits() {
        qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(402).withBody("{\"message\":\"Not enough credits\"}")));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job",
                Map.of("name", "x", "dockerImage", "ubuntu")));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("not have enough credits", "Not enough credits");
    }

    @Test
    void quotaReached() {
        qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(403)
                .withBody("{\"message\":\"Maximum number of tasks reached\"}")));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job",
                Map.of("name", "x", "dockerImage", "ubuntu")));
        assertThat(text(result)).contains("quota is reached", "Maximum number of tasks reached", "Delete finished tasks");
    }

    @Test
    void forbidden() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(403).withBody("{\"message\":\"Forbidden\"}")));
        assertThat(text(listTasks())).contains("forbids this request", "Forbidden");
    }

    @Test
    void notFoundNamesTheTaskAndTheToolThatListsTasks() {
        qarnot.stubFor(WireMock.get("/tasks/gone/stdout").willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"No such task: gone\"}")));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of("uuid", "gone")));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("No task 'gone'", "list_tasks", "No such task: gone");
    }

    @Test
    void problemDetailsOn400AreSummarised() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(400).withHeader("Content-Type",
                "application/problem+json").withBody("{\"title\":\"One or more validation errors occurred.\",\"status\":400,"
                + "\"errors\":{\"maximumResults\":[\"The value 'abc' is not valid.\"]}}")));
        assertThat(text(listTasks())).contains("invalid", "One or more validation errors occurred.",
                "maximumResults: The value 'abc' is not valid.");
    }

    @Test
    void rateLimitedThenSuccessIsRetriedTransparently() {
        qarnot.stubFor(post(PAGINATE).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("ok"));
        qarnot.stubFor(post(PAGINATE).inScenario("429").whenScenarioStateIs("ok").willReturn(okJson(Fixtures.LAST_PAGE)));
        CallToolResult result = listTasks();
        assertThat(result.isError()).isFalse();
        qarnot.verify(2, postRequestedFor(urlEqualTo(PAGINATE)));
    }

    @Test
    void retryAfterIsHonoured() {
        qarnot.stubFor(post(PAGINATE).inScenario("503").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        qarnot.stubFor(post(PAGINATE).inScenario("503").whenScenarioStateIs("ok").willReturn(okJson(Fixtures.LAST_PAGE)));
        long start = System.nanoTime();
        assertThat(listTasks().isError()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aRetryAfterLongerThanTheAllowedWaitIsReportedAtOnce() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        CallToolResult result = listTasks();
        assertThat(text(result)).contains("rate-limiting", "wait 120 s");
        qarnot.verify(1, postRequestedFor(urlEqualTo(PAGINATE)));
    }

    @Test
    void persistentServerErrorsAreRetriedABoundedNumberOfTimes() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(500).withBody("{\"message\":\"boom\"}")));
        CallToolResult result = listTasks();
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("server error", "HTTP 500: boom", "persisted after retries");
        qarnot.verify(4, postRequestedFor(urlEqualTo(PAGINATE)));
    }

    @Test
    void aCreateThatFailedWith500IsNotRepeatedSoNoDuplicateTaskIsMade() {
        qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(500)));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job",
                Map.of("name", "x", "dockerImage", "ubuntu")));
        assertThat(result.isError()).isTrue();
        qarnot.verify(1, postRequestedFor(urlEqualTo("/tasks")));
    }

    @Test
    void aSlowQarnotTimesOutWithAClearMessage() {
        qarnot.stubFor(post(PAGINATE).willReturn(okJson(Fixtures.LAST_PAGE).withFixedDelay(3000)));
        CallToolResult result = listTasks();
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("did not answer within 1 s");
    }

    @Test
    void invalidJsonFromQarnotIsReported() {
        qarnot.stubFor(post(PAGINATE).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"data\": [")));
        CallToolResult result = listTasks();
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("not valid JSON");
    }

    @Test
    void connectionRefusedIsReportedAndTheServerKeepsServing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RunningServer unreachable = RunningServer.start(Map.of("qarnot.base-url", "http://127.0.0.1:" + closedPort));
                McpSyncClient other = unreachable.clientWithKey("qk")) {
            CallToolResult result = other.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Could not connect to Qarnot at 127.0.0.1:" + closedPort);
            assertThat(other.listTools().tools()).isNotEmpty();
        }
    }
}
