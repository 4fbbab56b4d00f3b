package org.qarnotmcp.transport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code subscriptions/listen} (MCP 2026-07-28): the answer is an SSE stream that stays open and carries the change
 * notifications the client asked for. This server has one kind to offer, {@code notifications/tools/list_changed},
 * sent when a route file is added, changed or removed. The acknowledgement comes first; every message carries the
 * listen request's id as {@code io.modelcontextprotocol/subscriptionId}; an SSE comment every {@link
 * #KEEP_ALIVE_MS} keeps proxies from closing a quiet stream.
 *
 * <p>An idle stream is an open connection and a Vert.x timer, no thread. A replica keeps at most {@code
 * mcp.max-listen-streams}; on shutdown each stream gets the closing result and ends.
 */
final class ListenStreams {

    static final long KEEP_ALIVE_MS = 20_000;
    /** Changes are announced once the reload has settled (a changed file is a removal and an addition). */
    static final long SETTLE_MS = 200;

    private final Vertx vertx;
    private final int max;
    private final ResultShapes shapes;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean changePending = new AtomicBoolean();
    private volatile boolean closed;

    private final class Stream {
        final RoutingContext rc;
        final Context context;
        final Object id;
        final boolean tools;
        long keepAlive;

        Stream(RoutingContext rc, Context context, Object id, boolean tools) {
            this.rc = rc;
            this.context = context;
            this.id = id;
            this.tools = tools;
        }

        void send(JsonObject message) {
            HttpServerResponse response = rc.response();
            if (!response.ended() && !response.closed()) {
                response.write(StreamedAnswer.event(message.encode()));
            }
        }

        JsonObject notification(String method, JsonObject params) {
            params.put("_meta", new JsonObject().put(ProtocolEra.SUBSCRIPTION_KEY, id));
            return new JsonObject().put("jsonrpc", "2.0").put("method", method).put("params", params);
        }
    }

    ListenStreams(Vertx vertx, int max, ResultShapes shapes) {
        this.vertx = vertx;
        this.max = max;
        this.shapes = shapes;
    }

    /** On the event loop, for a checked modern request. */
    void open(RoutingContext rc, Object id, Map<String, Object> params) {
        Object filter = params.get("notifications");
        if (filter != null && !(filter instanceof Map)) {
            JsonRpcErrors.send(rc, 400, ProtocolEra.INVALID_PARAMS, id, "Invalid params: notifications must be an "
                    + "object such as {\"toolsListChanged\": true}.", null);
            return;
        }
        if (closed) {
            rc.response().putHeader("Retry-After", "1");
            JsonRpcErrors.send(rc, 503, JsonRpcErrors.INTERNAL_ERROR, id, "The server is shutting down; listen again.", null);
            return;
        }
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            rc.response().putHeader("Retry-After", "30");
            JsonRpcErrors.send(rc, 503, JsonRpcErrors.INTERNAL_ERROR, id, "This server replica already keeps " + max
                    + " listen streams (MCP_MAX_LISTEN_STREAMS); close one or try again later.", null);
            return;
        }
        boolean tools = filter instanceof Map<?, ?> f && Boolean.TRUE.equals(f.get("toolsListChanged"));
        Stream stream = new Stream(rc, vertx.getOrCreateContext(), id, tools);
        rc.response().setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        JsonObject agreed = tools ? new JsonObject().put("toolsListChanged", true) : new JsonObject();
        stream.send(stream.notification("notifications/subscriptions/acknowledged",
                new JsonObject().put("notifications", agreed)));
        stream.keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, t -> {
            if (!rc.response().ended() && !rc.response().closed()) {
                rc.response().write(": keep-alive\n\n");
            }
        });
        streams.add(stream);
        rc.response().closeHandler(v -> forget(stream));
    }

    /** From any thread: the tool list changed. Announced once per burst of changes. */
    void toolsChanged() {
        if (closed || !changePending.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(SETTLE_MS, t -> {
            changePending.set(false);
            for (Stream stream : streams) {
                if (stream.tools) {
                    stream.context.runOnContext(v -> stream.send(stream.notification(
                            "notifications/tools/list_changed", new JsonObject())));
                }
            }
        });
    }

    int open() {
        return count.get();
    }

    /** Shutdown: each stream gets the closing result of its listen request, then ends. */
    void closeAll() {
        closed = true;
        for (Stream stream : streams) {
            stream.context.runOnContext(v -> {
                HttpServerResponse response = stream.rc.response();
                forget(stream);
                if (!response.ended() && !response.closed()) {
                    JsonObject end = new JsonObject().put("jsonrpc", "2.0").put("id", stream.id)
                            .put("result", new JsonObject(shapes.complete(Map.of(ProtocolEra.SUBSCRIPTION_KEY, stream.id))));
                    response.end(StreamedAnswer.event(end.encode()));
                }
            });
        }
    }

    private void forget(Stream stream) {
        if (streams.remove(stream)) {
            count.decrementAndGet();
            vertx.cancelTimer(stream.keepAlive);
        }
    }
}
