package org.qarnotmcp.tool;

import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.qarnotmcp.policy.ToolSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools {@code tools/list} shows: fed by the routes as they start and stop, kept in the MCP SDK server.
 * A name may belong to one route only. A tool the {@link ToolSelection} holds back is known here (for the
 * unknown-tool answer) but never given to the SDK server, so it is neither listed nor callable.
 */
public final class ToolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

    private final McpStatelessAsyncServer server;
    private final ToolDispatcher dispatcher;
    private final ToolSelection selection;
    private final Map<String, Registration> tools = new ConcurrentHashMap<>();
    private String lastSelectionLog;
    private volatile Runnable changeListener = () -> { };

    /** {@code heldBack} is null for an offered tool, else why it is not. */
    private record Registration(ToolDefinition definition, McpToolConsumer consumer, String heldBack) {
    }

    public ToolRegistry(McpStatelessAsyncServer server, ToolDispatcher dispatcher, ToolSelection selection) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.selection = selection;
    }

    void register(ToolDefinition definition, McpToolConsumer consumer) {
        Registration registration = new Registration(definition, consumer, selection.heldBackBecause(definition.tool()));
        Registration existing = tools.putIfAbsent(definition.name(), registration);
        if (existing != null && existing.consumer() != consumer) {
            throw new ToolDefinitionException("Tool '" + definition.name() + "' (" + definition.source()
                    + ") is already defined in " + existing.definition().source() + "; tool names must be unique.");
        }
        if (registration.heldBack() != null) {
            LOG.debug("Tool {} held back ({}): {}", definition.name(), definition.source(), registration.heldBack());
            return;
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
        changeListener.run();
    }

    void unregister(String name, McpToolConsumer consumer) {
        Registration current = tools.get(name);
        if (current != null && current.consumer() == consumer && tools.remove(name, current)) {
            if (current.heldBack() == null) {
                server.removeTool(name).block();
                LOG.info("Tool {} unlisted", name);
                changeListener.run();
            }
        }
    }

    public boolean isListed(String name) {
        Registration registration = tools.get(name);
        return registration != null && registration.heldBack() == null;
    }

    /** Why a known tool is not offered; null when it is offered or unknown. */
    public String heldBackBecause(String name) {
        Registration registration = tools.get(name);
        return registration == null ? null : registration.heldBack();
    }

    /** The names tools/list shows, sorted. */
    public List<String> offered() {
        return tools.values().stream().filter(r -> r.heldBack() == null).map(r -> r.definition().name()).sorted().toList();
    }

    /** After the start and after each reload: one line with the effective selection, when it changed. */
    public synchronized void logSelection() {
        List<String> heldBack = tools.values().stream().filter(r -> r.heldBack() != null)
                .map(r -> r.definition().name()).sorted().toList();
        String line = selection.describe(offered(), heldBack);
        if (!line.equals(lastSelectionLog)) {
            lastSelectionLog = line;
            LOG.info(line);
        }
    }

    /** Told after every tool listed or unlisted (the transport announces it to listening clients). */
    public void onChange(Runnable listener) {
        this.changeListener = listener;
    }

    /** The offered tool of that name, or null. */
    public ToolDefinition definition(String name) {
        Registration registration = name == null ? null : tools.get(name);
        return registration == null || registration.heldBack() != null ? null : registration.definition();
    }
}
