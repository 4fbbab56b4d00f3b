package org.qarnotmcp.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx (installed by .ci/run) as the load balancer in front of the replicas: round-robin, and a request
 * that a replica refuses with 503 (draining or starting) or cannot take (connection refused, closed) is sent to the
 * next one. README "Run it on Kubernetes" lists the same settings.
 */
public final class NginxProxy implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/nginx";

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxProxy(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static NginxProxy start(Path dir, int port, List<Integer> upstreams) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: install nginx (apt-get install nginx-light; .ci/run does)");
        }
        Files.createDirectories(dir.resolve("logs"));
        String servers = upstreams.stream().map(p -> "    server 127.0.0.1:" + p + ";").collect(Collectors.joining("\n"));
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 512; }
                http {
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  log_format upstreams '$status $request_time "$upstream_addr" "$upstream_status" $request_uri';
                  access_log %1$s/logs/access.log upstreams;
                  upstream mcp {
                %2$s
                    keepalive 16;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://mcp;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      # A draining or starting replica answers 503 before running anything; a stopped one refuses
                      # the connection. POST /mcp is not idempotent to nginx, hence non_idempotent.
                      proxy_next_upstream error timeout http_503 non_idempotent;
                      proxy_next_upstream_tries 3;
                      proxy_next_upstream_timeout 10s;
                      proxy_connect_timeout 2s;
                      proxy_read_timeout 300s;
                      add_header X-Upstream $upstream_addr always;
                    }
                  }
                }
                """.formatted(dir.toAbsolutePath(), servers, port);
        if (isRoot()) {
            conf = "user root root;\n" + conf; // workers write the temp paths in this directory
        }
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder(BINARY, "-p", dir.toAbsolutePath().toString(), "-c", file.toAbsolutePath().toString(),
                "-e", dir.resolve("logs/error.log").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log")));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return new NginxProxy(dir, port, process);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("nginx did not listen on " + port);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public List<String> accessLog() throws IOException {
        return Files.readAllLines(dir.resolve("logs/access.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
