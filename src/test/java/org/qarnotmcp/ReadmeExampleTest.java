package org.qarnotmcp;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/** The README's "Add a tool" example is the shipped file, and dropping it into a running server works. */
class ReadmeExampleTest {

    @RegisterExtension
    static WireMockExtension qarnot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void theWorkedExampleIsTheShippedRouteAndWorksWhenDroppedIn(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String example = readme.substring(readme.indexOf("```yaml\n# list_profiles") + "```yaml\n".length());
        example = example.substring(0, example.indexOf("```"));
        assertThat(example).isEqualTo(Files.readString(Path.of("routes", "list_profiles.camel.yaml")));

        qarnot.stubFor(WireMock.get("/profiles").willReturn(okJson("[\"docker-batch\",\"docker-network\",\"blender\"]")));
        RoutesDir routes = new RoutesDir(tmp);
        try (RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", tmp.toString(), "mcp.routes-reload",
                "true", "qarnot.base-url", qarnot.baseUrl()));
                McpSyncClient client = server.clientWithKey("qk")) {
            routes.write("list_profiles.camel.yaml", example);
            RouteReloadTest.awaitTool(client, "list_profiles", java.util.Optional::isPresent);
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("list_profiles",
                    Map.of("contains", "docker")));
            assertThat(ToolCallsTest.map(result.structuredContent()).get("profiles"))
                    .isEqualTo(List.of("docker-batch", "docker-network"));
        }
    }
}
