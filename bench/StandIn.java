import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's Qarnot stand-in: answers {@code POST /tasks/summaries/paginate} (list_tasks' request) with a
 * fixed summaries page read from a file, after reading the request body; everything else gets 404. Loopback only.
 *
 * <p>Run as a single-file program with the server's own libraries (Vert.x):
 * {@code java -cp 'target/lib/*' bench/StandIn.java PORT bench/summaries-page.json}. Prints "ready" when listening.
 */
public final class StandIn {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Buffer page = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
        String length = String.valueOf(page.length());
        int loops = Integer.parseInt(System.getProperty("standin.loops", "1"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .requestHandler(request -> {
                    if (request.method() == HttpMethod.POST && request.path().equals("/tasks/summaries/paginate")) {
                        request.body(body -> request.response()
                                .putHeader("Content-Type", "application/json; charset=utf-8")
                                .putHeader("Content-Length", length)
                                .end(page));
                    } else {
                        request.response().setStatusCode(404).end();
                    }
                })
                .listen()
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("ready on 127.0.0.1:" + port);
    }
}
