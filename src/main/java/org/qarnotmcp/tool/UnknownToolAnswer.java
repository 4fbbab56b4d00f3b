package org.qarnotmcp.tool;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qarnotmcp.CallerText;
import reactor.core.publisher.Mono;

/**
 * Sits between the transport and the MCP SDK's request handler and answers a {@code tools/call} of a tool that is
 * not offered itself: the SDK's own answer is the placeholder "Unknown tool: invalid_tool_name". This one names the
 * tool, says why (no such tool, read-only mode, tool selection) and what {@code tools/list} offers.
 */
public final class UnknownToolAnswer implements McpStatelessServerTransport {

    /** JSON-RPC "invalid params", the code MCP gives for an unknown tool. */
    static final int INVALID_PARAMS = -32602;

    private final McpStatelessServerTransport transport;
    private volatile ToolRegistry registry;

    public UnknownToolAnswer(McpStatelessServerTransport transport) {
        this.transport = transport;
    }

    /** The registry is made after the SDK server, which needs this transport first. */
    public void answerFrom(ToolRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        transport.setMcpHandler(new McpStatelessServerHandler() {
            @Override
            public Mono<JSONRPCResponse> handleRequest(McpTransportContext context, McpSchema.JSONRPCRequest request) {
                JSONRPCResponse unknown = answer(request);
                return unknown != null ? Mono.just(unknown) : handler.handleRequest(context, request);
            }

            @Override
            public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
                return handler.handleNotification(context, notification);
            }
        });
    }

    private JSONRPCResponse answer(McpSchema.JSONRPCRequest request) {
        ToolRegistry tools = registry;
        if (tools == null || !McpSchema.METHOD_TOOLS_CALL.equals(request.method())
                || !(request.params() instanceof Map<?, ?> params) || !(params.get("name") instanceof String name)
                || tools.isListed(name)) {
            return null; // the SDK answers: a listed tool, or a malformed request
        }
        List<String> offered = tools.offered();
        String why = tools.heldBackBecause(name);
        String message = "Unknown tool '" + CallerText.oneLine(name, 128) + "': "
                + (why != null ? why : "this server has no tool of that name") + ". tools/list offers "
                + (offered.isEmpty() ? "no tools" : offered.size() + ": " + String.join(", ", offered)) + ".";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool", CallerText.oneLine(name, 128));
        data.put("offered", offered);
        return new JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null,
                new JSONRPCResponse.JSONRPCError(INVALID_PARAMS, message, data));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return transport.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return transport.protocolVersions();
    }
}
