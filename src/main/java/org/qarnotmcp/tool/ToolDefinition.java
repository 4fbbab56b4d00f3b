package org.qarnotmcp.tool;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.util.TimeUtils;

/**
 * A tool as declared by its route: the MCP {@link McpSchema.Tool} that {@code tools/list} shows, the compiled
 * input schema, the top-level argument defaults, and its timeout. Built and checked when the route starts.
 */
public final class ToolDefinition {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of(),
            "additionalProperties", false);

    private final McpSchema.Tool tool;
    private final Schema argValidator;
    private final Map<String, Object> defaults;
    private final Duration timeout;
    private final String source;
    private final Map<String, String> headerParams;

    private ToolDefinition(McpSchema.Tool tool, Schema argValidator, Map<String, Object> defaults, Duration timeout,
            String source, Map<String, String> headerParams) {
        this.tool = tool;
        this.headerParams = headerParams;
        this.argValidator = argValidator;
        this.defaults = defaults;
        this.timeout = timeout;
        this.source = source;
    }

    static ToolDefinition of(McpToolEndpoint endpoint, ToolOptions options, String source) {
        String name = endpoint.getToolName();
        String title = options.text("title", endpoint.getTitle());
        String description = options.text("description", endpoint.getDescription());
        String argSchema = options.text("argSchema", endpoint.getArgSchema());
        String outputSchema = options.text("outputSchema", endpoint.getOutputSchema());
        String where = "Tool '" + name + "' (" + source + ")";
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ToolDefinitionException(where + ": the tool name must be 1 to 128 characters among A-Z a-z 0-9 _ . -");
        }
        if (description == null || description.isBlank()) {
            throw new ToolDefinitionException(where + ": 'description' is required; it is what the model reads to "
                    + "choose the tool.");
        }
        if (argSchema != null && !endpoint.getParameters().isEmpty()) {
            throw new ToolDefinitionException(where + ": use argSchema or parameter.* options, not both.");
        }
        Map<String, Object> input = argSchema != null
                ? Schemas.read(endpoint.getCamelContext(), argSchema, "argSchema", where)
                : endpoint.getParameters().isEmpty() ? NO_ARGUMENTS : SimpleParameters.toSchema(endpoint.getParameters(), where);
        Map<String, Object> output = outputSchema == null ? null
                : Schemas.read(endpoint.getCamelContext(), outputSchema, "outputSchema", where);
        Duration timeout = null;
        if (endpoint.getTimeout() != null) {
            try {
                timeout = Duration.ofMillis(TimeUtils.toMilliSeconds(endpoint.getTimeout()));
            } catch (RuntimeException e) {
                throw new ToolDefinitionException(where + ": timeout '" + endpoint.getTimeout()
                        + "' is not a duration; write e.g. 30s or 2m.");
            }
        }
        McpSchema.ToolAnnotations annotations = McpSchema.ToolAnnotations.builder()
                .title(title)
                .readOnlyHint(endpoint.getReadOnlyHint())
                .destructiveHint(endpoint.getDestructiveHint())
                .idempotentHint(endpoint.getIdempotentHint())
                .openWorldHint(endpoint.getOpenWorldHint())
                .build();
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description.strip())
                .inputSchema(input)
                .outputSchema(output)
                .annotations(annotations)
                .build();
        return new ToolDefinition(tool, Schemas.compile(input), defaultsOf(input), timeout, source,
                headerParamsOf(input, where));
    }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * Top-level arguments that MCP 2026-07-28 clients mirror into {@code Mcp-Param-<name>} headers ({@code
     * x-mcp-header} in the schema), so that a gateway can see them without reading the body. Only strings,
     * integers and booleans; names are HTTP tokens, unique ignoring case.
     */
    private static Map<String, String> headerParamsOf(Map<String, Object> schema, String where) {
        Map<String, String> params = new LinkedHashMap<>();
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((key, value) -> {
                if (value instanceof Map<?, ?> property && property.get("x-mcp-header") != null) {
                    String header = String.valueOf(property.get("x-mcp-header"));
                    Object type = property.get("type");
                    if (!TOKEN.matcher(header).matches() || !List.of("string", "integer", "boolean").contains(type)
                            || params.values().stream().anyMatch(header::equalsIgnoreCase)) {
                        throw new ToolDefinitionException(where + ": x-mcp-header '" + header + "' of '" + key + "' "
                                + "must be a unique HTTP token on a string, integer or boolean argument.");
                    }
                    params.put(String.valueOf(key), header);
                }
            });
        }
        return Map.copyOf(params);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> defaultsOf(Map<String, Object> schema) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((key, value) -> {
                if (value instanceof Map<?, ?> property && property.containsKey("default")) {
                    defaults.put(String.valueOf(key), ((Map<String, Object>) property).get("default"));
                }
            });
        }
        return Map.copyOf(defaults);
    }

    /** Each way the arguments break the input schema, one line each; empty when they are valid. */
    public List<String> violations(Map<String, Object> arguments) {
        List<Error> errors = argValidator.validate(Schemas.toTree(arguments));
        return errors.stream().map(ToolDefinition::describe).distinct().toList();
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        String message = error.getMessage();
        if (location.isEmpty() || location.equals("$") || message.startsWith(location)) {
            return message;
        }
        return location + ": " + message;
    }

    /** The arguments with the schema's top-level defaults filled in where the caller sent nothing. */
    public Map<String, Object> withDefaults(Map<String, Object> arguments) {
        Map<String, Object> all = new LinkedHashMap<>(defaults);
        all.putAll(arguments);
        return all;
    }

    public String name() {
        return tool.name();
    }

    public McpSchema.Tool tool() {
        return tool;
    }

    public boolean hasOutputSchema() {
        return tool.outputSchema() != null;
    }

    /** The tool's own timeout, or null to use the server default. */
    public Duration timeout() {
        return timeout;
    }

    public String source() {
        return source;
    }

    /** Argument name to the {@code Mcp-Param-} header suffix that carries it (empty for most tools). */
    public Map<String, String> headerParams() {
        return headerParams;
    }
}
