package org.qarnotmcp.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.qarnotmcp.CallerText;
import org.qarnotmcp.Readiness;
import org.qarnotmcp.oauth.OAuthEndpoints;
import org.qarnotmcp.tool.CallControl;
import org.qarnotmcp.tool.ToolDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /mcp}: one JSON-RPC message (or, for 2025-03-26 clients, a batch) in; JSON, or for a long call with a
 * progress token an SSE stream, out. {@link JsonRpcParser} reads the body strictly; {@link ProtocolEra} decides the era and refuses what is malformed for it;
 * legacy requests go to the MCP SDK as they are, modern ones too once checked, with their results shaped by
 * {@link ResultShapes}. Runs on the Vert.x event loop: parsing is cheap, tool work is handed to worker threads by
 * the dispatcher, and the answer is written back on the request's own context.
 */
final class McpPostHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(McpPostHandler.class);

    private final StatelessTransport transport;
    private final McpJsonMapper jsonMapper;
    private final JsonRpcParser parser;
    private final ObjectMapper mapper;
    private final ResultShapes shapes;
    private final Function<String, Map<String, String>> headerParams;
    private final ListenStreams listens;
    private final InFlightCalls inFlight = new InFlightCalls();
    private final Readiness readiness;
    private final AtomicInteger open = new AtomicInteger();

    McpPostHandler(StatelessTransport transport, McpJsonMapper jsonMapper, JsonRpcParser parser, ObjectMapper mapper,
            ResultShapes shapes, Function<String, Map<String, String>> headerParams, ListenStreams listens,
            Readiness readiness) {
        this.transport = transport;
        this.jsonMapper = jsonMapper;
        this.parser = parser;
        this.mapper = mapper;
        this.shapes = shapes;
        this.headerParams = headerParams;
        this.listens = listens;
        this.readiness = readiness;
    }

    /** Requests taken whose answer is not written yet. */
    int unanswered() {
        return open.get();
    }

    @Override
    public void handle(RoutingContext rc) {
        if (!readiness.isReady()) {
            // Starting (tools still loading) or draining: a load balancer retries it on another replica.
            rc.response().putHeader("Retry-After", "1");
            String reason = readiness.state().reason();
            JsonRpcErrors.send(rc, 503, JsonRpcErrors.INTERNAL_ERROR,
                    Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + "; send the request again.");
            return;
        }
        open.incrementAndGet();
        rc.addEndHandler(ended -> open.decrementAndGet());
        if (!isJson(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            JsonRpcErrors.send(rc, 415, JsonRpcErrors.INVALID_REQUEST,
                    "Unsupported Content-Type: send the JSON-RPC message with 'Content-Type: application/json'.");
            return;
        }
        String version = rc.request().getHeader(ProtocolEra.PROTOCOL_HEADER);
        String body = rc.body() == null ? null : rc.body().asString();
        if (body == null || body.isBlank()) {
            JsonRpcErrors.send(rc, 400, JsonRpcErrors.PARSE_ERROR, "Empty body: send one JSON-RPC 2.0 message.");
            return;
        }
        JsonRpcParser.Body parsed = parser.parse(body, version);
        if (parsed.error() != null) {
            refuse(rc, parsed.error(), version);
            return;
        }
        Context vertxContext = rc.vertx().getOrCreateContext();
        if (parsed.batch() != null) {
            handleBatch(rc, parsed.batch(), context(rc, null), vertxContext);
            return;
        }
        if (parsed.single().error() != null) {
            refuse(rc, parsed.single().error(), version);
            return;
        }
        JSONRPCMessage message = parsed.single().message();
        Map<String, Object> view = view(message);
        if (ProtocolEra.isModern(version, view)) {
            modern(rc, message, view, vertxContext);
        } else {
            legacy(rc, message, view, vertxContext);
        }
    }

    /** A parse refusal; in the modern era an invalid-params error is also an HTTP 400. */
    private static void refuse(RoutingContext rc, JsonRpcParser.Error error, String version) {
        boolean modern = version != null && !ProtocolEra.LEGACY.contains(version.strip());
        int status = modern && error.code() == ProtocolEra.INVALID_PARAMS ? 400 : error.httpStatus();
        JsonRpcErrors.send(rc, status, error.code(), error.id(), error.message());
    }

    /** The message as the era checks read it: id, method, params. */
    private static Map<String, Object> view(JSONRPCMessage message) {
        Map<String, Object> view = new HashMap<>(4);
        if (message instanceof JSONRPCRequest request) {
            view.put("id", request.id());
            view.put("method", request.method());
            view.put("params", request.params());
        } else if (message instanceof JSONRPCNotification notification) {
            view.put("method", notification.method());
            view.put("params", notification.params());
        }
        return view;
    }

    private void legacy(RoutingContext rc, JSONRPCMessage parsed, Map<String, Object> message, Context vertxContext) {
        if (parsed instanceof JSONRPCNotification notification && "notifications/cancelled".equals(notification.method())) {
            Object requestId = ProtocolEra.params(message).get("requestId");
            if (requestId != null && inFlight.cancel(InFlightCalls.key(caller(rc), requestId))) {
                LOG.debug("Call {} cancelled by the client", requestId);
            }
            rc.response().setStatusCode(202).end();
            return;
        }
        if (parsed instanceof JSONRPCRequest request && "tools/call".equals(request.method())) {
            call(rc, request, message, vertxContext, false);
            return;
        }
        dispatch(context(rc, null), parsed).subscribe(
                response -> write(rc, vertxContext, response.map(r -> legacyShape(r)).orElse(null)),
                error -> fail(rc, vertxContext, error));
    }

    private void modern(RoutingContext rc, JSONRPCMessage parsed, Map<String, Object> message, Context vertxContext) {
        Object id = ProtocolEra.idOf(message);
        if (!(parsed instanceof JSONRPCRequest request)) {
            rc.response().setStatusCode(202).end(); // 2026-07-28 defines no client notification over HTTP
            return;
        }
        ProtocolEra.Rejection rejection = ProtocolEra.checkModern(rc.request().headers(), message, headerParams);
        if (rejection != null) {
            JsonRpcErrors.send(rc, rejection);
            return;
        }
        String method = request.method();
        switch (method) {
            case "server/discover" -> writeJson(rc, vertxContext, 200,
                    encode(envelope(id, shapes.discover(listens != null))));
            case "subscriptions/listen" -> listens.open(rc, id, ProtocolEra.params(message));
            case "tools/call" -> call(rc, request, message, vertxContext, true);
            default -> transport.handler().handleRequest(context(rc, null), request)
                    .map(McpPostHandler::withoutExceptionText).subscribe(
                            response -> writeModern(rc, vertxContext, method, response),
                            error -> fail(rc, vertxContext, error));
        }
    }

    /**
     * A tool call, in either era: it can be cancelled (the client closes the connection, or sends {@code
     * notifications/cancelled} in the legacy era) and, with a progress token and an SSE-accepting client, streamed.
     * A closed connection cancels in both eras: nothing is resumable here, so no one could receive the result.
     */
    private void call(RoutingContext rc, JSONRPCRequest request, Map<String, Object> message, Context vertxContext,
            boolean modern) {
        CallControl control = new CallControl();
        String key = InFlightCalls.key(caller(rc), request.id());
        inFlight.add(key, control);
        Object token = progressToken(message);
        Map<String, Object> params = ProtocolEra.params(message);
        StreamedAnswer answer = token != null && acceptsEventStream(rc)
                ? new StreamedAnswer(rc, vertxContext, token, String.valueOf(params.get("name"))) : null;
        if (answer != null) {
            control.onProgress(answer::progress);
        }
        rc.response().closeHandler(v -> {
            control.cancel();
            if (answer != null) {
                answer.abandon();
            }
        });
        transport.handler().handleRequest(context(rc, control), request).map(McpPostHandler::withoutExceptionText)
                .subscribe(response -> {
            inFlight.remove(key, control);
            String json = modern ? encodeModern("tools/call", response) : encodeLegacy(response);
            if (json == null) {
                fail(rc, vertxContext, new IllegalStateException("unserializable result"));
            } else if (answer != null) {
                answer.finish(json);
            } else {
                writeJson(rc, vertxContext, 200, json);
            }
        }, error -> {
            inFlight.remove(key, control);
            fail(rc, vertxContext, error);
        });
    }

    private void handleBatch(RoutingContext rc, List<JsonRpcParser.Parsed> elements, McpTransportContext context,
            Context vertxContext) {
        // A refused element is answered as a plain map: the SDK's response type refuses a null id, which a refused
        // element often has.
        Flux.fromIterable(elements)
                .flatMapSequential(element -> element.error() == null
                        ? dispatch(context, element.message()).map(o -> o.<Object>map(McpPostHandler::legacyShape))
                        : Mono.just(Optional.<Object>of(errorEntry(element.error()))))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collectList()
                .subscribe(responses -> write(rc, vertxContext, responses.isEmpty() ? null : responses),
                        error -> fail(rc, vertxContext, error));
    }

    private static Map<String, Object> errorEntry(JsonRpcParser.Error error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jsonrpc", "2.0");
        out.put("id", error.id());
        out.put("error", Map.of("code", error.code(), "message", error.message()));
        return out;
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

    private static JSONRPCResponse legacyShape(JSONRPCResponse response) {
        return response.result() == null ? response
                : new JSONRPCResponse(response.jsonrpc(), response.id(), ResultShapes.legacy(response.result()), null);
    }

    private String encodeLegacy(JSONRPCResponse response) {
        try {
            return jsonMapper.writeValueAsString(legacyShape(response));
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, Object> envelope(Object id, Object result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jsonrpc", "2.0");
        out.put("id", id);
        out.put("result", result);
        return out;
    }

    private String encodeModern(String method, JSONRPCResponse response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jsonrpc", "2.0");
        out.put("id", response.id());
        if (response.error() != null) {
            out.put("error", response.error());
        } else {
            out.put("result", shapes.modern(method, response.result()));
        }
        return encode(out);
    }

    private String encode(Object payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (Exception e) {
            return null;
        }
    }

    private void writeModern(RoutingContext rc, Context vertxContext, String method, JSONRPCResponse response) {
        String json = encodeModern(method, response);
        if (json == null) {
            fail(rc, vertxContext, new IllegalStateException("unserializable result"));
            return;
        }
        boolean notFound = response.error() != null && response.error().code() == ProtocolEra.METHOD_NOT_FOUND;
        writeJson(rc, vertxContext, notFound ? 404 : 200, json);
    }

    private void write(RoutingContext rc, Context vertxContext, Object payload) {
        String json;
        try {
            json = payload == null ? null : jsonMapper.writeValueAsString(payload);
        } catch (Exception e) {
            fail(rc, vertxContext, e);
            return;
        }
        if (json == null) {
            vertxContext.runOnContext(v -> {
                if (!rc.response().ended() && !rc.response().closed()) {
                    rc.response().setStatusCode(202).end();
                }
            });
        } else {
            writeJson(rc, vertxContext, 200, json);
        }
    }

    private static void writeJson(RoutingContext rc, Context vertxContext, int status, String json) {
        vertxContext.runOnContext(v -> {
            if (!rc.response().ended() && !rc.response().closed()) {
                rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
            }
        });
    }

    private void fail(RoutingContext rc, Context vertxContext, Throwable error) {
        LOG.warn("MCP request failed: {}", error.getClass().getName());
        vertxContext.runOnContext(v -> JsonRpcErrors.send(rc, 500, JsonRpcErrors.INTERNAL_ERROR, "Internal server error."));
    }

    /** Who is calling, for matching a cancellation to its call: the credential the request carries. */
    private static String caller(RoutingContext rc) {
        Object oauthKey = rc.get(OAuthEndpoints.QARNOT_KEY);
        return oauthKey != null ? "oauth:" + oauthKey : rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    }

    /** Only present values go in: McpTransportContext.create copies the map and rejects null values. */
    private static McpTransportContext context(RoutingContext rc, CallControl control) {
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
        if (control != null) {
            values.put(CallControl.KEY, control);
        }
        String traceparent = rc.request().getHeader("traceparent");
        if (traceparent != null) {
            String tracestate = rc.request().getHeader("tracestate");
            values.put(ToolDispatcher.TRACE_HEADERS, tracestate == null ? Map.of("traceparent", traceparent)
                    : Map.of("traceparent", traceparent, "tracestate", tracestate));
        }
        return McpTransportContext.create(values);
    }

    private static Object progressToken(Map<String, Object> message) {
        Map<String, Object> meta = ProtocolEra.meta(message);
        Object token = meta == null ? null : meta.get("progressToken");
        return token instanceof String || token instanceof Number ? token : null;
    }

    private static boolean acceptsEventStream(RoutingContext rc) {
        String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
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
