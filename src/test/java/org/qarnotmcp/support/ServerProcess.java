package org.qarnotmcp.support;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged server ({@code java -jar target/qarnot-mcp.jar}) as its own process on a loopback port. */
public final class ServerProcess {

    private final Path basedir;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;

    public ServerProcess(Path basedir, int port, Map<String, String> env, Path log) {
        this.basedir = basedir;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts it and waits until {@code /observe/health/ready} says UP (every tool listed). */
    public void start(Duration within) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java", "-XX:+UseSerialGC", "-Xss512k", "-Xmx256m", "-jar", "target/qarnot-mcp.jar")
                .directory(basedir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("MCP_PORT", String.valueOf(port));
        process = builder.start();
        starts++;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("replica on " + port + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("replica on " + port + " not ready within " + within + "; see " + log);
    }

    /** SIGTERM, as Kubernetes sends it, and the wait for the drain and exit; returns the exit code. */
    public int terminate(Duration within) throws Exception {
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("replica on " + port + " did not exit within " + within + " of SIGTERM");
        }
        return process.exitValue();
    }

    public void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    public int starts() {
        return starts;
    }
}
