package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.map;
import static org.qarnotmcp.ToolCallsTest.text;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.S3Storage;
import org.qarnotmcp.support.ServerWithQarnot;
import org.qarnotmcp.support.TestImages;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The storage tools against a real S3 server (S3Proxy, checking signatures against the account email and the
 * caller's key) with Qarnot's /info and /settings on WireMock: every tool, the error mapping, image content,
 * presigned links used with a plain HTTP client, a 50 MB file that is never loaded whole, and the key nowhere.
 */
class StorageToolsTest {

    static final S3Storage s3 = S3Storage.sharedUnchecked();

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot(S3Storage.KEY)
            .with("qarnot.storage.upload-max-bytes", "4096")
            .with("qarnot.max-retries", "0");

    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void accountAndEmptyStorage() {
        s3.clear();
        // No QARNOT_STORAGE_URL here: the storage host comes from GET /settings, as with the real Qarnot.
        env.qarnot().stubFor(get("/settings").willReturn(okJson("{\"storage\":\"" + s3.url() + "\"}")));
        env.qarnot().stubFor(get("/info").willReturn(okJson("{\"email\":\"" + S3Storage.EMAIL + "\",\"maxTask\":64}")));
    }

    private static CallToolResult call(String tool, Map<String, Object> arguments) {
        return env.client().callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    private static Map<String, Object> ok(String tool, Map<String, Object> arguments) {
        CallToolResult result = call(tool, arguments);
        assertThat(result.isError()).as(tool + ": " + text(result)).isFalse();
        assertThat(result.toString()).doesNotContain(S3Storage.KEY);
        return map(result.structuredContent());
    }

    private static String error(String tool, Map<String, Object> arguments) {
        CallToolResult result = call(tool, arguments);
        assertThat(result.isError()).as(tool + " should fail: " + text(result)).isTrue();
        assertThat(text(result)).doesNotContain(S3Storage.KEY);
        return text(result);
    }

    @Test
    void bucketsAreCreatedListedAndDeleted() {
        assertThat(ok("create_bucket", Map.of("bucket", "scene-inputs"))).containsEntry("created", true);
        assertThat(ok("create_bucket", Map.of("bucket", "scene-inputs"))).containsEntry("created", false);
        Map<String, Object> listed = ok("list_buckets", Map.of());
        assertThat(listed).containsEntry("count", 1);
        assertThat(listed.get("buckets").toString()).contains("name=scene-inputs", "creationDate=");
        assertThat(ok("delete_bucket", Map.of("bucket", "scene-inputs")))
                .containsEntry("deleted", true).containsEntry("filesDeleted", 0);
        assertThat(ok("list_buckets", Map.of())).containsEntry("count", 0);
    }

    @Test
    void aNonEmptyBucketIsOnlyDeletedWhenAskedToEmptyIt() {
        s3.admin().createBucket(r -> r.bucket("full"));
        for (int i = 0; i < 3; i++) {
            int n = i;
            s3.admin().putObject(r -> r.bucket("full").key("f" + n), RequestBody.fromString("12345"));
        }
        String refused = error("delete_bucket", Map.of("bucket", "full"));
        assertThat(refused).contains("holds 3 files (15 bytes)", "empty: true");
        assertThat(s3.admin().listBuckets().buckets()).hasSize(1);
        assertThat(ok("delete_bucket", Map.of("bucket", "full", "empty", true)))
                .containsEntry("deleted", true).containsEntry("filesDeleted", 3);
        assertThat(s3.admin().listBuckets().buckets()).isEmpty();
    }

    @Test
    void uploadListReadAndDeleteText() {
        s3.admin().createBucket(r -> r.bucket("work"));
        String script = "#!/bin/sh\necho rendering frame $INSTANCE_ID\n";
        assertThat(ok("upload_file", Map.of("bucket", "work", "key", "scripts/run.sh", "content", script)))
                .containsEntry("size", script.length()).containsEntry("key", "scripts/run.sh");
        assertThat(s3.admin().getObjectAsBytes(r -> r.bucket("work").key("scripts/run.sh")).asUtf8String())
                .isEqualTo(script);
        ok("upload_file", Map.of("bucket", "work", "key", "scene.json", "content", "{\"frames\": 4}",
                "contentType", "application/json"));

        Map<String, Object> top = ok("list_files", Map.of("bucket", "work"));
        assertThat(top.get("files").toString()).contains("key=scene.json", "size=13");
        assertThat(top.get("folders")).isEqualTo(List.of("scripts/"));
        Map<String, Object> inside = ok("list_files", Map.of("bucket", "work", "prefix", "scripts/"));
        assertThat(inside.get("files").toString()).contains("key=scripts/run.sh");
        Map<String, Object> flat = ok("list_files", Map.of("bucket", "work", "folders", false, "pageSize", 1));
        assertThat((List<?>) flat.get("files")).hasSize(1);
        assertThat(flat).containsKey("nextPageToken");
        Map<String, Object> second = ok("list_files", Map.of("bucket", "work", "folders", false, "pageSize", 1,
                "pageToken", flat.get("nextPageToken")));
        assertThat(second.get("files").toString()).isNotEqualTo(flat.get("files").toString());

        CallToolResult read = call("read_file", Map.of("bucket", "work", "key", "scripts/run.sh"));
        assertThat(read.isError()).isFalse();
        assertThat(read.content()).hasSize(2);
        assertThat(((McpSchema.TextContent) read.content().get(1)).text()).isEqualTo(script);
        assertThat(((McpSchema.TextContent) read.content().get(0)).text()).isEqualTo("work/scripts/run.sh: the whole file (" + script.length() + " bytes, text/plain).");

        Map<String, Object> deleted = ok("delete_files", Map.of("bucket", "work", "keys", List.of("scene.json")));
        assertThat(deleted).containsEntry("deleted", 1).containsEntry("keys", List.of("scene.json"));
        assertThat(ok("delete_files", Map.of("bucket", "work", "prefix", "scripts/"))).containsEntry("deleted", 1);
        assertThat(ok("list_files", Map.of("bucket", "work")).get("files")).isEqualTo(List.of());
    }

    @Test
    void binaryUploadsComeBackAsASummaryWithAWorkingDownloadLink() throws Exception {
        s3.admin().createBucket(r -> r.bucket("bin"));
        byte[] bytes = new byte[3000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        ok("upload_file", Map.of("bucket", "bin", "key", "data.bin",
                "contentBase64", Base64.getEncoder().encodeToString(bytes)));
        CallToolResult read = call("read_file", Map.of("bucket", "bin", "key", "data.bin"));
        String summary = text(read);
        assertThat(summary).contains("\"binary\":true", "\"size\":3000", "downloadUrl");
        String url = summary.replaceAll(".*\"downloadUrl\":\"([^\"]+)\".*", "$1").replace("\\u0026", "&");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
    }

    @Test
    void anUploadOverTheLimitPointsToTheUploadLink() {
        s3.admin().createBucket(r -> r.bucket("big"));
        String refused = error("upload_file", Map.of("bucket", "big", "key", "big.txt", "content", "x".repeat(5000)));
        assertThat(refused).contains("5000 bytes", "4096-byte limit", "QARNOT_STORAGE_UPLOAD_MAX_BYTES",
                "get_upload_link");
        assertThat(error("upload_file", Map.of("bucket", "big", "key", "k"))).contains("'content'", "'contentBase64'");
        assertThat(error("upload_file", Map.of("bucket", "big", "key", "k", "contentBase64", "%%%")))
                .contains("not valid base64");
        assertThat(s3.admin().listObjectsV2(r -> r.bucket("big")).contents()).isEmpty();
    }

    @Test
    void presignedUploadAndDownloadLinksWorkWithAPlainHttpClientAndCarryNoKey() throws Exception {
        s3.admin().createBucket(r -> r.bucket("links"));
        Map<String, Object> upload = ok("get_upload_link", Map.of("bucket", "links", "key", "renders/scene.blend",
                "expiresSeconds", 600));
        String putUrl = (String) upload.get("url");
        assertThat(putUrl).contains("X-Amz-Signature=", "X-Amz-Expires=600").doesNotContain(S3Storage.KEY);
        assertThat((String) upload.get("curl")).startsWith("curl --fail -T 'scene.blend' '").contains(putUrl);
        byte[] blend = "BLENDER-v300 fake scene".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(putUrl))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blend)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        Map<String, Object> download = ok("get_download_link", Map.of("bucket", "links", "key", "renders/scene.blend"));
        assertThat(download).containsEntry("size", blend.length);
        String getUrl = (String) download.get("url");
        assertThat(getUrl).contains("X-Amz-Signature=", "X-Amz-Expires=3600").doesNotContain(S3Storage.KEY);
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(getUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(blend);
        // A link that was tampered with is refused by the storage: the signature covers bucket, key and expiry.
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(
                getUrl.replace("renders/scene.blend", "renders/other.blend"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).isEqualTo(403);

        assertThat(error("get_download_link", Map.of("bucket", "links", "key", "nope.txt")))
                .contains("No file 'nope.txt' in bucket 'links'", "list_files");
        assertThat(error("get_upload_link", Map.of("bucket", "links", "key", "k", "expiresSeconds", 604801)))
                .contains("expiresSeconds");
    }

    @Test
    void aPngComesBackAsImageContent() {
        s3.admin().createBucket(r -> r.bucket("results"));
        byte[] png = TestImages.png(64, 48);
        s3.admin().putObject(r -> r.bucket("results").key("frame-0001.png").contentType("image/png"),
                RequestBody.fromBytes(png));
        CallToolResult read = call("read_file", Map.of("bucket", "results", "key", "frame-0001.png"));
        assertThat(read.isError()).isFalse();
        McpSchema.ImageContent image = (McpSchema.ImageContent) read.content().get(0);
        assertThat(image.mimeType()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(png);
        assertThat(((McpSchema.TextContent) read.content().get(1)).text())
                .contains("image/png image, " + png.length + " bytes", "Download link", "X-Amz-Signature=");
    }

    @Test
    void aFiftyMegabyteFileIsReadByRangesAndNeverLoadedWhole(@TempDir Path tmp) throws Exception {
        s3.admin().createBucket(r -> r.bucket("logs"));
        Path file = tmp.resolve("big.log");
        String line = "frame %06d rendered in 1.234 s, samples 4096, noise 0.0012%n";
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < 820_000; i++) {
                out.write(String.format(line, i));
            }
        }
        long size = Files.size(file);
        assertThat(size).isGreaterThan(50_000_000L);
        s3.admin().putObject(r -> r.bucket("logs").key("big.log"), RequestBody.fromFile(file));

        long before = allocatedBytes();
        CallToolResult head = call("read_file", Map.of("bucket", "logs", "key", "big.log"));
        CallToolResult tail = call("read_file", Map.of("bucket", "logs", "key", "big.log", "tailLines", 3));
        CallToolResult middle = call("read_file", Map.of("bucket", "logs", "key", "big.log", "offset", 25_000_000,
                "maxBytes", 1000));
        long allocated = allocatedBytes() - before;

        assertThat(((McpSchema.TextContent) head.content().get(1)).text()).hasSize(50_000).startsWith("frame 000000");
        assertThat(((McpSchema.TextContent) head.content().get(0)).text()).contains("bytes 0 to 50000 of " + size, "offset 50000");
        assertThat(((McpSchema.TextContent) tail.content().get(1)).text())
                .isEqualTo(IntStream.range(819_997, 820_000).mapToObj(i -> String.format(line, i).strip())
                        .collect(Collectors.joining("\n")));
        assertThat(((McpSchema.TextContent) middle.content().get(1)).text()).hasSizeLessThanOrEqualTo(1000);
        // Three reads of a 50 MB file allocate a few MB in the whole JVM (buffers, JSON), not 50 MB each.
        assertThat(allocated).as("bytes allocated by three reads").isLessThan(40_000_000L);

        // The file itself goes to the user through a link, straight from storage.
        Map<String, Object> link = ok("get_download_link", Map.of("bucket", "logs", "key", "big.log"));
        HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create((String) link.get("url")))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        long received;
        try (InputStream in = download.body()) {
            received = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(received).isEqualTo(size);
    }

    @Test
    void listTaskResultsReadsTheBucketAndPrefixFromTheTask() {
        s3.admin().createBucket(r -> r.bucket("renders"));
        s3.admin().putObject(r -> r.bucket("renders").key("job-42/frame-1.png"), RequestBody.fromBytes(TestImages.png(4, 4)));
        s3.admin().putObject(r -> r.bucket("renders").key("job-42/log.txt"), RequestBody.fromString("done"));
        s3.admin().putObject(r -> r.bucket("renders").key("other/x.txt"), RequestBody.fromString("not mine"));
        env.qarnot().stubFor(get("/tasks/t-42").willReturn(okJson("{\"uuid\":\"t-42\",\"name\":\"render\","
                + "\"state\":\"Success\",\"resultBucket\":\"renders\",\"resultsBucketPrefix\":\"job-42/\","
                + "\"completedInstances\":[{\"instanceId\":0,\"state\":\"Success\",\"results\":"
                + "[\"s3://storage/renders/job-42/frame-1.png\"]}]}")));
        Map<String, Object> results = ok("list_task_results", Map.of("uuid", "t-42"));
        assertThat(results).containsEntry("bucket", "renders").containsEntry("prefix", "job-42/");
        assertThat(results.get("files").toString()).contains("job-42/frame-1.png", "job-42/log.txt")
                .doesNotContain("other/x.txt");
        assertThat(results.get("instanceResults")).isEqualTo(List.of("s3://storage/renders/job-42/frame-1.png"));
        assertThat((String) results.get("next")).contains("read_file", "get_download_link");

        env.qarnot().stubFor(get("/tasks/t-none").willReturn(okJson("{\"uuid\":\"t-none\",\"state\":\"Success\"}")));
        assertThat((String) ok("list_task_results", Map.of("uuid", "t-none")).get("next")).contains("no resultBucket");
    }

    @Test
    void storageErrorsSayWhatToDoNext() throws Exception {
        s3.admin().createBucket(r -> r.bucket("here"));
        assertThat(error("list_files", Map.of("bucket", "nowhere"))).contains("No bucket 'nowhere'", "list_buckets");
        assertThat(error("read_file", Map.of("bucket", "nowhere", "key", "a.txt"))).contains("No bucket 'nowhere'");
        assertThat(error("read_file", Map.of("bucket", "here", "key", "a.txt")))
                .contains("No file 'a.txt' in bucket 'here'", "list_files");
        assertThat(error("create_bucket", Map.of("bucket", "Bad_Name"))).contains("bucket");
        assertThat(error("delete_files", Map.of("bucket", "here"))).contains("'keys'", "'prefix'");

        // Another key of the same account: S3Proxy checks the signature and refuses it.
        try (McpSyncClient stranger = env.server().clientWithKey("qk-not-the-storage-key")) {
            CallToolResult refused = stranger.callTool(new McpSchema.CallToolRequest("list_buckets", Map.of()));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("Qarnot storage rejected the credentials", "Authorization: Bearer")
                    .doesNotContain("qk-not-the-storage-key");
        }
        // Qarnot refuses the key itself: the /info look-up says so, as every tool does.
        env.qarnot().stubFor(get("/info").willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"Unauthorized\"}")));
        try (McpSyncClient revoked = env.server().clientWithKey("qk-revoked")) {
            assertThat(text(revoked.callTool(new McpSchema.CallToolRequest("list_buckets", Map.of()))))
                    .contains("Qarnot rejected the API key");
        }
    }

    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        return java.util.Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
    }
}
