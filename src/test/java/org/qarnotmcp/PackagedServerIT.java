package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;

/**
 * The packaged server, started with the README's command ({@code bin/qarnot-mcp}, the launcher) and logging at
 * TRACE, handles successful and failing calls made with a canary key; the canary must appear nowhere in its output.
 */
class PackagedServerIT {

    static final String CANARY = "CANARY-7f3e9b1d-qarnot-key";

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void noSecretInAnyLogLineAtAnyLevel() throws Exception {
        Path basedir = Path.of(System.getProperty("project.basedir", "."));
        Path log = basedir.resolve("target/it-server.log");
        int port = AvailablePortFinder.getNextAvailable();
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/qarnot-mcp")
                .directory(basedir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA", javaExecutable());
        builder.environment().put("MCP_PORT", String.valueOf(port));
        builder.environment().put("QARNOT_BASE_URL", qarnot.baseUrl());
        builder.environment().put("QARNOT_RETRY_BASE_DELAY", "10ms");
        builder.environment().put("LOG_LEVEL", "TRACE");
        Process server = builder.start();
        try {
            awaitHealthy(port, server);
            qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
            qarnot.stubFor(WireMock.get("/tasks/gone/stdout").willReturn(aResponse().withStatus(404)
                    .withBody("{\"message\":\"No such task: gone\"}")));
            qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(401).withBody(Fixtures.BAD_TOKEN)));
            qarnot.stubFor(WireMock.get("/tasks/flaky/stdout").willReturn(aResponse().withStatus(503)));

            try (McpSyncClient client = client(port, "Bearer " + CANARY)) {
                assertThat(client.callTool(call("list_tasks", Map.of("pageSize", 2))).isError()).isFalse();
                assertThat(client.callTool(call("get_logs", Map.of("uuid", "gone"))).isError()).isTrue();
                assertThat(client.callTool(call("get_logs", Map.of("uuid", "flaky"))).isError()).isTrue();
                McpSchema.CallToolResult rejected = client.callTool(call("submit_job", Map.of("name", "n", "dockerImage", "ubuntu")));
                assertThat(rejected.isError()).isTrue();
                assertThat(rejected.toString()).doesNotContain(CANARY);
                assertThat(client.callTool(call("get_logs", Map.of("uuid", "../x"))).isError()).isTrue();
            }
            try (McpSyncClient malformed = client(port, "Basic " + CANARY)) {
                assertThat(malformed.callTool(call("list_tasks", Map.of())).toString()).doesNotContain(CANARY);
            }
            RawHttp.send(port, "POST", "/mcp", Map.of("Content-Type", "application/json", "Authorization",
                    "Bearer " + CANARY + " extra"), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"list_tasks\",\"arguments\":{}}}");
            RawHttp.send(port, "GET", "/mcp", Map.of("Authorization", "Bearer " + CANARY), null);
            RawHttp.send(port, "POST", "/mcp", Map.of("Content-Type", "application/json", "Authorization",
                    "Bearer " + CANARY), "{not json " + CANARY);

            qarnot.verify(postRequestedFor(urlEqualTo("/tasks/summaries/paginate"))
                    .withHeader("Authorization", WireMock.equalTo(CANARY)));
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
        }
        assertThat(server.exitValue()).as("exit code after SIGTERM with nothing in flight (not the JVM's 143)").isZero();
        String output = Files.readString(log);
        assertThat(output).as("TRACE logging was on").contains(" TRACE ", " DEBUG ");
        assertThat(output).contains("tool=list_tasks", "outcome=ok", "outcome=upstream_4xx", "outcome=upstream_5xx",
                "outcome=no_credential", "outcome=invalid_arguments");
        List<String> leaks = output.lines().filter(line -> line.contains(CANARY)).limit(5).toList();
        assertThat(leaks).as("log lines containing the canary key").isEmpty();
        assertThat(qarnot.findAll(WireMock.anyRequestedFor(anyUrl()))).isNotEmpty();
    }

    static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return new McpSchema.CallToolRequest(tool, arguments);
    }

    static McpSyncClient client(int port, String authorization) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", authorization))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    static void awaitHealthy(int port, Process server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited with " + server.exitValue());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not become healthy within 60 s");
    }

    static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
