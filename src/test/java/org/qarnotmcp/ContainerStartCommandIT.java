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
import org.qarnotmcp.support.TestThreads;

/**
 * Runs the container's exact start command without a container engine: the Dockerfile's ENTRYPOINT (bin/qarnot-mcp)
 * with its ENV on a JRE jlinked with its JLINK_MODULES from a Java 25 JDK, against the packaged app laid out as in
 * the image (qarnot-mcp.jar + lib/). Makes the AOT cache with the script an AOT_CACHE=true build runs and starts with
 * -XX:AOTMode=on, so that a cache the JVM cannot map (or a launcher that does not pass it) fails the test. Checks the
 * health check's URL, a tool call, and that SIGTERM lets an in-flight call finish. Without a Java 25 JDK (JAVA25_HOME,
 * else /usr/lib/jvm/temurin-25-jdk-amd64, else the JDK running the tests if it is 25+) it runs the same command on the
 * test JDK without a cache and says so.
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
                .doesNotContainKey("JAVA_OPTS"); // the launcher sets the JVM flags, in the image as on a laptop
        assertThat(dockerfile).contains("ENTRYPOINT [\"/app/bin/qarnot-mcp\"]", "USER 10001", "EXPOSE 8000",
                "COPY bin/qarnot-mcp /app/bin/qarnot-mcp", "/app/scripts/aot-cache.sh", "eclipse-temurin:25-jdk");
        Path jdk = java25Home();
        Path jre = jdk == null ? jlinkedRuntime(Path.of(System.getProperty("java.home")), false, arg(dockerfile, "JLINK_MODULES"))
                : jlinkedRuntime(jdk, true, arg(dockerfile, "JLINK_MODULES"));
        Path cache = jdk == null ? null : aotCache(imageEnv, jre);
        if (cache == null) {
            System.out.println("container start command: no Java 25 JDK here (set JAVA25_HOME), so it runs on "
                    + System.getProperty("java.version") + " without the AOT cache");
        }

        int port = AvailablePortFinder.getNextAvailable();
        Path log = basedir.resolve("target/container-command.log");
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/qarnot-mcp")
                .directory(basedir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(imageEnv);
        // Paths of the image mapped onto the build output; the port moved off 8000 so that tests can run in parallel.
        env.put("APP_HOME", basedir.resolve("target").toString());
        env.put("MCP_ROUTES_DIR", basedir.resolve("routes").toString());
        env.put("PATH", jre.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
        env.remove("JAVA_HOME"); // java from PATH, as in the image
        env.remove("JAVA");
        env.remove("MCP_AOT_CACHE");
        env.put("MCP_PORT", String.valueOf(port));
        env.put("QARNOT_BASE_URL", qarnot.baseUrl());
        env.put("MCP_SHUTDOWN_TIMEOUT", "20");
        // -XX:AOTMode=on: the JVM refuses to start if it cannot map the cache (or none is given), where the default
        // (auto) would silently start without it.
        env.put("JAVA_OPTS", cache == null ? "" : "-XX:AOTMode=on");

        long start = System.nanoTime();
        Process server = builder.start();
        try {
            PackagedServerIT.awaitHealthy(port, server);
            long startupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("container start command: healthy after " + startupMs + " ms"
                    + (cache == null ? "" : " with the AOT cache"));
            ProcessHandle java = ProcessHandle.of(server.pid()).orElseThrow();
            assertThat(java.info().command().orElse("")).as("exec: java replaces the launcher's shell (PID 1 in the image)")
                    .endsWith("/bin/java");
            assertThat(java.info().arguments().map(List::of).orElse(List.of())).as("the launcher's JVM flags")
                    .contains("-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAMPercentage=75")
                    .anyMatch(flag -> cache == null || flag.equals("-XX:AOTCache=" + cache));

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
                        client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of())), TestThreads.BLOCKING);
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
    }

    /** A Java 25+ JDK with jlink: JAVA25_HOME, the usual Temurin 25 path, or the JDK running the tests; else null. */
    static Path java25Home() {
        List<Path> candidates = new java.util.ArrayList<>();
        if (System.getenv("JAVA25_HOME") != null) {
            candidates.add(Path.of(System.getenv("JAVA25_HOME")));
        }
        candidates.add(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (Runtime.version().feature() >= 25) {
            candidates.add(Path.of(System.getProperty("java.home")));
        }
        return candidates.stream().filter(home -> Files.isExecutable(home.resolve("bin/jlink"))).findFirst().orElse(null);
    }

    /** The Dockerfile's training run (scripts/aot-cache.sh through the launcher) on the jlinked JRE. */
    Path aotCache(Map<String, String> imageEnv, Path jre) throws Exception {
        Path cache = basedir.resolve("target/qarnot-mcp.aot");
        Path trainingLog = basedir.resolve("target/aot-cache.log");
        Files.deleteIfExists(cache);
        ProcessBuilder builder = new ProcessBuilder("sh", "scripts/aot-cache.sh").directory(basedir.toFile())
                .redirectErrorStream(true).redirectOutput(trainingLog.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(imageEnv);
        env.put("APP_HOME", basedir.resolve("target").toString());
        env.put("MCP_ROUTES_DIR", basedir.resolve("routes").toString());
        env.put("JAVA", jre.resolve("bin/java").toString());
        env.remove("MCP_AOT_CACHE");
        env.remove("JAVA_OPTS");
        env.put("MCP_PORT", String.valueOf(AvailablePortFinder.getNextAvailable()));
        env.put("AOT_TRAINING_TIMEOUT", "240");
        Process training = builder.start();
        boolean ended = training.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            training.destroyForcibly();
        }
        assertThat(ended).as("the training run ends by itself").isTrue();
        assertThat(training.exitValue()).as("aot-cache.sh: " + Files.readString(trainingLog)).isZero();
        assertThat(Files.size(cache)).as("the AOT cache's size").isGreaterThan(10_000_000);
        return cache;
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

    /**
     * The Dockerfile's jlink step, run with that JDK: proves the module list is enough to run the app. The Java 25
     * JDK gets the Dockerfile's {@code --compress=zip-6}; the test JDK's fallback (Java 17) knows only {@code 0|1|2}.
     */
    Path jlinkedRuntime(Path jdk, boolean java25, String modules) throws Exception {
        Path jre = basedir.resolve("target/jre");
        Path stamp = basedir.resolve("target/jre.modules");
        String key = jdk.toRealPath() + " " + modules;
        if (Files.isDirectory(jre) && Files.exists(stamp) && Files.readString(stamp).equals(key)) {
            return jre;
        }
        deleteRecursively(jre);
        Files.deleteIfExists(stamp);
        Process p = new ProcessBuilder(jdk.resolve("bin/jlink").toString(), "--add-modules", modules, "--strip-debug",
                "--no-man-pages", "--no-header-files", java25 ? "--compress=zip-6" : "--compress=2", "--output", jre.toString())
                .inheritIO().start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("jlink succeeded").isTrue();
        Files.writeString(stamp, key);
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
