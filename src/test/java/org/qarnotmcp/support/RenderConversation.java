package org.qarnotmcp.support;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * "Render this scene on Qarnot and show me the result", as a model does it with the tools alone: upload the scene,
 * submit a task with it as a resource and a result bucket, wait (as many wait_for_task calls as it takes), list the
 * results, look at the rendered frame (image content) and give the user a download link.
 *
 * <p>Qarnot is WireMock, playing a task that runs for {@code taskTime}: FullyExecuting with rising progress, then
 * UploadingResults (its node writes the frame into the result bucket of the real S3 server), then Success with the
 * result URI. Returns what the client saw, for the test to judge.
 */
public final class RenderConversation {

    public static final String TASK = "0d6a4d33-render-42";

    /** What the conversation saw: the tool calls made, each wait's answer time, and the frame. */
    public record Seen(List<String> calls, List<Duration> waitAnswers, List<Integer> waitedSeconds, byte[] frame,
            byte[] downloaded) {}

    private RenderConversation() {}

    public static Seen run(McpSyncClient client, WireMockServer qarnot, S3Storage s3, Duration taskTime)
            throws Exception {
        List<String> calls = new ArrayList<>();
        byte[] frame = TestImages.png(160, 90);
        qarnot.stubFor(post("/tasks").willReturn(okJson("{\"uuid\":\"" + TASK + "\"}")));
        taskIs("Submitted", 0, qarnot, false);

        ok(client, calls, "create_bucket", Map.of("bucket", "scene-in"));
        ok(client, calls, "upload_file", Map.of("bucket", "scene-in", "key", "scene.json",
                "content", "{\"camera\": [0, 1, 5], \"frames\": 1, \"samples\": 64}", "contentType", "application/json"));
        Map<String, Object> submitted = ok(client, calls, "submit_job", Map.of("name", "render scene",
                "dockerImage", "blender/render:4.2", "command", "render /job/scene.json -o /job/out",
                "resourceBuckets", List.of("scene-in"), "resultBucket", "scene-out", "resultsBucketPrefix", "render-42/"));
        assertThat(submitted).containsEntry("uuid", TASK);
        qarnot.verify(postRequestedFor(urlEqualTo("/tasks")).withRequestBody(equalToJson(
                "{\"resourceBuckets\":[\"scene-in\"],\"resultBucket\":\"scene-out\",\"resultsBucketPrefix\":\"render-42/\"}",
                true, true)));

        ScheduledExecutorService node = Executors.newSingleThreadScheduledExecutor();
        long ms = taskTime.toMillis();
        node.schedule(() -> taskIs("FullyExecuting", 10, qarnot, false), 0, TimeUnit.MILLISECONDS);
        node.schedule(() -> taskIs("FullyExecuting", 60, qarnot, false), ms * 4 / 10, TimeUnit.MILLISECONDS);
        node.schedule(() -> {
            s3.admin().putObject(r -> r.bucket("scene-out").key("render-42/frame-0001.png").contentType("image/png"),
                    RequestBody.fromBytes(frame));
            taskIs("UploadingResults", 100, qarnot, false);
        }, ms * 9 / 10, TimeUnit.MILLISECONDS);
        node.schedule(() -> taskIs("Success", 100, qarnot, true), ms, TimeUnit.MILLISECONDS);
        s3.admin().createBucket(r -> r.bucket("scene-out")); // Qarnot creates the result bucket at submit

        List<Duration> waits = new ArrayList<>();
        List<Integer> waited = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Map<String, Object> answer = ok(client, calls, "wait_for_task", Map.of("uuid", TASK,
                        "timeoutSeconds", 240, "pollSeconds", Math.max(1, (int) Math.min(5, ms / 4000))));
                waits.add(Duration.ofNanos(System.nanoTime() - start));
                waited.add(((Number) answer.get("waitedSeconds")).intValue());
                if (Boolean.TRUE.equals(answer.get("finished"))) {
                    assertThat(answer).containsEntry("state", "Success");
                    assertThat((String) answer.get("stdoutTail")).contains("frame-0001.png");
                    break;
                }
                assertThat((String) answer.get("next")).contains("% done", "call wait_for_task again");
            }
        } finally {
            node.shutdownNow();
        }

        Map<String, Object> results = ok(client, calls, "list_task_results", Map.of("uuid", TASK));
        assertThat(results).containsEntry("bucket", "scene-out").containsEntry("prefix", "render-42/");
        assertThat(results.get("files").toString()).contains("render-42/frame-0001.png");

        CallToolResult look = client.callTool(new McpSchema.CallToolRequest("read_file",
                Map.of("bucket", "scene-out", "key", "render-42/frame-0001.png")));
        calls.add("read_file");
        assertThat(look.isError()).isFalse();
        McpSchema.ImageContent image = (McpSchema.ImageContent) look.content().get(0);
        assertThat(image.mimeType()).isEqualTo("image/png");

        Map<String, Object> link = ok(client, calls, "get_download_link",
                Map.of("bucket", "scene-out", "key", "render-42/frame-0001.png"));
        byte[] downloaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create((String) link.get("url")))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        return new Seen(calls, waits, waited, Base64.getDecoder().decode(image.data()), downloaded);
    }

    private static void taskIs(String state, int progress, WireMockServer qarnot, boolean ended) {
        String results = ended ? ",\"completedInstances\":[{\"instanceId\":0,\"state\":\"Success\",\"results\":"
                + "[\"s3://storage/scene-out/render-42/frame-0001.png\"]}]" : "";
        qarnot.stubFor(get("/tasks/" + TASK).willReturn(okJson("{\"uuid\":\"" + TASK + "\",\"name\":\"render scene\","
                + "\"state\":\"" + state + "\",\"progress\":" + progress + ",\"instanceCount\":1,"
                + "\"resourceBuckets\":[\"scene-in\"],\"resultBucket\":\"scene-out\","
                + "\"resultsBucketPrefix\":\"render-42/\"" + results + "}")));
        qarnot.stubFor(get("/tasks/" + TASK + "/stdout").willReturn(okJson("\"Saved: /job/out/frame-0001.png\"")
                .withHeader("Content-Type", "text/plain")
                .withBody("Fra:1 Mem:210M | Rendering 64 / 64 samples\nSaved: '/job/render-42/frame-0001.png'\n")));
    }

    private static Map<String, Object> ok(McpSyncClient client, List<String> calls, String tool, Map<String, Object> args) {
        calls.add(tool);
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(result.isError()).as(tool + ": " + result.content()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = (Map<String, Object>) result.structuredContent();
        return structured;
    }
}
