package org.qarnotmcp.transport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The answer to a {@code tools/call} that carries a progress token from a client that accepts {@code
 * text/event-stream}. A call that ends within {@link #STREAM_AFTER_MS} is answered with one JSON body as usual;
 * a longer one (or one that reports progress) becomes an SSE stream on the same POST: {@code notifications/progress}
 * with a readable message, at most 10 s apart, then the result, then the stream ends.
 *
 * <p>No event ids (nothing can be resumed: the server keeps no state), {@code X-Accel-Buffering: no} so that
 * nginx-style proxies pass each event at once. Every state change runs on the request's Vert.x context, so no
 * lock is needed, and a waiting stream holds a timer, not a thread.
 */
final class StreamedAnswer {

    static final long STREAM_AFTER_MS = 1_000;
    /** Silence after which the last message is repeated; checked every {@link #TICK_MS}, so gaps stay under 10 s. */
    static final long HEARTBEAT_MS = 8_000;
    static final long TICK_MS = 2_000;

    private final RoutingContext rc;
    private final Context context;
    private final Vertx vertx;
    private final Object progressToken;
    private final String tool;
    private final long started = System.nanoTime();
    private boolean streaming;
    private boolean done;
    private long progress;
    private long lastWrite;
    private String lastMessage;
    private long openTimer = -1;
    private long heartbeat = -1;

    StreamedAnswer(RoutingContext rc, Context context, Object progressToken, String tool) {
        this.rc = rc;
        this.context = context;
        this.vertx = rc.vertx();
        this.progressToken = progressToken;
        this.tool = tool;
        context.runOnContext(v -> openTimer = vertx.setTimer(STREAM_AFTER_MS, id -> open()));
    }

    /** From the route's thread. */
    void progress(String message) {
        context.runOnContext(v -> {
            if (done) {
                return;
            }
            open();
            lastMessage = message;
            send(message);
        });
    }

    /** The final JSON-RPC response, from any thread. */
    void finish(String json) {
        context.runOnContext(v -> {
            if (done) {
                return;
            }
            done = true;
            stopTimers();
            HttpServerResponse response = rc.response();
            if (response.ended() || response.closed()) {
                return;
            }
            if (streaming) {
                response.end(event(json));
            } else {
                response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
            }
        });
    }

    /** The client went away: nothing more is written. */
    void abandon() {
        context.runOnContext(v -> {
            done = true;
            stopTimers();
        });
    }

    private void open() {
        if (streaming || done) {
            return;
        }
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        streaming = true;
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true);
        lastMessage = tool + " is running";
        send(lastMessage);
        heartbeat = vertx.setPeriodic(TICK_MS, id -> {
            if (System.nanoTime() - lastWrite >= HEARTBEAT_MS * 1_000_000L - 50_000_000L) {
                send(lastMessage + " (still running after " + (System.nanoTime() - started) / 1_000_000_000L + " s)");
            }
        });
    }

    private void send(String message) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        lastWrite = System.nanoTime();
        JsonObject params = new JsonObject().put("progressToken", progressToken).put("progress", ++progress)
                .put("message", message);
        rc.response().write(event(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/progress")
                .put("params", params).encode()));
    }

    /** One SSE event of the default type, without an id (nothing is resumable). */
    static String event(String json) {
        return "event: message\ndata: " + json + "\n\n";
    }

    private void stopTimers() {
        if (openTimer >= 0) {
            vertx.cancelTimer(openTimer);
        }
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
        }
    }
}
