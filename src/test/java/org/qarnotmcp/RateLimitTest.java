package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.ServerWithQarnot;

/**
 * Per-caller rate limits at the wire. One call per minute refills, so that a slow test machine cannot refill a
 * bucket between two calls: the burst is what the test spends.
 */
class RateLimitTest {

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-rate-a")
            .with("mcp.rate-limit", "1").with("mcp.rate-burst", "3")
            .with("mcp.rate-limit-changes", "1").with("mcp.rate-burst-changes", "2");

    static final Pattern RETRY = Pattern.compile("try again in (\\d+) s\\.");

    @Test
    void aCallerPastTheBurstIsToldWhenToRetryAndQarnotIsNotCalled() {
        env.qarnot().stubFor(post("/tasks/summaries/paginate").willReturn(okJson(Fixtures.SUMMARIES_PAGE)));
        env.qarnot().stubFor(post("/tasks/" + Fixtures.TASK_UUID + "/abort").willReturn(aResponse().withStatus(200)));
        McpSyncClient a = env.client();
        for (int i = 0; i < 3; i++) {
            assertThat(listTasks(a).isError()).isFalse();
        }
        CallToolResult limited = listTasks(a);
        assertThat(limited.isError()).isTrue();
        assertThat(text(limited)).startsWith("Rate limit: this server lets each caller make 1 calls per minute (bursts "
                + "of 3) to tools that change nothing (MCP_RATE_LIMIT, MCP_RATE_BURST). Nothing was done;");
        assertThat(retrySeconds(limited)).isBetween(1L, 60L);
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).hasSize(3);

        // State-changing tools have their own bucket: still open after the reads ran out, and closed after two.
        assertThat(abort(a).isError()).isFalse();
        assertThat(abort(a).isError()).isFalse();
        CallToolResult third = abort(a);
        assertThat(text(third)).contains("to tools that change something (MCP_RATE_LIMIT_CHANGES, MCP_RATE_BURST_CHANGES)");
        assertThat(retrySeconds(third)).isBetween(1L, 60L);
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).hasSize(5);

        // Another caller (another key, so another pseudonymous user id) has its own buckets.
        try (McpSyncClient b = env.server().clientWithKey("qk-rate-b")) {
            assertThat(listTasks(b).isError()).isFalse();
            assertThat(abort(b).isError()).isFalse();
        }
    }

    private static CallToolResult listTasks(McpSyncClient client) {
        return client.callTool(new McpSchema.CallToolRequest("list_tasks", Map.of()));
    }

    private static CallToolResult abort(McpSyncClient client) {
        return client.callTool(new McpSchema.CallToolRequest("abort_task", Map.of("uuid", Fixtures.TASK_UUID)));
    }

    private static long retrySeconds(CallToolResult result) {
        Matcher m = RETRY.matcher(text(result));
        assertThat(m.find()).as(text(result)).isTrue();
        return Long.parseLong(m.group(1));
    }
}
