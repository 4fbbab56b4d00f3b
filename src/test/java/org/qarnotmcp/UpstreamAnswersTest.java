package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.ServerWithQarnot;

/**
 * Issue 13, "key echo" (tool results), "upstream body size", "odd upstream answers" and "retries": what Qarnot sends
 * back is bounded, checked and never repeats the caller's key.
 */
class UpstreamAnswersTest {

    static final String KEY = "CANARY-echo-5d1e7ac1";
    static final String PAGINATE = "/tasks/summaries/paginate";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot(KEY)
            .with("qarnot.max-json-bytes", "100000")
            .with("qarnot.max-retries", "2")
            .with("qarnot.retry-base-delay", "300ms");

    static CallToolResult call(String tool, Map<String, Object> arguments) {
        return env.client().callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static void assertNoKey(CallToolResult result) {
        assertThat(result.toString()).doesNotContain(KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 500, 503})
    void anErrorBodyQuotingTheKeyIsMasked(int status) {
        env.qarnot().stubFor(get("/tasks/t1").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Bad authentication token " + KEY + " (\\\"" + KEY + "\\\")\"}")));
        CallToolResult result = call("get_task", Map.of("uuid", "t1"));
        assertThat(result.isError()).isTrue();
        assertNoKey(result);
        assertThat(text(result)).contains("Bad authentication token ***");
    }

    @Test
    void aPlainTextErrorBodyQuotingTheKeyIsMasked() {
        env.qarnot().stubFor(get("/tasks/t1").willReturn(aResponse().withStatus(500).withBody("upstream said " + KEY)));
        CallToolResult result = call("get_task", Map.of("uuid", "t1"));
        assertNoKey(result);
        assertThat(text(result)).contains("upstream said ***");
    }

    @Test
    void dataQuotingTheKeyIsMaskedInTextAndStructuredContent() {
        env.qarnot().stubFor(post(PAGINATE).willReturn(okJson(Fixtures.SUMMARIES_PAGE.replace("hello constant", "run " + KEY))));
        CallToolResult result = call("list_tasks", Map.of());
        assertThat(result.isError()).isFalse();
        assertNoKey(result);
        assertThat(text(result)).contains("run ***");
        assertThat(result.structuredContent().toString()).contains("run ***");
    }

    @Test
    void aLogQuotingTheKeyIsMasked() {
        env.qarnot().stubFor(get("/tasks/t1/stdout").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody("export KEY=" + KEY + "\ndone\n")));
        CallToolResult result = call("get_logs", Map.of("uuid", "t1"));
        assertNoKey(result);
        assertThat(text(result)).contains("export KEY=***", "done");
    }

    @Test
    void aJsonAnswerOverTheCapIsRefusedWithWhatToAskFor() {
        String big = "{\"data\":[" + IntStream.range(0, 5000).mapToObj(i -> "{\"uuid\":\"u" + i + "\",\"name\":\"n\"}")
                .collect(Collectors.joining(",")) + "]}";
        env.qarnot().stubFor(post(PAGINATE).willReturn(okJson(big)));
        CallToolResult result = call("list_tasks", Map.of());
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("larger than 100000 bytes", "QARNOT_MAX_JSON_BYTES", "smaller pageSize");
        env.qarnot().stubFor(post(PAGINATE).willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
        assertThat(call("list_tasks", Map.of()).isError()).as("the server keeps serving").isFalse();
    }

    @Test
    void aLogOverTheJsonCapIsReadAsAStreamAndOnlyItsTailKept() {
        String log = IntStream.range(0, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n";
        env.qarnot().stubFor(get("/tasks/t1/stdout").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain; charset=utf-8").withBody(log)));
        String text = text(call("get_logs", Map.of("uuid", "t1", "tailLines", 3)));
        assertThat(text).startsWith("stdout of task t1: last 3 of 50000 lines\n").endsWith("line 49997\nline 49998\nline 49999");
    }

    static ResponseDefinitionBuilder ok(String contentType, String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    @Test
    void anEmpty200Or204IsAnUpstreamErrorNotNoTasks() {
        env.qarnot().stubFor(post(PAGINATE).willReturn(ok("application/json", "")));
        CallToolResult empty = call("list_tasks", Map.of());
        assertThat(empty.isError()).isTrue();
        assertThat(text(empty)).contains("empty body where JSON was expected");
        env.qarnot().stubFor(post(PAGINATE).willReturn(aResponse().withStatus(204)));
        CallToolResult noContent = call("list_tasks", Map.of());
        assertThat(noContent.isError()).isTrue();
        assertThat(text(noContent)).contains("HTTP 204", "empty body where JSON was expected");
    }

    @Test
    void htmlOrAJsonStringUnder200IsNotJson() {
        env.qarnot().stubFor(post(PAGINATE).willReturn(ok("text/html", "<html><body>Sign in</body></html>")));
        CallToolResult html = call("list_tasks", Map.of());
        assertThat(html.isError()).isTrue();
        assertThat(text(html)).contains("not valid JSON", "text/html").doesNotContain("internal error");
        env.qarnot().stubFor(post(PAGINATE).willReturn(ok("application/json", "\"maintenance\"")));
        assertThat(text(call("list_tasks", Map.of()))).contains("JSON that is not an object or array");
    }

    @Test
    void anEmptyAnswerToAnAbortIsFine() {
        env.qarnot().stubFor(post("/tasks/t1/abort").willReturn(aResponse().withStatus(200)));
        CallToolResult result = call("abort_task", Map.of("uuid", "t1"));
        assertThat(result.isError()).as(text(result)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"})
    void aRetryAfterOfZeroNegativeOrInThePastFallsBackToTheBackoff(String retryAfter) {
        env.qarnot().stubFor(get("/tasks/t1").willReturn(aResponse().withStatus(503).withHeader("Retry-After", retryAfter)));
        long start = System.nanoTime();
        CallToolResult result = call("get_task", Map.of("uuid", "t1"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.isError()).isTrue();
        env.qarnot().verify(3, getRequestedFor(urlEqualTo("/tasks/t1")));
        // Backoff 300 ms then 600 ms; back to back would take a few milliseconds.
        assertThat(millis).isGreaterThanOrEqualTo(900);
    }

    @Test
    void aTildeInAPathValueIsSentAsItIs() {
        env.qarnot().stubFor(get(urlEqualTo("/tasks/run~1")).willReturn(okJson(Fixtures.TASK)));
        CallToolResult result = call("get_task", Map.of("uuid", "run~1"));
        assertThat(result.isError()).as(text(result)).isFalse();
        env.qarnot().verify(getRequestedFor(urlEqualTo("/tasks/run~1")));
    }

    @Test
    void anInstanceIdOutOfRangeIsRefusedBeforeQarnotIsCalled() {
        CallToolResult result = call("get_logs", Map.of("uuid", "t1", "instanceId", new java.math.BigInteger("1000000000000000000000000000000")));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("instanceId");
        assertThat(env.qarnot().findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).isEmpty();
    }
}
