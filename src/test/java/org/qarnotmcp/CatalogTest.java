package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.ToolCallsTest.map;
import static org.qarnotmcp.ToolCallsTest.text;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qarnotmcp.support.Fixtures;
import org.qarnotmcp.support.RunningServer;
import org.qarnotmcp.support.ServerWithQarnot;

/**
 * Each catalog tool sends exactly the request the Qarnot API expects (method, path, query, body) and returns the
 * shaped result; each turns Qarnot's 400, 402, 403 and 404 into a message that says what to do next.
 */
class CatalogTest {

    static final String T = "e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b";
    static final String NEW = "cddbc5ab-c44d-4c49-9421-0ab795613da7";
    static final String POOL = "7b6c1c1e-1a1a-4b2b-9c3c-0d0d0d0d0d0d";
    static final String JOB = "5d1e7ac1-9c36-4c65-9e3c-7e1a6a0b3c11";

    @RegisterExtension
    static ServerWithQarnot env = new ServerWithQarnot("qk-catalog")
            .with("qarnot.max-retries", "0");
    static WireMockServer qarnot;
    static RunningServer server;
    static McpSyncClient client;

    @BeforeEach
    void bind() {
        qarnot = env.qarnot();
        server = env.server();
        client = env.client();
    }

    /** One upstream exchange: the request the tool must send and what Qarnot answers. */
    record Upstream(String method, String url, String body, String answer) {
    }

    record Case(String tool, Map<String, Object> args, List<Upstream> upstream, Consumer<CallToolResult> check) {
        @Override
        public String toString() {
            return tool + " " + args.keySet();
        }
    }

