package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.PackagedServerIT.awaitHealthy;
import static org.qarnotmcp.PackagedServerIT.call;
import static org.qarnotmcp.PackagedServerIT.client;
import static org.qarnotmcp.PackagedServerIT.javaExecutable;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RawHttp;

/**
 * Issue 13, "key echo": an upstream that echoes the caller's key in its 401, 400 and 500 bodies and in 200 data
 * (task names, logs), with the packaged server logging at DEBUG and at TRACE. The key must appear in no tool result
 * and no log line; a header holding the key with a control character must not be logged raw either.
 */
class KeyEchoIT {

    static final String CANARY = "CANARY-echo-9c36-4c65-key";

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "TRACE"})
    void anUpstreamEchoingTheKeyLeaksItNowhere(String level) throws Exception {
        Path basedir = Path.of(System.getProperty("project.basedir", "."));
        Path log = basedir.resolve("target/it-key-echo-" + level + ".log");
        int port = AvailablePortFinder.getNextAvailable();
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", "target/qarnot-mcp.jar")
                .directory(basedir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MCP_PORT", String.valueOf(port));
        builder.environment().put("QARNOT_BASE_URL", qarnot.baseUrl());
        builder.environment().put("QARNOT_RETRY_BASE_DELAY", "10ms");
        builder.environment().put("LOG_LEVEL", level);
        String echo = "{\"message\":\"Bad authentication token " + CANARY + "\",\"key\":\"" + CANARY + "\"}";
        qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE.replace("hello constant", CANARY))));
        qarnot.stubFor(WireMock.get("/tasks/t401").willReturn(aResponse().withStatus(401).withBody(echo)));
        qarnot.stubFor(WireMock.get("/tasks/t400").willReturn(aResponse().withStatus(400).withBody(echo)));
        qarnot.stubFor(WireMock.get("/tasks/t500").willReturn(aResponse().withStatus(500).withBody("failed for " + CANARY)));
        qarnot.stubFor(WireMock.get("/tasks/t200").willReturn(okJson(Fixtures.TASK.replace("\"test\"", "\"" + CANARY + "\""))));
        qarnot.stubFor(WireMock.get("/tasks/t200/stdout").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("key is " + CANARY + "\n")));
        qarnot.stubFor(post("/tasks").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":{\"Constants\":[\"" + CANARY + " is not allowed\"]},\"title\":\"" + CANARY + "\"}")));
        Process server = builder.start();
        List<String> results = new ArrayList<>();
        try {
            awaitHealthy(port, server);
            try (McpSyncClient client = client(port, "Bearer " + CANARY)) {
                results.add(client.callTool(call("list_tasks", Map.of())).toString());
                for (String uuid : List.of("t401", "t400", "t500", "t200")) {
                    results.add(client.callTool(call("get_task", Map.of("uuid", uuid))).toString());
                }
                results.add(client.callTool(call("get_logs", Map.of("uuid", "t200"))).toString());
                results.add(client.callTool(call("submit_job", Map.of("name", "n", "dockerImage", "ubuntu"))).toString());
            }
            String tool = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":{}}}";
            for (String authorization : List.of("Bearer " + CANARY + "\u0001", "Bearer " + CANARY + "\u007f", "Bearer \u0000" + CANARY)) {
                results.add(RawHttp.send(port, "POST", "/mcp", Map.of("Content-Type", "application/json",
                        "Authorization", authorization), tool).toString());
            }
            results.add(RawHttp.send(port, "POST", "/mcp", Map.of("Content-Type", "application/json",
                    "X-Api-Key", CANARY + "\u0001"), tool).toString());
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
        }
        assertThat(results).hasSize(11).allSatisfy(result -> assertThat(result).doesNotContain(CANARY));
        assertThat(String.join("\n", results)).contains("Bad authentication token ***", "***");
        String output = Files.readString(log);
        assertThat(output).as(level + " logging was on").contains(" " + level + " ");
        assertThat(output).contains("outcome=upstream_4xx", "outcome=upstream_5xx", "outcome=ok");
        List<String> leaks = output.lines().filter(line -> line.contains(CANARY)).limit(5).toList();
        assertThat(leaks).as("log lines containing the canary key").isEmpty();
    }
}
