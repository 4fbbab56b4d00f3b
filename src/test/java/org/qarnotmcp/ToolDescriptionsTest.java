package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.support.RunningServer;

/**
 * Every input property of every tool, at any depth, has a description: the model reads it to fill the argument.
 * Checked on what tools/list serves, for every tool file in routes/.
 */
class ToolDescriptionsTest {

    @Test
    void everyInputPropertyOfEveryToolHasADescription() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of());
                McpSyncClient client = server.clientWithKey("qk-descriptions")) {
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(toolFilesOnDisk());
            List<String> missing = new ArrayList<>();
            for (McpSchema.Tool tool : tools) {
                walk(tool.name(), tool.inputSchema(), missing);
            }
            assertThat(missing).as("input properties without a description").isEmpty();
        }
    }

    /** Collects "tool: a.b.c" for each property under {@code properties} (and array items) with no description. */
    @SuppressWarnings("unchecked")
    static void walk(String where, Object schema, List<String> missing) {
        if (!(schema instanceof Map<?, ?> map)) {
            return;
        }
        if (map.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> {
                String path = where + (where.contains(":") ? "." : ": ") + name;
                if (!(property instanceof Map<?, ?> p) || !(p.get("description") instanceof String d) || d.isBlank()) {
                    missing.add(path);
                }
                walk(path, property, missing);
            });
        }
        if (map.get("items") instanceof Map<?, ?> items) {
            walk(where + (where.contains(":") ? "[]" : ": []"), items, missing);
        }
    }

    static List<String> toolFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(y -> y.contains("uri: mcp-tool:"))
                    .map(y -> y.replaceAll("(?s).*uri: mcp-tool:([A-Za-z0-9_.-]+).*", "$1")).toList();
        }
    }
}
