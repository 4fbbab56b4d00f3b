package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.PackagedServerIT.awaitHealthy;
import static org.qarnotmcp.PackagedServerIT.call;
import static org.qarnotmcp.PackagedServerIT.client;
import static org.qarnotmcp.PackagedServerIT.javaExecutable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.S3Storage;

/**
 * The packaged server at LOG_LEVEL=TRACE, storage calls made with a canary key (the key S3Proxy accepts), through
 * every storage path (success, refused signature, missing bucket and file, over-limit upload, links): the key appears
 * in no log line, no result, and no presigned URL, which carries a signature made with it instead.
 */
class StorageCanaryIT {

    static final String OTHER_KEY = "qk-second-CANARY-93be01d4";

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static long rssKb(long pid) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }

    @Test
    void theStorageKeyAppearsInNoLogLineResultOrLink() throws Exception {
        S3Storage s3 = S3Storage.shared();
        s3.clear();
        qarnot.stubFor(get("/info").willReturn(okJson("{\"email\":\"" + S3Storage.EMAIL + "\"}")));
        qarnot.stubFor(get("/settings").willReturn(okJson("{\"storage\":\"" + s3.url() + "\"}")));
        Path basedir = Path.of(System.getProperty("project.basedir", "."));
        Path log = basedir.resolve("target/it-storage-server.log");
        int port = AvailablePortFinder.getNextAvailable();
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", "target/qarnot-mcp.jar")
                .directory(basedir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MCP_PORT", String.valueOf(port));
        builder.environment().put("QARNOT_BASE_URL", qarnot.baseUrl());
        builder.environment().put("QARNOT_STORAGE_UPLOAD_MAX_BYTES", "100");
        builder.environment().put("LOG_LEVEL", "TRACE");
        Process server = builder.start();
        List<String> seen = new ArrayList<>();
        try {
            awaitHealthy(port, server);
            try (McpSyncClient client = client(port, "Bearer " + S3Storage.KEY)) {
                for (var c : List.of(
                        call("create_bucket", Map.of("bucket", "canary")),
                        call("upload_file", Map.of("bucket", "canary", "key", "a.txt", "content", "hello")),
                        call("upload_file", Map.of("bucket", "canary", "key", "b.txt", "content", "x".repeat(200))),
                        call("list_files", Map.of("bucket", "canary")),
                        call("read_file", Map.of("bucket", "canary", "key", "a.txt")),
                        call("read_file", Map.of("bucket", "canary", "key", "missing.txt")),
                        call("list_files", Map.of("bucket", "no-such-bucket")),
                        call("get_upload_link", Map.of("bucket", "canary", "key", "c.bin")),
                        call("get_download_link", Map.of("bucket", "canary", "key", "a.txt")),
                        call("delete_bucket", Map.of("bucket", "canary")))) {
                    CallToolResult result = client.callTool(c);
                    seen.add(result.toString());
                }
            }
            String link = seen.get(8).replaceAll("(?s).*\"url\":\"([^\"]+)\".*", "$1").replace("\\u0026", "&");
            assertThat(link).contains("X-Amz-Signature=", "X-Amz-Credential=");
            HttpResponse<String> download = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(download.body()).isEqualTo("hello");
            // A 50 MB file: read (head and tail) and linked; the server never holds it, so its RSS barely moves.
            byte[] line = "frame rendered in 1.234 s, samples 4096\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Path big = basedir.resolve("target/it-storage-50mb.log");
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(big))) {
                for (long written = 0; written < 50_000_000L; written += line.length) {
                    out.write(line);
                }
            }
            s3.admin().putObject(r -> r.bucket("canary").key("big.log"),
                    software.amazon.awssdk.core.sync.RequestBody.fromFile(big));
            long rssBefore = rssKb(server.pid());
            try (McpSyncClient client = client(port, "Bearer " + S3Storage.KEY)) {
                seen.add(client.callTool(call("read_file", Map.of("bucket", "canary", "key", "big.log"))).toString());
                seen.add(client.callTool(call("read_file", Map.of("bucket", "canary", "key", "big.log",
                        "tailLines", 100))).toString());
                String bigLink = (String) ((Map<?, ?>) client.callTool(call("get_download_link",
                        Map.of("bucket", "canary", "key", "big.log"))).structuredContent()).get("url");
                long got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bigLink)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body().transferTo(java.io.OutputStream.nullOutputStream());
                assertThat(got).isEqualTo(Files.size(big));
            }
            long rssAfter = rssKb(server.pid());
            System.out.printf("StorageCanaryIT: server RSS %d MB before and %d MB after reading and linking a 50 MB file%n",
                    rssBefore / 1024, rssAfter / 1024);
            assertThat(rssAfter - rssBefore).as("RSS growth in kB over a 50 MB read").isLessThan(45_000);
            // A key the storage does not accept: the signature check fails, and its text is ours, not S3's.
            try (McpSyncClient other = client(port, "Bearer " + OTHER_KEY)) {
                seen.add(other.callTool(call("list_buckets", Map.of())).toString());
            }
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).hasSize(13).allSatisfy(r -> assertThat(r).doesNotContain(S3Storage.KEY, OTHER_KEY));
        assertThat(seen.get(2)).contains("get_upload_link");
        assertThat(seen.get(5)).contains("No file 'missing.txt'");
        assertThat(seen.get(6)).contains("No bucket 'no-such-bucket'");
        assertThat(seen.get(12)).contains("rejected the credentials");
        assertThat(seen.get(10)).contains("bytes 0 to 50000 of 50000");
        String output = Files.readString(log);
        assertThat(output).as("TRACE logging was on").contains(" TRACE ");
        assertThat(output).contains("tool=upload_file", "tool=read_file", "outcome=upstream_4xx");
        assertThat(output.lines().filter(l -> l.contains(S3Storage.KEY) || l.contains(OTHER_KEY)).limit(5).toList())
                .as("log lines containing the canary key").isEmpty();
    }
}
