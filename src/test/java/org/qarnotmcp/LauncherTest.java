package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/qarnot-mcp, the start command of the README, the image and the benchmark, run with a stand-in {@code java}
 * that prints the arguments it got and its PID: the flags it picks from MCP_MEMORY, the cgroup limit and the Java
 * version, the AOT cache rule, its refusals, and that it execs java (the JVM keeps the launcher's PID, so it gets
 * the container's SIGTERM).
 */
class LauncherTest {

    final Path launcher = Path.of(System.getProperty("project.basedir", ".")).resolve("bin/qarnot-mcp");

    @TempDir
    Path dir;
    Path appHome;
    Path cgroup;

    /** @param launcherPid the PID of the process started   @param javaPid the PID the stand-in java printed */
    record Run(int exit, long launcherPid, long javaPid, List<String> args, String stderr) {}

    @BeforeEach
    void layout() throws IOException {
        appHome = Files.createDirectories(dir.resolve("app"));
        Files.writeString(appHome.resolve("qarnot-mcp.jar"), "not a real jar");
        cgroup = Files.createDirectories(dir.resolve("cgroup"));
        jdk("25.0.3");
    }

    /** A stand-in JDK: a release file with the version, and a java that prints its PID and one argument per line. */
    Path jdk(String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve("jdk-" + version + "/bin"));
        Files.writeString(home.resolve("../release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"pid=$$\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    Run run(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "--an-app-argument");
        Map<String, String> e = builder.environment();
        e.remove("JAVA_HOME");
        e.remove("JAVA_OPTS");
        e.remove("MCP_MEMORY");
        e.remove("MCP_AOT_CACHE");
        e.put("APP_HOME", appHome.toString());
        e.put("JAVA", dir.resolve("jdk-25.0.3/bin/java").toString());
        e.put("MCP_CGROUP_ROOT", cgroup.toString());
        e.putAll(env);
        Path err = dir.resolve("stderr");
        Process p = builder.redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> lines = out.lines().toList();
        long pid = lines.isEmpty() || !lines.get(0).startsWith("pid=") ? -1 : Long.parseLong(lines.get(0).substring(4));
        return new Run(p.exitValue(), p.pid(), pid, lines.isEmpty() ? lines : lines.subList(1, lines.size()),
                Files.readString(err));
    }

    @Test
    void setsTheImagesJvmFlagsFromMcpMemoryAndRunsTheJarWithTheArguments() throws Exception {
        Run run = run(Map.of("MCP_MEMORY", "1g", "JAVA_OPTS", "-Xmn100m -Dextra=1"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.javaPid()).as("exec: java has the launcher's PID").isEqualTo(run.launcherPid());
        assertThat(run.args()).containsSubsequence("-XX:MaxRAM=1g", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC",
                        "-Xmn40m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-Dgroovy.indy.optimize.threshold=0")
                // JAVA_OPTS after the launcher's flags, so that they win; then the jar and the arguments.
                .containsSubsequence("-Xss512k", "-Xmn100m", "-Dextra=1", "-jar", appHome.resolve("qarnot-mcp.jar").toString(),
                        "--an-app-argument")
                .endsWith("--an-app-argument");
    }

    @Test
    void sizesTheHeapFromTheCgroupLimitAndFallsBackTo512MiB() throws Exception {
        Files.writeString(cgroup.resolve("memory.max"), "268435456\n");
        assertThat(run(Map.of()).args()).contains("-XX:MaxRAM=268435456");

        Files.writeString(cgroup.resolve("memory.max"), "max\n"); // cgroup v2, no limit
        assertThat(run(Map.of()).args()).contains("-XX:MaxRAM=512m");

        Files.delete(cgroup.resolve("memory.max"));
        Files.createDirectories(cgroup.resolve("memory"));
        Files.writeString(cgroup.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n"); // cgroup v1, none
        assertThat(run(Map.of()).args()).contains("-XX:MaxRAM=512m");
        Files.writeString(cgroup.resolve("memory/memory.limit_in_bytes"), "805306368\n");
        assertThat(run(Map.of()).args()).contains("-XX:MaxRAM=805306368");

        assertThat(run(Map.of("MCP_MEMORY", "300m")).args()).as("MCP_MEMORY wins over the cgroup")
                .contains("-XX:MaxRAM=300m").doesNotContain("-XX:MaxRAM=805306368");
    }

    @Test
    void passesTheAotCacheOnlyToJava25AndOnlyWhenItIsNotOlderThanTheJar() throws Exception {
        Path cache = appHome.resolve("qarnot-mcp.aot");
        assertThat(run(Map.of()).args()).noneMatch(a -> a.startsWith("-XX:AOTCache"));

        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(appHome.resolve("qarnot-mcp.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(run(Map.of()).args()).contains("-XX:AOTCache=" + cache);

        Path java21 = jdk("21.0.5");
        assertThat(run(Map.of("JAVA", java21.toString())).args()).as("Java 21 has no AOT cache")
                .noneMatch(a -> a.startsWith("-XX:AOTCache"));

        // A rebuilt jar makes the cache stale: the JVM would refuse it or, worse, use classes that changed.
        Files.setLastModifiedTime(appHome.resolve("qarnot-mcp.jar"), FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(run(Map.of()).args()).noneMatch(a -> a.startsWith("-XX:AOTCache"));
    }

    @Test
    void trimsTheNativeHeapOnlyWhereTheJdkHasTheFlag() throws Exception {
        // glibc host (these tests do not run on musl): JDK 17.0.9+, 21.0.1+ and 22+ know -XX:TrimNativeHeapInterval.
        assertThat(run(Map.of()).args()).contains("-XX:TrimNativeHeapInterval=2000");
        assertThat(run(Map.of("JAVA", jdk("17.0.15").toString())).args()).contains("-XX:TrimNativeHeapInterval=2000");
        Run old = run(Map.of("JAVA", jdk("17.0.8").toString()));
        assertThat(old.exit()).isZero();
        assertThat(old.args()).noneMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval"));
    }

    @Test
    void refusesBadInputNamingWhatToSendInstead() throws Exception {
        Run memory = run(Map.of("MCP_MEMORY", "lots"));
        assertThat(memory.exit()).isEqualTo(2);
        assertThat(memory.args()).as("java is not started").isEmpty();
        assertThat(memory.stderr()).contains("MCP_MEMORY='lots'", "512m", "1g");
        assertThat(run(Map.of("MCP_MEMORY", "1gb")).exit()).isEqualTo(2);

        Run java11 = run(Map.of("JAVA", jdk("11.0.20").toString()));
        assertThat(java11.exit()).isEqualTo(2);
        assertThat(java11.stderr()).contains("Java 11.0.20", "needs Java 17 or later");

        Run noJava = run(Map.of("JAVA", dir.resolve("nowhere/java").toString()));
        assertThat(noJava.exit()).isEqualTo(2);
        assertThat(noJava.stderr()).contains("no java at", "JAVA_HOME");

        Files.delete(appHome.resolve("qarnot-mcp.jar"));
        Run noJar = run(Map.of());
        assertThat(noJar.exit()).isEqualTo(2);
        assertThat(noJar.stderr()).contains("qarnot-mcp.jar", "mvn -B -q package -DskipTests", "APP_HOME");
    }
}
