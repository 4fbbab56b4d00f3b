package org.qarnotmcp.tool;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;

/**
 * Checks a route file before a reload replaces the running routes: YAML syntax, and for every {@code mcp-tool}
 * route its option names, description and schemas. Camel removes a route before it starts the new version, so
 * a tool whose new file is broken would vanish; with this check the last good version keeps serving.
 */
final class ToolFileCheck {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> OPTIONS = Set.of("title", "description", "argSchema", "outputSchema",
            "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint", "timeout");

    private ToolFileCheck() {
    }

    static List<String> problems(CamelContext context, Resource resource) {
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return List.of("cannot be read: " + e.getMessage());
        }
        if (text.isBlank()) {
            return List.of("is empty (still being written?)");
        }
        Object document;
        try {
            document = YAML.readValue(text, Object.class);
        } catch (Exception e) {
            return List.of("is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<String> problems = new ArrayList<>();
        if (document instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> entry && entry.get("route") instanceof Map<?, ?> route
                        && route.get("from") instanceof Map<?, ?> from) {
                    checkTool(context, resource, from, problems);
                }
            }
        }
        return problems;
    }

    private static void checkTool(CamelContext context, Resource resource, Map<?, ?> from, List<String> problems) {
        Object uri = from.get("uri");
        if (uri == null || !uri.toString().startsWith("mcp-tool:")) {
            return;
        }
        String name = uri.toString().substring("mcp-tool:".length());
        String where = "Tool '" + name + "' (" + resource.getLocation() + ")";
        Map<?, ?> parameters = from.get("parameters") instanceof Map<?, ?> p ? p : Map.of();
        for (Object key : parameters.keySet()) {
            if (!OPTIONS.contains(String.valueOf(key)) && !String.valueOf(key).startsWith("parameter.")) {
                problems.add(where + ": unknown option '" + key + "'; the options are " + OPTIONS);
            }
        }
        Object description = parameters.get("description");
        if (description == null || description.toString().isBlank()) {
            problems.add(where + ": 'description' is required");
        }
        for (String option : List.of("argSchema", "outputSchema")) {
            Object schema = parameters.get(option);
            if (schema == null) {
                continue;
            }
            if (!(schema instanceof String)) {
                problems.add(where + ": " + option + " must be a text block ('" + option + ": |' followed by the schema)");
                continue;
            }
            try {
                Schemas.compile(Schemas.read(context, (String) schema, option, where));
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
    }
}
