package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;

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
                client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (qarnot.findAll(anyRequestedFor(anyUrl())).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
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
}
