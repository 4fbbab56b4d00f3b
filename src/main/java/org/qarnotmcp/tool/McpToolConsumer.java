package org.qarnotmcp.tool;

import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.support.DefaultConsumer;

/**
 * Lists the tool while its route runs: starting the route registers the tool (after checking its schemas),
 * stopping or removing it, including on reload, unregisters it.
 */
public class McpToolConsumer extends DefaultConsumer {

    public McpToolConsumer(McpToolEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public McpToolEndpoint getEndpoint() {
        return (McpToolEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ToolDefinition definition = ToolDefinition.of(getEndpoint(), ToolOptions.of(getEndpoint().getCamelContext(), getRouteId()), source());
        getEndpoint().getComponent().registry().register(definition, this);
    }

    @Override
    protected void doStop() throws Exception {
        getEndpoint().getComponent().registry().unregister(getEndpoint().getToolName(), this);
        super.doStop();
    }

    /** Where the tool is defined, for error messages: the route's file and line, else its id. */
    String source() {
        Route route = getRoute();
        if (route == null) {
            return "route " + getRouteId();
        }
        String location = route.getSourceLocationShort() != null ? route.getSourceLocationShort() : route.getSourceLocation();
        return location != null ? location : "route " + route.getRouteId();
    }
}
