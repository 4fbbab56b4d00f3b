package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.PackagedServerIT.awaitHealthy;
import static org.qarnotmcp.PackagedServerIT.call;
import static org.qarnotmcp.PackagedServerIT.client;
import static org.qarnotmcp.PackagedServerIT.javaExecutable;
import static org.qarnotmcp.ToolCallsTest.text;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "upstream body size": the packaged server under the container image's memory flags (a 512 MiB container:
 * 384 MiB heap, serial GC, exit on OutOfMemoryError) reads a 200 MB task log, then 3 concurrent 64 MB logs and a 59 MB
 * task list, from a stand-in that streams them. It must stay alive, give the right tail, refuse the list with what to
 * ask for, and keep its resident memory bounded. The figures go to target/large-answers.txt.
 */
class LargeAnswersIT {

    static final String HEAP_FLAGS = "-Xmx384m -Xms96m -XX:+UseSerialGC -Xmn40m -XX:+ExitOnOutOfMemoryError -Xss512k";
    static final long MB = 1024 * 1024;

    @Test
    void largeLogsAndListsKeepTheProcessAliveInBoundedMemory() throws Exception {
        HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService standInThreads = Executors.newFixedThreadPool(6);
        standIn.setExecutor(standInThreads);
        standIn.createContext("/tasks/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            long size = path.startsWith("/tasks/big200") ? 200 * MB : 64 * MB;
            streamLog(exchange, size);
        });
        standIn.createContext("/tasks/summaries/paginate", exchange -> streamTaskList(exchange, 59 * MB));
        standIn.start();

        Path basedir = Path.of(System.getProperty("project.basedir", "."));
        Path log = basedir.resolve("target/it-large-answers.log");
        int port = AvailablePortFinder.getNextAvailable();
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(List.of(HEAP_FLAGS.split(" ")));
        command.addAll(List.of("-jar", "target/qarnot-mcp.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(basedir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MCP_PORT", String.valueOf(port));
        builder.environment().put("QARNOT_BASE_URL", "http://127.0.0.1:" + standIn.getAddress().getPort());
        builder.environment().put("QARNOT_READ_TIMEOUT", "120s");
        builder.environment().put("MCP_TOOL_TIMEOUT", "240s");
        Process server = builder.start();
        StringBuilder figures = new StringBuilder();
        try {
            awaitHealthy(port, server);
            try (McpSyncClient client = client(port, "Bearer qk-large")) {
                assertThat(client.callTool(call("get_logs", Map.of("uuid", "warm", "tailLines", 5))).isError()).isFalse();
                long before = rssKb(server.pid(), "VmRSS");
                long peakBefore = rssKb(server.pid(), "VmHWM");
                long start = System.nanoTime();
                CallToolResult tail = client.callTool(call("get_logs", Map.of("uuid", "big200", "tailLines", 200)));
                long millis = (System.nanoTime() - start) / 1_000_000;
                long peakAfter = rssKb(server.pid(), "VmHWM");
                long lines = 200 * MB / LINE_BYTES;
                assertThat(tail.isError()).as(text(tail)).isFalse();
                assertThat(text(tail)).startsWith("stdout of task big200: last 200 of " + lines + " lines\n")
                        .endsWith(line(lines - 1).strip());
                figures.append("200 MB log: RSS before ").append(before / 1024).append(" MB, peak RSS before ")
                        .append(peakBefore / 1024).append(" MB, peak RSS after ").append(peakAfter / 1024)
                        .append(" MB, read in ").append(millis).append(" ms\n");
                assertThat(peakAfter - peakBefore).as("peak RSS growth reading 200 MB, KB").isLessThan(150 * 1024);

                ExecutorService callers = Executors.newFixedThreadPool(4);
                List<Future<CallToolResult>> logs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    logs.add(callers.submit(() -> client.callTool(call("get_logs", Map.of("uuid", "big64", "tailLines", 10)))));
                }
                Future<CallToolResult> list = callers.submit(() -> client.callTool(call("list_tasks", Map.of())));
                for (Future<CallToolResult> each : logs) {
                    assertThat(text(each.get(240, TimeUnit.SECONDS))).contains("last 10 of " + 64 * MB / LINE_BYTES + " lines");
                }
                assertThat(text(list.get(240, TimeUnit.SECONDS))).contains("larger than 8 MB", "smaller pageSize");
                callers.shutdown();
                long peakEnd = rssKb(server.pid(), "VmHWM");
                figures.append("3 x 64 MB logs + 59 MB list at once: peak RSS ").append(peakEnd / 1024).append(" MB\n");
                assertThat(server.isAlive()).isTrue();
                assertThat(client.callTool(call("get_logs", Map.of("uuid", "after", "tailLines", 1))).isError()).isFalse();
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            standIn.stop(0);
            standInThreads.shutdownNow();
            Files.writeString(basedir.resolve("target/large-answers.txt"), figures);
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    static final int LINE_BYTES = 64;

    /** Line i of the generated log: exactly 64 bytes with its newline. */
    static String line(long i) {
        String start = "line " + i + " ";
        return start + "x".repeat(LINE_BYTES - 1 - start.length()) + "\n";
    }

    static void streamLog(HttpExchange exchange, long size) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            StringBuilder chunk = new StringBuilder();
            for (long i = 0; i < size / LINE_BYTES; i++) {
                chunk.append(line(i));
                if (chunk.length() >= 64 * 1024) {
                    out.write(chunk.toString().getBytes(StandardCharsets.US_ASCII));
                    chunk.setLength(0);
                }
            }
            out.write(chunk.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByTheServer) {
            // expected when the reader stops early
        }
    }

    static void streamTaskList(HttpExchange exchange, long size) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write("{\"data\":[".getBytes(StandardCharsets.US_ASCII));
            byte[] task = ("{\"uuid\":\"ff149809-9415-4132-aad1-faad5383ea11\",\"name\":\"" + "n".repeat(100)
                    + "\",\"state\":\"Success\",\"progress\":100.0},").getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < size; written += task.length) {
                out.write(task);
            }
            out.write("{}],\"total\":1}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByTheServer) {
            // expected: the server stops reading at its cap
        }
    }

    static long rssKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }
}
