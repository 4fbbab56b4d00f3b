package org.qarnotmcp.tool;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

/**
 * The {@code mcp-tool:} component: a route that starts {@code from: mcp-tool:<name>} is an MCP tool, listed while
 * the route runs. Option names follow Camel 4.22's {@code ai-tool} component where they fit.
 */
public class McpToolComponent extends DefaultComponent {

    private final ToolRegistry registry;

    public McpToolComponent(ToolRegistry registry) {
        this.registry = registry;
    }

    ToolRegistry registry() {
        return registry;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        McpToolEndpoint endpoint = new McpToolEndpoint(uri, this, remaining);
        // ai-tool style simple arguments: parameter.<name>=<type>, parameter.<name>.description=..., .required, .enum
        endpoint.setParameters(PropertiesHelper.extractProperties(parameters, "parameter."));
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
