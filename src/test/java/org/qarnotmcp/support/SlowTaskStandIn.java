package org.qarnotmcp.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Qarnot stand-in for thousands of concurrent requests, where WireMock's own cost per request (journal, matching)
 * would be what a test measures: {@code GET /tasks/{uuid}} answers a task that never ends ({@code FullyExecuting})
 * after {@code delayMs}, on a timer (no thread held per request); {@code POST /tasks/summaries/paginate} answers a
 * page at once; anything else is 404. One event loop on 127.0.0.1, a free port.
 */
public final class SlowTaskStandIn implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicInteger taskReads = new AtomicInteger();

    public SlowTaskStandIn(long delayMs) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        String task = Fixtures.TASK.replace("\"state\": \"Failure\"", "\"state\": \"FullyExecuting\"");
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(4096))
                .requestHandler(request -> {
                    if (request.method() == HttpMethod.GET && request.path().startsWith("/tasks/")) {
                        taskReads.incrementAndGet();
                        vertx.setTimer(delayMs, t -> request.response()
                                .putHeader("Content-Type", "application/json").end(task));
                    } else if (request.method() == HttpMethod.POST && request.path().equals("/tasks/summaries/paginate")) {
                        request.body(body -> request.response().putHeader("Content-Type", "application/json")
                                .end(Fixtures.SUMMARIES_PAGE));
                    } else {
                        request.response().setStatusCode(404).end();
                    }
                })
                .listen().toCompletionStage().toCompletableFuture().get();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** GET /tasks/{uuid} requests received so far. */
    public int taskReads() {
        return taskReads.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
