package org.qarnotmcp.transport;

import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The MCP SDK's stateless transport SPI: the SDK hands over its request handler here when the server is built,
 * and the HTTP handler calls it once per POST. No session is kept, so any replica can answer any request.
 */
public final class StatelessTransport implements McpStatelessServerTransport {

    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");

    private volatile McpStatelessServerHandler handler;

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    McpStatelessServerHandler handler() {
        return handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }
}
