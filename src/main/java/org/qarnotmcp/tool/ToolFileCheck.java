package org.qarnotmcp.tool;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;

/**
 * Checks a route file before a reload replaces the running routes: YAML syntax; route ids and tool names that
 * another file already uses; every Groovy script compiles; and for every {@code mcp-tool} route its option names,
 * description and schemas. Each problem is one line naming the file, the tool (or route) and the property. Camel removes a route before it starts the new version, so
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
                if (item instanceof Map<?, ?> entry && entry.get("route") instanceof Map<?, ?> route) {
                    String tool = route.get("from") instanceof Map<?, ?> from ? toolName(from.get("uri")) : null;
                    String where = tool != null ? "Tool '" + tool + "' (" + resource.getLocation() + ")"
                            : "Route '" + route.get("id") + "' (" + resource.getLocation() + ")";
                    checkCollisions(context, resource, route.get("id"), tool, where, problems);
                    if (tool != null) {
                        checkTool(context, resource, (Map<?, ?>) route.get("from"), problems);
                    }
                    GroovyCheck.check(route, "route", where, problems);
                }
            }
        }
        return problems;
    }

    /**
     * A route id or a tool name that another file already uses would silently replace that file's tool (and the tool
     * would stay gone when this file is deleted): refused, naming both files.
     */
    private static void checkCollisions(CamelContext context, Resource resource, Object id, String tool, String where,
            List<String> problems) {
        for (Route running : context.getRoutes()) {
            String file = fileOf(running.getSourceLocation());
            if (file == null || sameFile(file, resource.getLocation())) {
                continue;
            }
            if (id != null && id.toString().equals(running.getRouteId())) {
                problems.add(where + ": route id '" + id + "' is already used by " + file + "; give this route another id");
            }
            String runningTool = toolName(running.getEndpoint().getEndpointUri());
            if (tool != null && tool.equals(runningTool)) {
                problems.add(where + ": tool name '" + tool + "' is already defined in " + file
                        + "; tool names must be unique (rename one of them)");
            }
        }
    }

    /** {@code mcp-tool:name} or {@code mcp-tool://name?...} to the name; null for other endpoints. */
    static String toolName(Object uri) {
        if (uri == null || !uri.toString().startsWith("mcp-tool:")) {
            return null;
        }
        String name = uri.toString().substring("mcp-tool:".length());
        name = name.startsWith("//") ? name.substring(2) : name;
        int q = name.indexOf('?');
        return q < 0 ? name : name.substring(0, q);
    }

    /** {@code file:routes/x.camel.yaml} and {@code file:/app/routes/x.camel.yaml} are the same file. */
    static boolean sameFile(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Path.of(a.replaceFirst("^file:", "")).toAbsolutePath().normalize()
                    .equals(Path.of(b.replaceFirst("^file:", "")).toAbsolutePath().normalize());
        } catch (RuntimeException notAPath) {
            return false;
        }
    }

    /** A route's source location ({@code file:/dir/x.camel.yaml:12}) without its line number. */
    static String fileOf(String sourceLocation) {
        if (sourceLocation == null) {
            return null;
        }
        int colon = sourceLocation.lastIndexOf(':');
        return colon > 0 && sourceLocation.substring(colon + 1).chars().allMatch(Character::isDigit)
                && colon + 1 < sourceLocation.length() ? sourceLocation.substring(0, colon) : sourceLocation;
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
