import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's Qarnot stand-in: answers {@code POST /tasks/summaries/paginate} (list_tasks' request) with a
 * fixed summaries page read from a file, after reading the request body; {@code GET /tasks/{uuid}} (wait_for_task's
 * poll) with a task that never ends, after {@code -Dstandin.taskDelayMs} (100 ms by default: a slow upstream) on a
 * timer, so that no thread is held per request; {@code GET /_bench/task-reads} with how many task reads it served;
 * everything else gets 404. Loopback only.
 *
 * <p>Run as a single-file program with the server's own libraries (Vert.x):
 * {@code java -cp 'target/lib/*' bench/StandIn.java PORT bench/summaries-page.json [bench/task-running.json]}.
 * Prints "ready" when listening.
 */
public final class StandIn {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Buffer page = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
        Buffer task = Buffer.buffer(args.length > 2 ? Files.readAllBytes(Path.of(args[2])) : new byte[0]);
        String length = String.valueOf(page.length());
        long taskDelayMs = Long.getLong("standin.taskDelayMs", 100);
        AtomicLong taskReads = new AtomicLong();
        int loops = Integer.parseInt(System.getProperty("standin.loops", "1"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                        .setAcceptBacklog(8192))
                .requestHandler(request -> {
                    String path = request.path();
                    if (request.method() == HttpMethod.POST && path.equals("/tasks/summaries/paginate")) {
                        request.body(body -> request.response()
                                .putHeader("Content-Type", "application/json; charset=utf-8")
                                .putHeader("Content-Length", length)
                                .end(page));
                    } else if (request.method() == HttpMethod.GET && path.equals("/_bench/task-reads")) {
                        request.response().end(String.valueOf(taskReads.get()));
                    } else if (request.method() == HttpMethod.GET && path.startsWith("/tasks/") && task.length() > 0
                            && path.indexOf('/', "/tasks/".length()) < 0) {
                        taskReads.incrementAndGet();
                        vertx.setTimer(Math.max(1, taskDelayMs), t -> request.response()
                                .putHeader("Content-Type", "application/json; charset=utf-8").end(task));
                    } else {
                        request.response().setStatusCode(404).end();
                    }
                })
                .listen()
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("ready on 127.0.0.1:" + port);
    }
}
