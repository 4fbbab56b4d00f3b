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
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;

/**
 * Runs the container's exact start command without a container engine: the Dockerfile's ENTRYPOINT script with its
 * ENV (JVM flags, bind address, paths) on a JRE jlinked with its JLINK_MODULES, against the packaged app laid out as
 * in the image (qarnot-mcp.jar + lib/). Makes the class-data archive as the image build does with APP_CDS=true and
 * proves the start command maps it. Checks the health check's URL, a tool call, and that SIGTERM lets an in-flight call finish.
 */
class ContainerStartCommandIT {

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    final Path basedir = Path.of(System.getProperty("project.basedir", "."));

    @Test
    void theImageStartCommandServesHealthAndToolsAndDrainsOnSigterm() throws Exception {
        String dockerfile = Files.readString(basedir.resolve("Dockerfile"));
        Map<String, String> imageEnv = env(dockerfile);
        assertThat(imageEnv).containsEntry("MCP_BIND_ADDRESS", "0.0.0.0").containsEntry("MCP_PORT", "8000")
                .containsKey("JAVA_OPTS");
        assertThat(dockerfile).contains("ENTRYPOINT [\"/app/docker-entrypoint.sh\"]", "USER 10001", "EXPOSE 8000",
                "--generate-cds-archive", "./cds-archive.sh");
        Path jre = jlinkedRuntime(arg(dockerfile, "JLINK_MODULES"));
        Path archive = classDataArchive(imageEnv, jre);

        int port = AvailablePortFinder.getNextAvailable();
        Path log = basedir.resolve("target/container-command.log");
        ProcessBuilder builder = new ProcessBuilder("sh", "scripts/docker-entrypoint.sh")
                .directory(basedir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(imageEnv);
        // Paths of the image mapped onto the build output; the port moved off 8000 so that tests can run in parallel.
        env.put("APP_HOME", basedir.resolve("target").toString());
        env.put("MCP_ROUTES_DIR", basedir.resolve("routes").toString());
        env.put("PATH", jre.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        env.put("JAVA", jre.resolve("bin/java").toString());
        env.put("MCP_PORT", String.valueOf(port));
        env.put("QARNOT_BASE_URL", qarnot.baseUrl());
        env.put("MCP_SHUTDOWN_TIMEOUT", "20");
        // -Xshare:on: the JVM refuses to start if it cannot map the archive (it would silently start without it).
        env.put("JAVA_OPTS", imageEnv.get("JAVA_OPTS") + " -Xshare:on");

        long start = System.nanoTime();
        Process server = builder.start();
        try {
            PackagedServerIT.awaitHealthy(port, server);
            long startupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("container start command: healthy after " + startupMs + " ms");

            qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
            try (McpSyncClient client = PackagedServerIT.client(port, "Bearer qk-container")) {
                assertThat(client.listTools().tools()).hasSizeGreaterThanOrEqualTo(20);
                assertThat(client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())).isError()).isFalse();
                // Log lines are written by an async appender's thread: the call's line must reach stdout while the
                // server runs and nothing else is logged, not wait in a queue or a buffer until shutdown.
                long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!Files.readString(log).contains("tool=list_tasks") && System.nanoTime() < logDeadline) {
                    Thread.sleep(20);
                }
                assertThat(Files.readString(log)).as("the call's log line, written while the server runs")
                        .contains("tool=list_tasks", "outcome=ok");

                // A call in flight when SIGTERM arrives still gets its answer.
                qarnot.stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE).withFixedDelay(2000)));
                qarnot.resetRequests();
                CompletableFuture<McpSchema.CallToolResult> inFlight = CompletableFuture.supplyAsync(() ->
                        client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (qarnot.findAll(anyRequestedFor(anyUrl())).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                server.destroy();
                McpSchema.CallToolResult drained = inFlight.get(30, TimeUnit.SECONDS);
                assertThat(drained.isError()).as("the in-flight call completes during shutdown").isFalse();
            }
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(server.exitValue()).as("exit code after a clean drain (docker stop), not 143").isZero();
        } finally {
            server.destroyForcibly();
        }
        assertThat(Files.readString(log)).contains("Vert.x HttpServer started on 0.0.0.0:" + port);
        assertThat(Files.size(archive)).isGreaterThan(10_000_000);
    }

    /** The Dockerfile's training start (scripts/cds-archive.sh) with the image's JVM flags, on the jlinked JRE. */
    Path classDataArchive(Map<String, String> imageEnv, Path jre) throws Exception {
        Path archive = basedir.resolve("target/app.jsa");
        Files.deleteIfExists(archive);
        ProcessBuilder builder = new ProcessBuilder("sh", "scripts/cds-archive.sh").directory(basedir.toFile())
                .redirectErrorStream(true).redirectOutput(basedir.resolve("target/cds-archive.log").toFile());
        Map<String, String> env = builder.environment();
        env.putAll(imageEnv);
        env.put("APP_HOME", basedir.resolve("target").toString());
        env.put("MCP_ROUTES_DIR", basedir.resolve("routes").toString());
        env.put("JAVA", jre.resolve("bin/java").toString());
        env.put("MCP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        Process training = builder.start();
        assertThat(training.waitFor(120, TimeUnit.SECONDS)).as("the training start ends by itself").isTrue();
        assertThat(training.exitValue()).as("cds-archive.sh: " + Files.readString(basedir.resolve("target/cds-archive.log")))
                .isZero();
        assertThat(archive).exists();
        return archive;
    }

    /** The ENV instruction's KEY=value pairs (values may be quoted, lines continued with a backslash). */
    static Map<String, String> env(String dockerfile) {
        Matcher block = Pattern.compile("(?m)^ENV ((?:.*\\\\\\n)*.*)$").matcher(dockerfile);
        assertThat(block.find()).as("Dockerfile has an ENV instruction").isTrue();
        String text = block.group(1).replace("\\\n", " ");
        Map<String, String> env = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(text);
        while (pair.find()) {
            String value = pair.group(2);
            env.put(pair.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        env.remove("PATH");
        return env;
    }

    static String arg(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)$").matcher(dockerfile);
        assertThat(m.find()).as("Dockerfile declares ARG " + name).isTrue();
        return m.group(1);
    }

    /** The Dockerfile's jlink step, run with this JDK: proves the module list is enough to run the app. */
    Path jlinkedRuntime(String modules) throws Exception {
        Path jre = basedir.resolve("target/jre");
        Path stamp = basedir.resolve("target/jre.modules");
        if (Files.isDirectory(jre) && Files.exists(stamp) && Files.readString(stamp).equals(modules + " cds")) {
            return jre;
        }
        deleteRecursively(jre);
        String jlink = Path.of(System.getProperty("java.home"), "bin", "jlink").toString();
        Process p = new ProcessBuilder(jlink, "--add-modules", modules, "--strip-debug", "--no-man-pages",
                "--no-header-files", "--compress=2", "--generate-cds-archive", "--output", jre.toString())
                .inheritIO().start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("jlink succeeded").isTrue();
        Files.deleteIfExists(jre.resolve("lib/server/classes_nocoops.jsa")); // as the Dockerfile does
        Files.writeString(stamp, modules + " cds");
        return jre;
    }

    static void deleteRecursively(Path path) throws Exception {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

}
