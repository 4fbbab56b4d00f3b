package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RenderConversation;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.S3Storage;

/**
 * The Cloudflare tunnel's rule, tested for real: nginx in front of the server cuts any answer that has not started
 * within 100 s (proxy_read_timeout, as Cloudflare's edge does after about 120 s with a 524). The render conversation
 * runs through it with the server's default bounds (90 s per call, 75 s per wait) on a task that runs 100 s, so at
 * least one wait must be split into several calls: nginx's access log must show no 504 and no answer over 100 s.
 */
class TunnelConversationIT {

    static final String NGINX = "/usr/sbin/nginx";

    @Test
    void aHundredSecondTaskIsWaitedForThroughAProxyThatCutsSilentAnswersAt100Seconds(@TempDir Path dir)
            throws Exception {
        assertThat(Path.of(NGINX)).as("nginx is installed (apt-get install nginx-light; .ci/run does it)").exists();
        S3Storage s3 = S3Storage.shared();
        s3.clear();
        WireMockServer qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        qarnot.stubFor(get("/info").willReturn(okJson("{\"email\":\"" + S3Storage.EMAIL + "\"}")));
        // The server's defaults, nothing shortened: MCP_MAX_CALL_TIME 90 s, MCP_WAIT_MAX_SECONDS 75.
        try (RunningServer server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "qarnot.storage.url", s3.url()))) {
            int proxyPort = AvailablePortFinder.getNextAvailable();
            Process nginx = startNginx(dir, proxyPort, server.port());
            try (McpSyncClient client = client(proxyPort)) {
                RenderConversation.Seen seen = RenderConversation.run(client, qarnot, s3, Duration.ofSeconds(100));
                assertThat(seen.waitAnswers()).as("the 100 s wait took more than one call").hasSizeGreaterThanOrEqualTo(2);
                assertThat(seen.frame()).isEqualTo(seen.downloaded());
            } finally {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            List<String> log = Files.readAllLines(dir.resolve("access.log"));
            List<String> mcp = log.stream().filter(l -> l.contains("POST /mcp")).toList();
            assertThat(mcp).as("requests that went through the proxy").hasSizeGreaterThanOrEqualTo(10);
            assertThat(mcp).as("answers the proxy cut (504) or failed").allSatisfy(l ->
                    assertThat(l.split(" ")[0]).isIn("200", "202"));
            double longest = mcp.stream().mapToDouble(l -> Double.parseDouble(l.split(" ")[1])).max().orElse(0);
            System.out.printf("TunnelConversationIT: %d MCP requests through nginx, 0 cut, longest answer %.1f s%n",
                    mcp.size(), longest);
            assertThat(longest).as("longest answer in seconds").isLessThan(100.0);
        } finally {
            qarnot.stop();
        }
    }

    static Process startNginx(Path dir, int port, int upstream) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                error_log %1$s/error.log warn;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                  log_format tunnel '$status $request_time $request';
                  access_log %1$s/access.log tunnel;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    location / {
                      proxy_pass http://127.0.0.1:%3$d;
                      proxy_http_version 1.1;
                      # Cloudflare's edge gives up on an answer that has not started after about 120 s (524).
                      proxy_read_timeout 100s;
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(dir, port, upstream));
        Process nginx = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    static McpSyncClient client(int port) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + S3Storage.KEY))
                .build();
        // Longer than any answer may take, so that only the proxy could cut one.
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(150)).build();
        client.initialize();
        return client;
    }
}
