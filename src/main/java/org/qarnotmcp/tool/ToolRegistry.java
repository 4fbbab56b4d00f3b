package org.qarnotmcp.tool;

import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools {@code tools/list} shows: fed by the routes as they start and stop, kept in the MCP SDK server.
 * A name may belong to one route only.
 */
public final class ToolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

    private final McpStatelessAsyncServer server;
    private final ToolDispatcher dispatcher;
    private final Map<String, Registration> tools = new ConcurrentHashMap<>();

    private record Registration(ToolDefinition definition, McpToolConsumer consumer) {
    }

    public ToolRegistry(McpStatelessAsyncServer server, ToolDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    void register(ToolDefinition definition, McpToolConsumer consumer) {
        Registration registration = new Registration(definition, consumer);
        Registration existing = tools.putIfAbsent(definition.name(), registration);
        if (existing != null && existing.consumer() != consumer) {
            throw new ToolDefinitionException("Tool '" + definition.name() + "' (" + definition.source()
                    + ") is already defined in " + existing.definition().source() + "; tool names must be unique.");
        }
        try {
            server.addTool(new McpStatelessServerFeatures.AsyncToolSpecification(definition.tool(),
                    (context, request) -> dispatcher.call(definition, consumer, context, request))).block();
        } catch (RuntimeException e) {
            tools.remove(definition.name(), registration);
            throw new ToolDefinitionException("Tool '" + definition.name() + "' (" + definition.source() + "): "
                    + e.getMessage(), e);
        }
        LOG.info("Tool {} listed ({})", definition.name(), definition.source());
    }

    void unregister(String name, McpToolConsumer consumer) {
        Registration current = tools.get(name);
        if (current != null && current.consumer() == consumer && tools.remove(name, current)) {
            server.removeTool(name).block();
            LOG.info("Tool {} unlisted", name);
        }
    }

    public boolean isListed(String name) {
        return tools.containsKey(name);
    }
}
