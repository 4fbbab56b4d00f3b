package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.TestThreads;

/** Stopping the server lets the calls in flight finish and turns new requests away with 503. */
class ShutdownDrainTest {

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void inFlightCallsFinishAndNewOnesGet503() throws Exception {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE).withFixedDelay(1500)));
        RunningServer server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl()));
        McpSyncClient client = server.clientWithKey("qk");
        CompletableFuture<McpSchema.CallToolResult> inFlight = CompletableFuture.supplyAsync(() ->
                client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())), TestThreads.BLOCKING);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (qarnot.findAll(anyRequestedFor(anyUrl())).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close, TestThreads.BLOCKING);
        RawHttp.Response refused = null;
        RawHttp.Response readiness = null;
        while (!stopping.isDone() && refused == null) {
            RawHttp.Response response = RawHttp.send(server.port(), "POST", "/mcp",
                    Map.of("Content-Type", "application/json"), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
            if (response.status() == 503) {
                refused = response;
                readiness = RawHttp.send(server.port(), "GET", "/observe/health/ready", Map.of(), null);
            } else {
                Thread.sleep(20);
            }
        }
        assertThat(refused).as("a request during the drain is refused").isNotNull();
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.body()).contains("shutting down");
        assertThat(readiness.status()).as("readiness during the drain").isEqualTo(503);
        assertThat(readiness.body()).contains("shutting down");
        assertThat(inFlight.get(20, TimeUnit.SECONDS).isError()).as("the call in flight finished").isFalse();
        stopping.get(30, TimeUnit.SECONDS);
    }

    /** Issue 13, "shutdown": calls longer than the drain get a real answer, never a closed connection. */
    @Test
    void callsStillRunningWhenTheDrainEndsAreToldTheServerIsRestarting() throws Exception {
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.LAST_PAGE).withFixedDelay(20_000)));
        qarnot.stubFor(get("/tasks/" + Fixtures.TASK_UUID).willReturn(okJson(Fixtures.TASK.replace("\"Failure\"", "\"FullyExecuting\""))));
        RunningServer server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "camel.main.shutdown-timeout", "2", "qarnot.read-timeout", "60s"));
        McpSyncClient client = server.clientWithKey("qk");
        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())), TestThreads.BLOCKING));
        }
        calls.add(CompletableFuture.supplyAsync(() -> client.callTool(new McpSchema.CallToolRequest("wait_for_task",
                Map.of("uuid", Fixtures.TASK_UUID, "timeoutSeconds", 200, "pollSeconds", 1))), TestThreads.BLOCKING));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((qarnot.findAll(postRequestedFor(anyUrl())).size() < 5 || qarnot.findAll(getRequestedFor(anyUrl())).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        server.close();
        long stopMillis = (System.nanoTime() - start) / 1_000_000;
        for (CompletableFuture<McpSchema.CallToolResult> call : calls) {
            McpSchema.CallToolResult result = call.get(20, TimeUnit.SECONDS);
            assertThat(result.isError()).isTrue();
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("The server is restarting", "call again");
        }
        assertThat(stopMillis).as("the stop waits for the drain, not for the 20 s calls").isLessThan(15_000);
    }
}
