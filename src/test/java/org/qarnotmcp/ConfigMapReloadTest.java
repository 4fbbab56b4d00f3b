package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qarnotmcp.RouteReloadTest.awaitTool;
import static org.qarnotmcp.RouteReloadTest.call;
import static org.qarnotmcp.RouteReloadTest.tool;

import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qarnotmcp.support.ConfigMapVolume;
import org.qarnotmcp.support.RoutesDir;
import org.qarnotmcp.support.RunningServer;

/**
 * Route files mounted from a Kubernetes ConfigMap: every update is the kubelet's atomic {@code ..data} symlink
 * swap, reproduced on disk; each one must change the tools without restart.
 */
class ConfigMapReloadTest {

    @Test
    void aConfigMapUpdateChangesAddsAndRemovesTools(@TempDir Path tmp) throws Exception {
        ConfigMapVolume volume = new ConfigMapVolume(tmp.resolve("routes"));
        volume.update(ConfigMapVolume.withQarnotRoute(Map.of(
                "hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello", "hello v1"))));
        assertThat(Files.isSymbolicLink(volume.path().resolve("hello.camel.yaml"))).isTrue();
        try (RunningServer server = RunningServer.start(Map.of("mcp.routes-dir", volume.path().toString(),
                "mcp.routes-reload", "true"));
                McpSyncClient client = server.clientWithKey("qk")) {
            assertThat(call(client, "hello")).isEqualTo("hello v1");

            // An edit of a key: only the ..data link changes, the hello.camel.yaml link stays as it was.
            long swapped = System.nanoTime();
            volume.update(ConfigMapVolume.withQarnotRoute(Map.of(
                    "hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello again", "hello v2"))));
            awaitTool(client, "hello", t -> t.isPresent() && t.get().description().equals("Says hello again"));
            System.out.printf("ConfigMapReloadTest: swap to tools/list change %d ms%n", (System.nanoTime() - swapped) / 1_000_000);
            assertThat(call(client, "hello")).isEqualTo("hello v2");

            // A key added and one edited in the same swap.
            volume.update(ConfigMapVolume.withQarnotRoute(Map.of(
                    "hello.camel.yaml", RoutesDir.echoTool("hello", "Says hello a third time", "hello v3"),
                    "bye.camel.yaml", RoutesDir.echoTool("bye", "Says bye", "bye v1"))));
            awaitTool(client, "bye", Optional::isPresent);
            awaitTool(client, "hello", t -> t.isPresent() && t.get().description().equals("Says hello a third time"));
            assertThat(call(client, "bye")).isEqualTo("bye v1");

            // A broken edit is refused; the last good version keeps serving, and a later good swap is taken.
            volume.update(ConfigMapVolume.withQarnotRoute(Map.of(
                    "hello.camel.yaml", RoutesDir.echoTool("hello", "Broken", "x").replace("type: string", "type: strin"),
                    "bye.camel.yaml", RoutesDir.echoTool("bye", "Says bye again", "bye v2"))));
            awaitTool(client, "bye", t -> t.isPresent() && t.get().description().equals("Says bye again"));
            assertThat(call(client, "hello")).isEqualTo("hello v3");

            // A key removed from the ConfigMap: its tool goes.
            volume.update(ConfigMapVolume.withQarnotRoute(Map.of(
                    "bye.camel.yaml", RoutesDir.echoTool("bye", "Says bye again", "bye v2"))));
            awaitTool(client, "hello", Optional::isEmpty);
            assertThat(tool(client, "bye")).isPresent();
            assertThat(call(client, "bye")).isEqualTo("bye v2");
        }
    }
}
