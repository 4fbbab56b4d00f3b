package org.qarnotmcp.tool;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;

/**
 * The text options of a tool exactly as the route file wrote them. Camel removes line breaks from endpoint URIs
 * before it configures the endpoint, which would flatten a multi-line YAML schema; the route model still holds
 * the URI as written, with the values {@code RAW(...)}-wrapped by {@link McpToolUriFactory}.
 */
final class ToolOptions {

    private final Map<String, Object> asWritten;

    private ToolOptions(Map<String, Object> asWritten) {
        this.asWritten = asWritten;
    }

    static ToolOptions of(CamelContext context, String routeId) {
        try {
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
            RouteDefinition route = model == null || routeId == null ? null : model.getRouteDefinition(routeId);
            FromDefinition from = route == null ? null : route.getInput();
            String uri = from == null ? null : from.getUri();
            String query = uri == null ? null : URISupport.extractQuery(uri);
            return new ToolOptions(query == null ? Map.of() : URISupport.parseQuery(query, true, true));
        } catch (Exception e) {
            return new ToolOptions(Map.of());
        }
    }

    /** The option as written, or {@code fallback} (the endpoint's configured value) when the model lacks it. */
    String text(String name, String fallback) {
        Object value = asWritten.get(name);
        if (value == null) {
            return fallback;
        }
        String text = value.toString();
        if ((text.startsWith("RAW(") && text.endsWith(")")) || (text.startsWith("RAW{") && text.endsWith("}"))) {
            return text.substring(4, text.length() - 1);
        }
        return text;
    }
}
