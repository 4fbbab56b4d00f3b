package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.text;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.ServerWithQarnot;

/** Spending limits at the wire: a request over a limit is refused, naming it, and never reaches the Qarnot stand-in. */
class SpendingLimitsTest {

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-limits")
            .with("mcp.limits.max-instances-per-task", "100")
            .with("mcp.limits.allowed-profiles", "docker-batch,blender")
            .with("mcp.limits.allowed-image-prefixes", "registry.acme.com/,library/");

    @Test
    void tooManyInstancesNeverReachQarnot() {
        CallToolResult refused = submit(Map.of("name", "big", "dockerImage", "library/ubuntu", "instanceCount", 500));
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).isEqualTo("Refused before reaching Qarnot: this task would run 500 instances, and this "
                + "server allows at most 100 per task (MCP_MAX_INSTANCES_PER_TASK). Ask for 100 or fewer (instanceCount "
                + "or advancedRanges), or ask the server's operator to raise the limit.");
        assertThat(text(submit(Map.of("name", "ranges", "dockerImage", "library/ubuntu", "advancedRanges", "0-99,200-299"))))
                .contains("would run 200 instances");
        // The dry run says the same without sending anything either.
        assertThat(text(submit(Map.of("name", "dry", "dockerImage", "library/ubuntu", "instanceCount", 101, "dryRun", true))))
                .contains("would run 101 instances");
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void profilesAndImagesOutsideTheAllowedOnesAreRefused() {
        assertThat(text(submit(Map.of("name", "p", "profile", "gpu-render"))))
                .contains("the profile 'gpu-render' is not one this server allows (MCP_ALLOWED_PROFILES: docker-batch, blender)");
        assertThat(text(submit(Map.of("name", "i", "dockerImage", "evil.example/miner:latest"))))
                .contains("the Docker image 'evil.example/miner' is not from a source this server allows "
                        + "(MCP_ALLOWED_IMAGE_PREFIXES: registry.acme.com/, library/)");
        // An image set through constants is the image the task runs: checked too.
        assertThat(text(submit(Map.of("name", "c", "dockerImage", "registry.acme.com/render",
                "constants", Map.of("DOCKER_REPO", "evil.example/miner"))))).contains("'evil.example/miner'");
        // A look-alike host is not the registry.
        assertThat(text(submit(Map.of("name", "l", "dockerImage", "registry.acme.com.evil.example/x")))).contains("Refused");
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).isEmpty();

        env.qarnot().stubFor(post("/tasks").willReturn(okJson(Fixtures.CREATED)));
        CallToolResult ok = submit(Map.of("name", "fine", "dockerImage", "registry.acme.com/render:2", "instanceCount", 100));
        assertThat(ok.isError()).as(text(ok)).isFalse();
        assertThat(env.qarnot().findAll(postRequestedFor(urlEqualTo("/tasks")))).hasSize(1);
    }

    @Test
    void aReRunIsCheckedAgainstWhatItsSourceTaskRuns() {
        // The source task runs qlab/pandas (not allowed) with one failed instance; its 3 instances are within the limit.
        env.qarnot().stubFor(get("/tasks/" + Fixtures.TASK_UUID).willReturn(okJson(Fixtures.TASK)));
        CallToolResult retry = env.client().callTool(new McpSchema.CallToolRequest("retry_task", Map.of("uuid", Fixtures.TASK_UUID)));
        assertThat(text(retry)).contains("the Docker image 'qlab/pandas' is not from a source this server allows");
        CallToolResult clone = env.client().callTool(new McpSchema.CallToolRequest("clone_task",
                Map.of("uuid", Fixtures.TASK_UUID, "instanceCount", 1000)));
        assertThat(text(clone)).contains("would run 1000 instances");
        // Only the source task was read (once per call: the profile and image limits need it); no re-run was asked for.
        assertThat(env.qarnot().findAll(anyRequestedFor(anyUrl()))).hasSize(2);
        assertThat(env.qarnot().findAll(getRequestedFor(urlEqualTo("/tasks/" + Fixtures.TASK_UUID)))).hasSize(2);
    }

    @Test
    void aCallerMayCreateOnlySoManyTasksAnHour() throws Exception {
        WireMockServer qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        qarnot.stubFor(post("/tasks").willReturn(okJson(Fixtures.CREATED)));
        qarnot.stubFor(post("/tasks/" + Fixtures.TASK_UUID + "/clone").willReturn(okJson(Fixtures.CREATED)));
        try (RunningServer server = RunningServer.start(Map.of("qarnot.base-url", qarnot.baseUrl(),
                "mcp.limits.max-tasks-per-hour", "2"));
                McpSyncClient a = server.clientWithKey("qk-hour-a");
                McpSyncClient b = server.clientWithKey("qk-hour-b")) {
            Map<String, Object> job = Map.of("name", "n", "dockerImage", "ubuntu");
            Map<String, Object> dry = new LinkedHashMap<>(job);
            dry.put("dryRun", true);
            assertThat(call(a, "submit_job", dry).isError()).isFalse(); // checked, not counted
            assertThat(call(a, "submit_job", job).isError()).isFalse();
            assertThat(call(a, "clone_task", Map.of("uuid", Fixtures.TASK_UUID)).isError()).isFalse();
            CallToolResult third = call(a, "submit_job", job);
            assertThat(text(third)).startsWith("Refused before reaching Qarnot: you have created 2 tasks in the last hour, "
                    + "the most this server allows per caller (MCP_MAX_TASKS_PER_HOUR=2). The next one is possible in ")
                    .endsWith(" min.");
            assertThat(call(b, "submit_job", job).isError()).isFalse(); // another caller
            assertThat(qarnot.findAll(anyRequestedFor(anyUrl()))).hasSize(3);
        } finally {
            qarnot.stop();
        }
    }

    private static CallToolResult submit(Map<String, Object> arguments) {
        return call(env.client(), "submit_job", arguments);
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }
}
