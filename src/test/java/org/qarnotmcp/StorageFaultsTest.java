package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.support.RunningServer;

/**
 * Storage faults that a real S3 server will not produce on demand, with WireMock speaking S3's XML: transient 503s
 * retried (and counted per attempt in qarnot_storage_requests_seconds), a quota refusal, a storage that answers too
 * slowly, and one that does not listen at all. Each is a clear isError text; the server keeps serving.
 */
class StorageFaultsTest {

    static WireMockServer qarnot;
    static WireMockServer storage;
    static RunningServer server;
    static McpSyncClient client;

    static final String BUCKETS = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult "
            + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>ada</ID></Owner><Buckets><Bucket>"
            + "<Name>scene-in</Name><CreationDate>2026-11-30T10:00:00.000Z</CreationDate></Bucket></Buckets>"
            + "</ListAllMyBucketsResult>";

    @BeforeAll
    static void start() throws Exception {
        qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        storage = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        storage.start();
        server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(), "qarnot.storage.url", storage.baseUrl(),
                "qarnot.read-timeout", "1s", "qarnot.max-retries", "2"));
        client = server.clientWithKey("qk-faults");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        storage.stop();
        qarnot.stop();
    }

    @BeforeEach
    void reset() {
        qarnot.resetAll();
        storage.resetAll();
        qarnot.stubFor(get("/info").willReturn(okJson("{\"email\":\"ada@example.com\"}")));
    }

    static CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @Test
    void transientAnswersAreRetriedAndEachAttemptIsCounted() throws Exception {
        storage.stubFor(get("/").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("once"));
        storage.stubFor(get("/").inScenario("flaky").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("twice"));
        storage.stubFor(get("/").inScenario("flaky").whenScenarioStateIs("twice")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(BUCKETS)));
        double failedBefore = attempts("5xx");
        double okBefore = attempts("2xx");
        CallToolResult result = call("list_buckets", Map.of());
        assertThat(result.isError()).as(text(result)).isFalse();
        assertThat(text(result)).contains("scene-in");
        storage.verify(3, getRequestedFor(urlEqualTo("/")));
        assertThat(attempts("5xx") - failedBefore).as("5xx attempts counted").isEqualTo(2);
        assertThat(attempts("2xx") - okBefore).as("2xx attempts counted").isEqualTo(1);
    }

    /** qarnot_storage_requests_seconds_count of ListBuckets with that status class, from /observe/metrics. */
    static double attempts(String status) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String series = "qarnot_storage_requests_seconds_count{operation=\"ListBuckets\",status=\"" + status + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(
                l.substring(series.length()))).findFirst().orElse(0);
    }

    @Test
    void aPersistentServerErrorAndAQuotaRefusalSayWhatToDo() {
        storage.stubFor(get("/").willReturn(aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code>"
                + "<Message>qk-faults broke</Message></Error>")));
        String failed = text(call("list_buckets", Map.of()));
        assertThat(failed).contains("server error (HTTP 500, InternalError)", "persisted after retries")
                .doesNotContain("qk-faults");
        storage.verify(3, getRequestedFor(urlEqualTo("/")));

        storage.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlEqualTo("/inputs/a.txt"))
                .willReturn(aResponse().withStatus(403).withBody("<Error><Code>QuotaExceeded</Code></Error>")));
        CallToolResult quota = call("upload_file", Map.of("bucket", "inputs", "key", "a.txt", "content", "hi"));
        assertThat(quota.isError()).isTrue();
        assertThat(text(quota)).contains("storage quota is reached", "delete_files", "get_account");
    }

    @Test
    void aSlowStorageIsATimeoutAndTheServerKeepsServing() {
        storage.stubFor(get("/").willReturn(aResponse().withStatus(200).withFixedDelay(3000).withBody(BUCKETS)));
        CallToolResult slow = call("list_buckets", Map.of());
        assertThat(slow.isError()).isTrue();
        assertThat(text(slow)).contains("did not answer in time");
        storage.resetAll();
        storage.stubFor(get("/").willReturn(aResponse().withStatus(200).withBody(BUCKETS)));
        assertThat(call("list_buckets", Map.of()).isError()).isFalse();
    }

    @Test
    void anUnreachableStorageSaysToCheckTheUrl() throws Exception {
        int closed = AvailablePortFinder.getNextAvailable();
        try (RunningServer other = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "qarnot.storage.url", "http://127.0.0.1:" + closed, "qarnot.max-retries", "0"));
                McpSyncClient c = other.clientWithKey("qk-faults")) {
            CallToolResult result = c.callTool(new McpSchema.CallToolRequest("list_buckets", Map.of()));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Could not reach Qarnot storage at 127.0.0.1:" + closed,
                    "QARNOT_STORAGE_URL");
        }
    }
}
