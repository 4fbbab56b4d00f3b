package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.SlowTaskStandIn;
import org.qarnotmcp.tool.ToolThreads;

/**
 * 2,000 {@code wait_for_task} calls held at once by one server (four callers of 500, the per-caller share set to
 * 500), against a Qarnot stand-in ({@link SlowTaskStandIn}) whose task never ends and whose every answer takes 100 ms: a cheap
 * {@code list_tasks} still answers at once, the 501st call of one caller is turned away as busy while others are
 * served, and the process's platform threads stay few. With the former pool of 64 threads, the list_tasks calls
 * would have queued behind the waits for their whole minute.
 * <p>
 * The thread bound depends on the runtime: on Java 21+ calls run on virtual threads, so holding 2,000 calls may add
 * only a few platform threads (carriers, the HTTP client's); on Java 17 each held call has its own platform thread,
 * so there the bound is one thread per call and no more (no second thread per call, no leak).
 */
class ConcurrentWaitsTest {

    static final int CALLERS = 4;
    static final int PER_CALLER = 500;
    static final int HELD = CALLERS * PER_CALLER;
    static final String UUID = Fixtures.TASK_UUID;
    static final ObjectMapper JSON = new ObjectMapper();

    static SlowTaskStandIn qarnot;
    static RunningServer server;
    static ExecutorService clientThreads;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        qarnot = new SlowTaskStandIn(100);
        server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "mcp.max-calls-per-caller", String.valueOf(PER_CALLER)));
        clientThreads = Executors.newFixedThreadPool(4);
        http = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        qarnot.close();
        clientThreads.shutdownNow();
    }

    @Test
    void twoThousandWaitingCallsLeaveTheServerResponsiveAndHoldNoThreadEach() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (McpSyncClient other = server.clientWithKey("qk-someone-else")) {
            assertThat(other.callTool(listTasks()).isError()).isFalse();
            // Warm-up: 200 short waits (two polls each) compile the path before the 2,000 arrive.
            List<CompletableFuture<HttpResponse<String>>> warmup = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                warmup.add(send("qk-warmup-" + (i % CALLERS), "wait_for_task",
                        "{\"uuid\":\"" + UUID + "\",\"timeoutSeconds\":1,\"pollSeconds\":1}"));
            }
            for (CompletableFuture<HttpResponse<String>> call : warmup) {
                assertThat(call.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            int threadsBefore = threads.getThreadCount();
            int warmupPolls = polls();

            List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                waits.add(send("qk-waiter-" + (i % CALLERS), "wait_for_task",
                        "{\"uuid\":\"" + UUID + "\",\"timeoutSeconds\":60,\"pollSeconds\":60}"));
            }
            // Every call has made its first poll: all 2,000 are now in their 60 s pause. (The deadline is generous
            // because CI machines are shared; on a quiet 2-core machine the polls arrive within a few seconds.)
            long sent = System.nanoTime();
            long deadline = sent + TimeUnit.SECONDS.toNanos(55);
            List<Integer> progress = new ArrayList<>();
            while (polls() - warmupPolls < HELD && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                progress.add(polls() - warmupPolls);
            }
            System.out.println("first polls, second by second: " + progress);
            long admittedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            // When some calls never poll, say what became of them (answered early, refused, or still waiting).
            Map<String, Long> ended = waits.stream().filter(CompletableFuture::isDone)
                    .map(call -> call.handle((r, e) -> e != null ? String.valueOf(e.getCause() != null ? e.getCause() : e)
                            : "HTTP " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length()))).join())
                    .collect(Collectors.groupingBy(text -> text, Collectors.counting()));
            assertThat(polls() - warmupPolls).as("first polls of the held calls; calls already ended: " + ended)
                    .isGreaterThanOrEqualTo(HELD);
            assertThat(waits).as("no wait ended early").noneMatch(CompletableFuture::isDone);

            List<Long> listMillis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                CallToolResult listed = other.callTool(listTasks());
                listMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(listed.isError()).as(text(listed)).isFalse();
            }
            int threadsHolding = threads.getThreadCount();
            HttpResponse<String> overShare = send("qk-waiter-0", "list_tasks", "{}").get(10, TimeUnit.SECONDS);
            System.out.printf("%d wait_for_task calls held on %s threads (all polling after %d ms): list_tasks took "
                    + "%s ms; platform threads %d before, %d while holding%n", HELD,
                    ToolThreads.virtual() ? "virtual" : "platform", admittedMs, listMillis, threadsBefore, threadsHolding);

            // Far below the 60 s the waits pause for: list_tasks did not queue behind them.
            assertThat(listMillis).allMatch(ms -> ms < 2000);
            JsonNode refused = JSON.readTree(overShare.body()).path("result");
            assertThat(refused.path("isError").asBoolean()).isTrue();
            assertThat(refused.path("content").path(0).path("text").asText())
                    .contains("already have " + PER_CALLER + " calls running", "MCP_MAX_CALLS_PER_CALLER");
            int bound = ToolThreads.virtual() ? 200 : HELD + 200;
            assertThat(threadsHolding - threadsBefore)
                    .as("platform threads added while holding %d calls on %s threads", HELD,
                            ToolThreads.virtual() ? "virtual" : "platform (Java 17: one per call)")
                    .isLessThan(bound);

            for (CompletableFuture<HttpResponse<String>> wait : waits) {
                HttpResponse<String> response = wait.get(90, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                JsonNode result = JSON.readTree(response.body()).path("result");
                assertThat(result.path("isError").asBoolean()).as(response.body()).isFalse();
                assertThat(result.path("structuredContent").path("finished").asBoolean()).isFalse();
                assertThat(result.path("structuredContent").path("state").asText()).isEqualTo("FullyExecuting");
            }
        }
    }

    static McpSchema.CallToolRequest listTasks() {
        return new McpSchema.CallToolRequest("list_tasks", Map.of());
    }

    static int polls() {
        return qarnot.taskReads();
    }

    static CompletableFuture<HttpResponse<String>> send(String key, String tool, String arguments) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.mcpUrl()))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(150))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
