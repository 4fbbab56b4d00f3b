package org.qarnotmcp.tool;

import java.util.Map;
import java.util.Set;
import org.apache.camel.support.component.EndpointUriFactorySupport;

/**
 * Tells the YAML DSL how to write {@code mcp-tool} options into the endpoint URI. The options listed as "secret"
 * here are wrapped in {@code RAW(...)}, so that {@code &}, {@code +} and {@code %} in schemas and descriptions
 * survive (and route dumps mask them). Camel still strips line breaks when it normalizes the URI, which is why
 * {@link ToolOptions} reads these options from the route's {@code from} as written.
 */
public class McpToolUriFactory extends EndpointUriFactorySupport {

    private static final Set<String> PROPERTIES = Set.of("title", "description", "argSchema", "outputSchema",
            "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint", "timeout");
    private static final Set<String> KEPT_RAW = Set.of("title", "description", "argSchema", "outputSchema");

    @Override
    public boolean isEnabled(String scheme) {
        return "mcp-tool".equals(scheme);
    }

    @Override
    public String buildUri(String scheme, Map<String, Object> properties, boolean encode) {
        Object name = properties.get("name");
        Map<String, Object> copy = new java.util.LinkedHashMap<>(properties);
        copy.remove("name");
        return buildQueryParameters(scheme + ":" + (name == null ? "" : name), copy, encode);
    }

    @Override
    public Set<String> propertyNames() {
        return PROPERTIES;
    }

    @Override
    public Set<String> secretPropertyNames() {
        return KEPT_RAW;
    }

    @Override
    public Map<String, String> multiValuePrefixes() {
        return Map.of();
    }

    @Override
    public boolean isLenientProperties() {
        return false;
    }
}
