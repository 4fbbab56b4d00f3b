package org.qarnotmcp.transport;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.qarnotmcp.CallerText;
import org.qarnotmcp.oauth.OAuthEndpoints;
import org.qarnotmcp.tool.ToolDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /mcp}: one JSON-RPC message (or, for 2025-03-26 clients, a batch) in, JSON out. Requests get 200
 * with the response, notifications 202. Runs on the Vert.x event loop: parsing is cheap, tool work is handed to
 * worker threads by the dispatcher, and the answer is written back on the request's own context.
 */
final class McpPostHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(McpPostHandler.class);
    static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

    private final StatelessTransport transport;
    private final McpJsonMapper jsonMapper;
    private final JsonRpcParser parser;
    private volatile boolean draining;

    McpPostHandler(StatelessTransport transport, McpJsonMapper jsonMapper, JsonRpcParser parser) {
        this.transport = transport;
        this.jsonMapper = jsonMapper;
        this.parser = parser;
    }

    /** From now on new requests get 503 (a load balancer retries them on another replica). */
    void drain() {
        draining = true;
    }

    @Override
    public void handle(RoutingContext rc) {
        if (draining) {
            rc.response().putHeader("Retry-After", "1");
            JsonRpcErrors.send(rc, 503, JsonRpcErrors.INTERNAL_ERROR, "The server is shutting down; send the request again.");
            return;
        }
        if (!isJson(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            JsonRpcErrors.send(rc, 415, JsonRpcErrors.INVALID_REQUEST,
                    "Unsupported Content-Type: send the JSON-RPC message with 'Content-Type: application/json'.");
            return;
        }
        String version = rc.request().getHeader(PROTOCOL_HEADER);
        if (version != null && !StatelessTransport.PROTOCOL_VERSIONS.contains(version)) {
            JsonRpcErrors.send(rc, 400, JsonRpcErrors.INVALID_REQUEST, "Unsupported MCP-Protocol-Version '"
                    + CallerText.oneLine(version, 40) + "'; this server supports " + String.join(", ", StatelessTransport.PROTOCOL_VERSIONS) + ".");
            return;
        }
        String body = rc.body() == null ? null : rc.body().asString();
        if (body == null || body.isBlank()) {
            JsonRpcErrors.send(rc, 400, JsonRpcErrors.PARSE_ERROR, "Empty body: send one JSON-RPC 2.0 message.");
            return;
        }
        JsonRpcParser.Body parsed = parser.parse(body, version);
        if (parsed.error() != null) {
            refuse(rc, parsed.error());
            return;
        }
        McpTransportContext context = transportContext(rc);
        Context vertxContext = rc.vertx().getOrCreateContext();
        if (parsed.batch() != null) {
            handleBatch(rc, parsed.batch(), context, vertxContext);
            return;
        }
        if (parsed.single().error() != null) {
            refuse(rc, parsed.single().error());
            return;
        }
        dispatch(context, parsed.single().message()).subscribe(
                response -> write(rc, vertxContext, response.orElse(null)),
                error -> fail(rc, vertxContext, error));
    }

    private static void refuse(RoutingContext rc, JsonRpcParser.Error error) {
        JsonRpcErrors.send(rc, error.httpStatus(), error.code(), error.id(), error.message());
    }

    private void handleBatch(RoutingContext rc, List<JsonRpcParser.Parsed> elements, McpTransportContext context,
            Context vertxContext) {
        Flux.fromIterable(elements)
                .flatMapSequential(element -> element.error() == null ? dispatch(context, element.message())
                        : Mono.just(Optional.of(new JSONRPCResponse("2.0", element.error().id(), null,
                                new JSONRPCResponse.JSONRPCError(element.error().code(), element.error().message(), null)))))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collectList()
                .subscribe(responses -> write(rc, vertxContext, responses.isEmpty() ? null : responses),
                        error -> fail(rc, vertxContext, error));
    }

    /** A request yields its response; a notification (or a stray response) yields nothing. */
    private Mono<Optional<JSONRPCResponse>> dispatch(McpTransportContext context, JSONRPCMessage message) {
        if (message instanceof JSONRPCRequest request) {
            return transport.handler().handleRequest(context, request).map(McpPostHandler::withoutExceptionText)
                    .map(Optional::of);
        }
        if (message instanceof JSONRPCNotification notification) {
            return transport.handler().handleNotification(context, notification).thenReturn(Optional.empty());
        }
        return Mono.just(Optional.empty());
    }

    /**
     * The SDK answers a failed handler with -32603 and the exception's message (a NullPointerException's text, say):
     * that text stays in the server log, the client gets a reference to it.
     */
    static JSONRPCResponse withoutExceptionText(JSONRPCResponse response) {
        JSONRPCResponse.JSONRPCError error = response.error();
        if (error == null || !Integer.valueOf(JsonRpcErrors.INTERNAL_ERROR).equals(error.code())) {
            return response;
        }
        String reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.warn("MCP request {} failed (reference {}): {}", response.id(), reference,
                CallerText.oneLine(String.valueOf(error.message()), 300));
        return new JSONRPCResponse(response.jsonrpc(), response.id(), null, new JSONRPCResponse.JSONRPCError(
                error.code(), "Internal error (reference " + reference + "; the server log has the details).", null));
    }

    private void write(RoutingContext rc, Context vertxContext, Object payload) {
        String json;
        try {
            json = payload == null ? null : jsonMapper.writeValueAsString(payload);
        } catch (Exception e) {
            fail(rc, vertxContext, e);
            return;
        }
        vertxContext.runOnContext(v -> {
            if (rc.response().ended() || rc.response().closed()) {
                return;
            }
            if (json == null) {
                rc.response().setStatusCode(202).end();
            } else {
                rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
            }
        });
    }

    private void fail(RoutingContext rc, Context vertxContext, Throwable error) {
        LOG.warn("MCP request failed: {}", error.getClass().getName());
        vertxContext.runOnContext(v -> JsonRpcErrors.send(rc, 500, JsonRpcErrors.INTERNAL_ERROR, "Internal server error."));
    }

    /** Only present headers go in: McpTransportContext.create copies the map and rejects null values. */
    private static McpTransportContext transportContext(RoutingContext rc) {
        Map<String, Object> values = new HashMap<>(4);
        // In OAuth mode the gate has checked the access token and left the Qarnot key it carries.
        Object oauthKey = rc.get(OAuthEndpoints.QARNOT_KEY);
        String authorization = oauthKey != null ? "Bearer " + oauthKey : rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            values.put(ToolDispatcher.AUTHORIZATION, authorization);
        }
        String userAgent = rc.request().getHeader(HttpHeaders.USER_AGENT);
        if (userAgent != null) {
            values.put(ToolDispatcher.USER_AGENT, userAgent);
        }
        return McpTransportContext.create(values);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }
}