    static Upstream up(String method, String url, String body, String answer) {
        return new Upstream(method, url, body, answer);
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("get_task", Map.of("uuid", T), List.of(up("GET", "/tasks/" + T, null, Fixtures.TASK)), r -> {
            Map<String, Object> s = map(r.structuredContent());
            assertThat(s).containsEntry("uuid", T).containsEntry("state", "Failure").containsEntry("resultBucket", "result")
                    .doesNotContainKeys("shortname", "status", "completedInstances", "hardwareConstraints");
            assertThat(map(s.get("instances"))).containsEntry("requested", 3).containsEntry("succeeded", 2)
                    .containsEntry("failed", 1).containsEntry("cancelled", 0).containsEntry("running", 0);
            assertThat(s.get("errors")).isEqualTo(List.of(Map.of("code", "exit", "message", "Instance 2 exited with 1")));
            assertThat(s.get("failedInstances")).isEqualTo(List.of(Map.of("instanceId", 2, "error", "exited with 1")));
            assertThat(map(s.get("timings"))).containsEntry("executionTime", "00:28:04");
        }));
        c.add(new Case("abort_task", Map.of("uuid", T), List.of(up("POST", "/tasks/" + T + "/abort", null, "")),
                r -> assertThat(text(r)).contains("Abort requested", T)));
        c.add(new Case("delete_task", Map.of("uuid", T), List.of(up("DELETE", "/tasks/" + T, null, "")),
                r -> assertThat(text(r)).isEqualTo("Task " + T + " deleted.")));
        for (String action : List.of("retry", "resume", "recover")) {
            c.add(new Case(action + "_task", Map.of("uuid", T, "name", "again"),
                    List.of(up("POST", "/tasks/" + T + "/" + action, "{\"name\":\"again\"}", Fixtures.CREATED)), r -> {
                        assertThat(map(r.structuredContent())).containsEntry("uuid", NEW).containsEntry("sourceUuid", T);
                        assertThat(text(r)).contains("wait_for_task");
                    }));
        }
        c.add(new Case("clone_task", Map.of("uuid", T, "instanceCount", 5, "tags", List.of("x")),
                List.of(up("POST", "/tasks/" + T + "/clone", "{\"instanceCount\":5,\"tags\":[\"x\"]}", Fixtures.CREATED)),
                r -> assertThat(map(r.structuredContent())).containsEntry("uuid", NEW)));
        c.add(new Case("list_profiles", Map.of(), List.of(up("GET", "/profiles", null, "[\"docker-batch\",\"docker-network\"]")),
                r -> assertThat(map(r.structuredContent()).get("profiles")).isEqualTo(List.of("docker-batch", "docker-network"))));
        c.add(new Case("get_profile", Map.of("name", "docker-batch"), List.of(up("GET", "/profiles/docker-batch", null, Fixtures.PROFILE)),
                r -> assertThat(map(r.structuredContent()).get("constants")).isEqualTo(List.of(
                        Map.of("name", "DOCKER_REPO", "default", "library/ubuntu", "description", "Docker image to run"),
                        Map.of("name", "DOCKER_CMD", "description", "Command to run")))));
        c.add(new Case("list_pools", Map.of("states", List.of("FullyExecuting"), "pageSize", 5),
                List.of(up("POST", "/pools/summaries/paginate", "{\"token\":null,\"maximumResults\":5,\"orderBy\":\"creationDate\","
                        + "\"orderType\":\"DESC\",\"filter\":{\"operator\":\"In\",\"field\":\"State\",\"values\":[\"FullyExecuting\"]}}",
                        Fixtures.POOLS_PAGE)), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat(s).containsEntry("count", 1).doesNotContainKey("nextPageToken");
                    assertThat(map(((List<?>) s.get("pools")).get(0))).containsEntry("uuid", POOL)
                            .containsEntry("queuedOrRunningTaskInstances", 12).doesNotContainKeys("previousState", "endDate");
                }));
        c.add(new Case("get_pool", Map.of("uuid", "render-pool"), List.of(up("GET", "/pools/render-pool", null,
                Fixtures.POOLS_PAGE.substring(Fixtures.POOLS_PAGE.indexOf('[') + 1, Fixtures.POOLS_PAGE.lastIndexOf(']')))),
                r -> assertThat(map(r.structuredContent())).containsEntry("name", "render-pool").containsEntry("state", "FullyExecuting")));
        c.add(new Case("close_pool", Map.of("uuid", POOL), List.of(up("POST", "/pools/" + POOL + "/close", null, "")),
                r -> assertThat(text(r)).contains("closing")));
        c.add(new Case("list_jobs", Map.of(), List.of(up("POST", "/jobs/paginate", "{\"token\":null,\"maximumResults\":20,"
                + "\"orderBy\":\"creationDate\",\"orderType\":\"DESC\",\"filter\":null}",
                "{\"data\":[" + Fixtures.JOB + "],\"count\":1,\"total\":9,\"isTruncated\":true,\"nextToken\":\"n2\"}")), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat(s).containsEntry("total", 9).containsEntry("nextPageToken", "n2");
                    assertThat(map(((List<?>) s.get("jobs")).get(0))).containsEntry("uuid", JOB).containsEntry("state", "Active");
                }));
        c.add(new Case("get_job", Map.of("uuid", JOB), List.of(up("GET", "/jobs/" + JOB, null, Fixtures.JOB),
                up("GET", "/jobs/" + JOB + "/tasks", null, "[" + Fixtures.TASK + "]")), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat(s).containsEntry("name", "nightly").containsEntry("taskCount", 1);
                    assertThat(map(((List<?>) s.get("tasks")).get(0))).containsEntry("uuid", T).containsEntry("state", "Failure")
                            .doesNotContainKey("errors");
                }));
        c.add(new Case("create_job", Map.of("name", "nightly", "useDependencies", true, "maxWallTime", "12:00:00"),
                List.of(up("POST", "/jobs", "{\"name\":\"nightly\",\"useDependencies\":true,\"maxWallTime\":\"12:00:00\"}",
                        Fixtures.CREATED)), r -> assertThat(map(r.structuredContent())).containsEntry("uuid", NEW)));
        c.add(new Case("terminate_job", Map.of("uuid", JOB), List.of(up("POST", "/jobs/" + JOB + "/terminate", null, "")),
                r -> assertThat(text(r)).contains("terminating")));
        c.add(new Case("get_account", Map.of(), List.of(up("GET", "/info", null, Fixtures.INFO),
                up("GET", "/credits/v1/accounts/credits", null, "{\"credits\": 1234.5}")), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat(s).containsEntry("email", "some@user.com").containsEntry("credits", 1234.5);
                    assertThat(map(map(s.get("quotas")).get("tasks"))).containsEntry("used", 2).containsEntry("max", 100);
                    assertThat(map(map(s.get("quotas")).get("cores"))).containsEntry("used", 16).containsEntry("max", 512);
                }));
        c.add(new Case("list_hardware_constraints", Map.of("limit", 3), List.of(up("GET", "/hardware-constraints?limit=3&offset=0",
                null, Fixtures.HARDWARE)), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat((List<?>) s.get("constraints")).hasSize(3);
                    assertThat(s).containsEntry("nextOffset", 3).containsEntry("total", 10);
                }));
        c.add(new Case("list_hardware_constraints", Map.of("cpuModel", "ryzen 7"), List.of(up("GET",
                "/hardware-constraints/cpu-model-constraints/search?cpuModel=ryzen%207", null,
                "[{\"discriminator\":\"CpuModelHardwareConstraint\",\"cpuModel\":\"AMD Ryzen 7 2700\"}]")),
                r -> assertThat(text(r)).contains("AMD Ryzen 7 2700")));
        c.add(new Case("get_task_usage", Map.of("uuid", T), List.of(up("GET", "/credits/v1/tasks/" + T + "/credits", null,
                "{\"credits\": 3.25}"), up("GET", "/carbon/v1/Tasks/" + T + "/carbon-facts", null, Fixtures.CARBON)), r -> {
                    Map<String, Object> s = map(r.structuredContent());
                    assertThat(s).containsEntry("credits", 3.25);
                    assertThat(map(s.get("carbonFacts"))).containsEntry("carbonFootprintC02Eq", 17.7)
                            .containsEntry("comparisonDataCenterName", "Common European Datacenter");
                }));
        c.add(new Case("list_tasks", Map.of("name", "render", "orderBy", "name", "order", "ASC"), List.of(up("POST",
                "/tasks/summaries/paginate", "{\"token\":null,\"maximumResults\":20,\"orderBy\":\"name\",\"orderType\":\"ASC\","
                        + "\"filter\":{\"operator\":\"Like\",\"field\":\"Name\",\"value\":\"render\"}}", Fixtures.SUMMARIES_PAGE)),
                r -> assertThat(map(r.structuredContent())).containsEntry("count", 2)));
        c.add(new Case("submit_job", json("""
                {"name": "full", "dockerImage": "ghcr.io/org/img:1.2", "command": "run", "advancedRanges": "0-9,15",
                 "labels": {"team": "r&d"}, "schedulingType": "onDemand",
                 "hardwareConstraints": [{"discriminator": "MinimumCoreHardwareConstraint", "coreCount": 16}],
                 "resourceBuckets": ["in"], "resultBucket": "out", "maxTotalRetries": 3, "autoDeleteOnCompletion": true}
                """),
                List.of(up("POST", "/tasks", """
                        {"name":"full","profile":"docker-batch","advancedRanges":"0-9,15",
                         "constants":[{"key":"DOCKER_REPO","value":"ghcr.io/org/img"},{"key":"DOCKER_TAG","value":"1.2"},
                                      {"key":"DOCKER_CMD","value":"run"}],
                         "tags":[],"labels":{"team":"r&d"},
                         "hardwareConstraints":[{"discriminator":"MinimumCoreHardwareConstraint","coreCount":16}],
                         "resourceBuckets":["in"],"resultBucket":"out","schedulingType":"onDemand",
                         "retrySettings":{"maxTotalRetries":3},"autoDeleteOnCompletion":true}
                        """, Fixtures.CREATED)),
                r -> assertThat(map(r.structuredContent()).get("summary").toString()).contains("instances 0-9,15",
                        "ghcr.io/org/img:1.2")));
        c.add(new Case("submit_job", Map.of("name", "in-pool", "poolUuid", POOL, "constants", Map.of("SCENE", "a.blend")),
                List.of(up("POST", "/tasks", "{\"name\":\"in-pool\",\"poolUuid\":\"" + POOL + "\",\"instanceCount\":1,"
                        + "\"constants\":[{\"key\":\"SCENE\",\"value\":\"a.blend\"}],\"tags\":[]}", Fixtures.CREATED)),
                r -> assertThat(text(r)).contains("pool " + POOL)));
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sendsExactlyTheExpectedRequestAndShapesTheAnswer(Case c) {
        for (Upstream u : c.upstream()) {
            qarnot.stubFor(request(u.method(), urlEqualTo(u.url())).willReturn(u.answer().isEmpty()
                    ? aResponse().withStatus(200) : okJson(u.answer())));
        }
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest(c.tool(), c.args()));

        assertThat(result.isError()).as(text(result)).isFalse();
        for (Upstream u : c.upstream()) {
            RequestPatternBuilder expected = requestedFor(u.method(), urlEqualTo(u.url()));
            if (u.body() != null) {
                expected.withRequestBody(equalToJson(u.body()));
            }
            qarnot.verify(1, expected);
        }
        qarnot.verify(c.upstream().size(), anyRequestedFor(anyUrl()));
        c.check().accept(result);
    }

    /** Minimal valid arguments for every tool that calls Qarnot, and the tool that lists what was not found. */
    static Stream<Arguments> everyTool() {
        return Stream.of(
                Arguments.of("list_tasks", Map.of(), null), Arguments.of("get_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("submit_job", Map.of("name", "n", "dockerImage", "ubuntu"), "list_buckets"),
                Arguments.of("list_task_results", Map.of("uuid", T), "list_tasks"),
                Arguments.of("get_logs", Map.of("uuid", T), "list_tasks"),
                Arguments.of("wait_for_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("abort_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("delete_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("retry_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("resume_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("recover_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("clone_task", Map.of("uuid", T), "list_tasks"),
                Arguments.of("list_profiles", Map.of(), null),
                Arguments.of("get_profile", Map.of("name", "nope"), "list_profiles"),
                Arguments.of("list_pools", Map.of(), null), Arguments.of("get_pool", Map.of("uuid", POOL), "list_pools"),
                Arguments.of("close_pool", Map.of("uuid", POOL), "list_pools"),
                Arguments.of("list_jobs", Map.of(), null), Arguments.of("get_job", Map.of("uuid", JOB), "list_jobs"),
                Arguments.of("create_job", Map.of("name", "j"), null),
                Arguments.of("terminate_job", Map.of("uuid", JOB), "list_jobs"),
                Arguments.of("get_account", Map.of(), null), Arguments.of("list_hardware_constraints", Map.of(), null),
                Arguments.of("get_task_usage", Map.of("uuid", T), "list_tasks"));
    }

    @ParameterizedTest
    @MethodSource("everyTool")
    void everyToolExplainsQarnotRefusals(String tool, Map<String, Object> args, String listingTool) {
        assertRefusal(tool, args, 404, "{\"message\":\"No such thing\"}", listingTool != null ? listingTool : "Not found");
        assertRefusal(tool, args, 403, "{\"message\":\"Maximum number of tasks reached\"}", "quota is reached");
        assertRefusal(tool, args, 402, "{\"message\":\"Not enough credits\"}", "enough credits");
        assertRefusal(tool, args, 400, "{\"message\":\"Invalid task file. Invalid fields: name\"}", "refused the request as invalid");
    }

    void assertRefusal(String tool, Map<String, Object> args, int status, String body, String expected) {
        qarnot.resetAll();
        qarnot.stubFor(WireMock.any(anyUrl()).willReturn(aResponse().withStatus(status).withBody(body)));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(result.isError()).as(tool + " on " + status).isTrue();
        assertThat(text(result)).as(tool + " on " + status).contains(expected, "HTTP " + status);
    }

    @Test
    void submitJobChecksItsArgumentsBeforeCallingQarnot() {
        String[][] refusals = {
            {"{\"name\":\"x\",\"profile\":\"docker-batch\",\"poolUuid\":\"p1\"}", "profile or poolUuid, not both"},
            {"{\"name\":\"x\",\"dockerImage\":\"ubuntu\",\"instanceCount\":2,\"advancedRanges\":\"0-1\"}", "instanceCount or advancedRanges"},
            {"{\"name\":\"x\",\"poolUuid\":\"p1\",\"hardwareConstraints\":[{\"discriminator\":\"GpuHardwareConstraint\"}]}", "pool"},
            {"{\"name\":\"x\"}", "Say what to run"}};
        for (String[] refusal : refusals) {
            Map<String, Object> args = json(refusal[0]);
            CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job", args));
            assertThat(result.isError()).as(refusal[0]).isTrue();
            assertThat(text(result)).contains(refusal[1]);
        }
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aDryRunShowsThePayloadAndCreatesNothing() {
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of("name", "dry",
                "dockerImage", "alpine", "command", "echo hi", "dryRun", true)));
        assertThat(result.isError()).isFalse();
        Map<String, Object> s = map(result.structuredContent());
        assertThat(s).containsEntry("dryRun", true).doesNotContainKey("uuid");
        assertThat(map(map(s.get("request")).get("body"))).containsEntry("profile", "docker-batch").containsEntry("instanceCount", 1);
        assertThat(s.get("summary").toString()).contains("Nothing was created");
        qarnot.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void waitForTaskPollsUntilTheTaskEndsThenReturnsTheOutputTail() {
        qarnot.stubFor(WireMock.get("/tasks/" + T).inScenario("run").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(Fixtures.TASK.replace("\"state\": \"Failure\"", "\"state\": \"FullyExecuting\"")))
                .willSetStateTo("done"));
        qarnot.stubFor(WireMock.get("/tasks/" + T).inScenario("run").whenScenarioStateIs("done")
                .willReturn(okJson(Fixtures.TASK.replace("\"state\": \"Failure\"", "\"state\": \"Success\""))));
        qarnot.stubFor(WireMock.get("/tasks/" + T + "/stdout").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("a\nb\nc\nhello world\n")));

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("wait_for_task",
                Map.of("uuid", T, "pollSeconds", 1, "tailLines", 2)));

        Map<String, Object> s = map(result.structuredContent());
        assertThat(s).containsEntry("state", "Success").containsEntry("finished", true).containsEntry("stdoutTail", "c\nhello world");
        qarnot.verify(2, WireMock.getRequestedFor(urlEqualTo("/tasks/" + T)));
    }

    @Test
    void waitForTaskGivesUpAfterItsTimeoutAndSaysHowToGoOn() {
        qarnot.stubFor(WireMock.get("/tasks/" + T).willReturn(okJson(Fixtures.TASK.replace("\"state\": \"Failure\"",
                "\"state\": \"Submitted\""))));
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("wait_for_task",
                Map.of("uuid", T, "timeoutSeconds", 2, "pollSeconds", 1)));
        Map<String, Object> s = map(result.structuredContent());
        assertThat(s).containsEntry("finished", false).containsEntry("state", "Submitted").doesNotContainKey("stdoutTail");
        assertThat(s.get("next").toString()).contains("call wait_for_task again");
        qarnot.verify(0, WireMock.getRequestedFor(urlEqualTo("/tasks/" + T + "/stdout")));
    }

    @Test
    void aHelloWorldConversationNeedsOnlyTheseTools() {
        qarnot.stubFor(WireMock.post("/tasks").willReturn(okJson(Fixtures.CREATED)));
        qarnot.stubFor(WireMock.get("/tasks/" + NEW).inScenario("hello").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(Fixtures.TASK.replace(T, NEW).replace("\"state\": \"Failure\"", "\"state\": \"Submitted\"")))
                .willSetStateTo("running"));
        qarnot.stubFor(WireMock.get("/tasks/" + NEW).inScenario("hello").whenScenarioStateIs("running")
                .willReturn(okJson(Fixtures.TASK.replace(T, NEW).replace("\"state\": \"Failure\"", "\"state\": \"Success\""))));
        qarnot.stubFor(WireMock.get("/tasks/" + NEW + "/stdout").willReturn(aResponse().withHeader("Content-Type", "text/plain")
                .withBody("hello world from 0\n")));
        qarnot.stubFor(WireMock.delete("/tasks/" + NEW).willReturn(aResponse().withStatus(200)));

        // "Submit a hello-world job, wait for it, show me its output, then delete it."
        CallToolResult submitted = client.callTool(new McpSchema.CallToolRequest("submit_job", Map.of("name", "hello-world",
                "dockerImage", "library/ubuntu", "command", "echo hello world from ${INSTANCE_ID}")));
        String uuid = map(submitted.structuredContent()).get("uuid").toString();
        CallToolResult waited = client.callTool(new McpSchema.CallToolRequest("wait_for_task", Map.of("uuid", uuid, "pollSeconds", 1)));
        CallToolResult output = client.callTool(new McpSchema.CallToolRequest("get_logs", Map.of("uuid", uuid)));
        CallToolResult deleted = client.callTool(new McpSchema.CallToolRequest("delete_task", Map.of("uuid", uuid)));

        assertThat(uuid).isEqualTo(NEW);
        assertThat(map(waited.structuredContent())).containsEntry("state", "Success").containsEntry("stdoutTail", "hello world from 0");
        assertThat(text(output)).endsWith("hello world from 0");
        assertThat(text(deleted)).isEqualTo("Task " + NEW + " deleted.");
        qarnot.verify(1, WireMock.deleteRequestedFor(urlEqualTo("/tasks/" + NEW)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
