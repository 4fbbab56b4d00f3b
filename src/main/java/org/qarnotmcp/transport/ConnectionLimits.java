package org.qarnotmcp.transport;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits on the HTTP server's connections, so that slow or idle clients cannot hold it: an idle timeout (no bytes),
 * a request head that must arrive within the header timeout (of the connection, or of the previous answer on a
 * kept-alive one), a body within the body timeout (else 408), and at most {@code maxConnections} open (more get a
 * 503 and are closed).
 *
 * <p>Camel creates the HTTP server itself with default options. It takes the Vert.x instance from the registry, so
 * the server is given one whose {@code createHttpServer} applies these limits (a proxy that forwards everything
 * else); the same instance carries the event-loop blocked-thread checker settings.
 */
public final class ConnectionLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);
    private static final long SWEEP_MS = 500;

    public record Config(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
            Duration maxEventLoopBlock) {
    }

    /** What is known of one connection; written on its event loop, read by the sweep. */
    private static final class State {
        final HttpConnection connection;
        final Context context;
        final boolean refused;
        volatile long waitingSince;
        volatile HttpServerRequest request;
        volatile long requestSince;

        State(HttpConnection connection, Context context, boolean refused, long now) {
            this.connection = connection;
            this.context = context;
            this.refused = refused;
            this.waitingSince = now;
        }
    }

    private final Config config;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();
    private final Vertx vertx;

    private ConnectionLimits(Config config, Vertx real) {
        this.config = config;
        this.vertx = real;
    }

    /** The Vert.x instance to bind in the registry: Camel's HTTP server, created on it, gets the limits. */
    public static Vertx vertx(Config config) {
        VertxOptions options = new VertxOptions()
                .setMaxEventLoopExecuteTime(config.maxEventLoopBlock().toMillis())
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(Math.max(10, Math.min(1000, config.maxEventLoopBlock().toMillis() / 2)))
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
        Vertx real = Vertx.vertx(options);
        ConnectionLimits limits = new ConnectionLimits(config, real);
        return (Vertx) proxy(real, (self, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                HttpServerOptions server = args != null && args.length == 1 && args[0] instanceof HttpServerOptions o
                        ? new HttpServerOptions(o) : new HttpServerOptions();
                return limits.limited(real.createHttpServer(limits.apply(server)));
            }
            return forward(real, method, args);
        });
    }

    /** Open connections now (for tests and the log). */
    public int openConnections() {
        return open.get();
    }

    private HttpServerOptions apply(HttpServerOptions options) {
        // No h2c upgrade (clients speak HTTP/1.1 here): with it, Vert.x only sees a connection once its first request
        // head is complete, so a half-sent head would escape the header timeout and the connection count.
        return options.setIdleTimeout((int) Math.max(1, config.idleTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(false);
    }

    private HttpServer limited(HttpServer server) {
        server.connectionHandler(this::connected);
        long sweep = vertx.setPeriodic(SWEEP_MS, id -> sweep());
        return (HttpServer) proxy(server, (self, method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                @SuppressWarnings("unchecked")
                Handler<HttpServerRequest> handler = (Handler<HttpServerRequest>) args[0];
                server.requestHandler(request -> {
                    if (admitted(request)) {
                        handler.handle(request);
                    }
                });
                return self;
            }
            if (method.getName().equals("close")) {
                vertx.cancelTimer(sweep);
            }
            Object result = forward(server, method, args);
            return result == server ? self : result;
        });
    }

    private void connected(HttpConnection connection) {
        int count = open.incrementAndGet();
        State state = new State(connection, Vertx.currentContext(), count > config.maxConnections(), System.nanoTime());
        states.put(connection, state);
        connection.closeHandler(v -> {
            states.remove(connection);
            open.decrementAndGet();
        });
        if (state.refused && count == config.maxConnections() + 1) {
            LOG.warn("{} connections open, the most MCP_MAX_CONNECTIONS allows: new ones are refused with 503", count - 1);
        }
    }

    /** Called for every request head: refuses it on a connection over the limit, else starts its body clock. */
    private boolean admitted(HttpServerRequest request) {
        State state = states.get(request.connection());
        if (state == null) {
            return true;
        }
        if (state.refused) {
            request.response().setStatusCode(503).putHeader("Connection", "close").putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "application/json")
                    .end(error(-32603, "The server has too many open connections (MCP_MAX_CONNECTIONS is "
                            + config.maxConnections() + "); close idle ones or try again in a moment."))
                    .onComplete(done -> request.connection().close());
            return false;
        }
        state.request = request;
        state.requestSince = System.nanoTime();
        return true;
    }

    /** Twice a second: connections over their header or body time are answered or closed. */
    private void sweep() {
        long now = System.nanoTime();
        long headerNanos = config.headerTimeout().toNanos();
        long bodyNanos = config.bodyTimeout().toNanos();
        for (State state : new LinkedHashSet<>(states.values())) {
            HttpServerRequest request = state.request;
            if (request != null && request.response().ended()) {
                state.request = null;
                state.waitingSince = now;
                continue;
            }
            if (request == null && now - state.waitingSince > headerNanos) {
                states.remove(state.connection);
                state.connection.close();
            } else if (request != null && !request.isEnded() && now - state.requestSince > bodyNanos) {
                states.remove(state.connection);
                state.context.runOnContext(v -> {
                    if (!request.response().ended() && !request.response().closed()) {
                        request.response().setStatusCode(408).putHeader("Connection", "close")
                                .putHeader("Content-Type", "application/json")
                                .end(error(-32600, "The request body did not arrive within "
                                        + config.bodyTimeout().toSeconds() + " s (MCP_BODY_TIMEOUT); send it at once."))
                                .onComplete(done -> state.connection.close());
                    } else {
                        state.connection.close();
                    }
                });
            }
        }
    }

    private static String error(int code, String message) {
        return new JsonObject().put("jsonrpc", "2.0").putNull("id")
                .put("error", new JsonObject().put("code", code).put("message", message)).encode();
    }

    private static Object proxy(Object target, InvocationHandler handler) {
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            interfaces.addAll(Set.of(type.getInterfaces()));
        }
        return Proxy.newProxyInstance(ConnectionLimits.class.getClassLoader(), interfaces.toArray(Class<?>[]::new), handler);
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
