package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.TestThreads;

/**
 * Ready means every tool is there: from the moment the port opens, every {@code tools/list} either gets 503 with
 * {@code Retry-After} or the whole list, and {@code /observe/health/ready} says UP only once that list is whole.
 */
class ReadinessTest {

    static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Extra tools beside the repository's. */
    static final int EXTRA_TOOLS = 20;
    /** Added to each route's start, so that the window between port open and the last tool listed is wide. */
    static final long ROUTE_START_DELAY_MS = 30;

    record Sample(int readyStatus, String readyBody, int listStatus, String retryAfter, int tools) {
    }

    @Test
    void noToolsListEverAnswersWithFewerToolsThanTheRoutesDirectoryDefines(@TempDir Path tmp) throws Exception {
        RoutesDir routes = new RoutesDir(tmp);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                routes.write(file.getFileName().toString(), Files.readString(file));
            }
        }
        for (int i = 0; i < EXTRA_TOOLS; i++) {
            routes.write("extra_" + i + ".camel.yaml", RoutesDir.echoTool("extra_" + i, "Extra tool " + i, "x"));
        }
        int defined = toolsDefinedIn(tmp);
        assertThat(defined).isGreaterThan(EXTRA_TOOLS + 20);

        int port = AvailablePortFinder.getNextAvailable();
        CompletableFuture<RunningServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return RunningServer.startConfigured(Map.of("camel.server.port", String.valueOf(port), "mcp.routes-dir", tmp.toString()),
                        ReadinessTest::slowRouteStarts);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, TestThreads.BLOCKING);
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (System.nanoTime() < deadline) {
                Sample sample = sample(port);
                // Not listening yet, or listening with nothing mounted yet (Vert.x opens the port a moment before
                // Camel mounts /mcp and the health routes): the server is not up, so there is nothing to judge.
                if (sample == null || (samples.isEmpty() && sample.listStatus() == 404)) {
                    Thread.sleep(5);
                    continue;
                }
                samples.add(sample);
                if (sample.listStatus() == 200 && starting.isDone()) {
                    break;
                }
                Thread.sleep(5); // leave the cores to the starting server
            }
            Sample started = sample(port);
            assertThat(started.readyStatus()).as("readiness once started: %s", started).isEqualTo(200);
            assertThat(started.tools()).isEqualTo(defined);
        } finally {
            starting.get(60, TimeUnit.SECONDS).close();
        }

        assertThat(samples).as("the server answered").isNotEmpty();
        assertThat(samples).as("every tools/list answer from the first one on").allSatisfy(s -> {
            if (s.listStatus() == 200) {
                assertThat(s.tools()).as("tools listed").isEqualTo(defined);
            } else {
                assertThat(s.listStatus()).isEqualTo(503);
                assertThat(s.retryAfter()).isEqualTo("1");
            }
            if (s.readyStatus() == 200) {
                assertThat(s.listStatus()).as("a tools/list sent after readiness said UP").isEqualTo(200);
            }
        });
        assertThat(samples).as("the start-up window was seen: tools/list refused and readiness DOWN while loading")
                .anySatisfy(s -> {
                    assertThat(s.listStatus()).isEqualTo(503);
                    assertThat(s.readyStatus()).isEqualTo(503);
                });
        System.out.printf("ReadinessTest: %d samples, %d refused with 503 while loading%n", samples.size(),
                samples.stream().filter(s -> s.listStatus() == 503).count());
    }

    /** Each route takes a little longer to start, as on a loaded machine or with many route files. */
    static void slowRouteStarts(CamelContext context) {
        context.addRoutePolicyFactory((camelContext, routeId, route) -> new RoutePolicySupport() {
            @Override
            public void onStart(Route started) {
                try {
                    Thread.sleep(ROUTE_START_DELAY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** Readiness first, then tools/list; null while nothing listens on the port. */
    static Sample sample(int port) throws Exception {
        try {
            RawHttp.Response ready = RawHttp.send(port, "GET", "/observe/health/ready", Map.of(), null);
            RawHttp.Response list = RawHttp.send(port, "POST", "/mcp", Map.of("Content-Type", "application/json"), TOOLS_LIST);
            int tools = list.status() == 200 ? JSON.readTree(list.body()).path("result").path("tools").size() : -1;
            return new Sample(ready.status(), ready.body(), list.status(), list.header("Retry-After"), tools);
        } catch (IOException e) {
            return null;
        }
    }

    /** Tools the route files define: one per {@code mcp-tool:} endpoint. */
    static int toolsDefinedIn(Path dir) throws IOException {
        Pattern uri = Pattern.compile("uri:\\s*\"?mcp-tool:");
        int count = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = uri.matcher(Files.readString(file));
                while (m.find()) {
                    count++;
                }
            }
        }
        return count;
    }
}
