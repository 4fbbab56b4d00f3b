import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's "waits held" line: how many concurrent {@code wait_for_task} calls one server holds while a cheap
 * {@code list_tasks} still answers with p99 under 50 ms.
 *
 * <p>For each level (say 1,000, 2,500, 5,000, 10,000) it tops the waits up to that many, each one a real
 * {@code tools/call} on its own HTTP connection (as a client behind a proxy or tunnel sends them), against the
 * stand-in's task that never ends; a wait that comes back {@code finished: false} after its 75 s is sent again, as a
 * model would. Once the stand-in has seen every wait poll, it sends {@code list_tasks} one at a time for a few seconds
 * and measures their latency, then reads the server's resident memory and thread count from /proc. It stops at the
 * first level whose p99 is 50 ms or more, or where any call failed (an error names what the server said, never a
 * key). Waits go out a few hundred at a time so that the ramp itself is not what is measured.
 *
 * <p>{@code java -cp 'target/lib/*' bench/Waits.java MCP_URL STANDIN_URL SERVER_PID LEVELS PROBE_SECONDS POLL_SECONDS}
 * prints one {@code LEVEL ...} line per level and a last {@code WAITS held=...} line. Keys are made up
 * ({@code bench-wait-N}, one per 500 waits, under the per-caller share); the stand-in ignores them.
 */
public final class Waits {

    static final double P99_LIMIT_MS = 50;
    static final int WAITS_PER_KEY = 500;
    static final int RAMP_BATCH = 250;

    public static void main(String[] args) throws Exception {
        URI mcp = URI.create(args[0]);
        URI standIn = URI.create(args[1]);
        long pid = Long.parseLong(args[2]);
        int[] levels = Arrays.stream(args[3].split("[ ,]+")).mapToInt(Integer::parseInt).toArray();
        int probeSeconds = Integer.parseInt(args[4]);
        int pollSeconds = Integer.parseInt(args[5]);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        int maxLevel = Arrays.stream(levels).max().orElse(0);
        HttpClient waits = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setIdleTimeout(0).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(maxLevel + 64).setMaxWaitQueueSize(-1));
        java.net.http.HttpClient probe = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        AtomicInteger held = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        WaitCall call = new WaitCall(waits, mcp, pollSeconds, held, sent, failed, firstFailure);

        int best = 0;
        String bestLine = "";
        int index = 0;
        for (int level : levels) {
            while (held.get() < level) {
                int batch = Math.min(RAMP_BATCH, level - held.get());
                for (int i = 0; i < batch; i++) {
                    call.send(index++);
                }
                Thread.sleep(100);
            }
            // Every wait sent has reached the server's route once it has polled the stand-in.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (taskReads(probe, standIn) < sent.get() && System.nanoTime() < deadline && failed.get() == 0) {
                Thread.sleep(100);
            }
            boolean allStarted = taskReads(probe, standIn) >= sent.get();
            Thread.sleep(1000);
            Probe p = probe(probe, mcp, probeSeconds);
            String line = String.format("LEVEL waits=%d held=%d started=%s list_tasks=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                            + " probe_failures=%d wait_failures=%d rss_mb=%d threads=%d",
                    level, held.get(), allStarted, p.count, p.percentile(50), p.percentile(99), p.percentile(100),
                    p.failures, failed.get(), kb(pid, "VmRSS") / 1024, kb(pid, "Threads"));
            System.out.println(line);
            boolean ok = allStarted && p.failures == 0 && failed.get() == 0 && p.count > 0
                    && p.percentile(99) < P99_LIMIT_MS;
            if (!ok) {
                if (firstFailure.get() != null) {
                    System.out.println("FAILURE " + firstFailure.get());
                }
                break;
            }
            best = level;
            bestLine = line.substring("LEVEL ".length());
        }
        System.out.println("WAITS held=" + best + (bestLine.isEmpty() ? "" : " at " + bestLine));
        vertx.close();
        System.exit(0);
    }

    /** One wait_for_task call on its own connection; sent again when it answers finished: false. */
    record WaitCall(HttpClient client, URI mcp, int pollSeconds, AtomicInteger held, AtomicLong sent,
                    AtomicLong failed, AtomicReference<String> firstFailure) {

        void send(int index) {
            held.incrementAndGet();
            sent.incrementAndGet();
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + index + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"wait_for_task\",\"arguments\":{\"uuid\":\"e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b\","
                    + "\"timeoutSeconds\":75,\"pollSeconds\":" + pollSeconds + "}}}";
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(mcp.getHost())
                    .setPort(mcp.getPort()).setURI(mcp.getPath()).setIdleTimeout(0)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "application/json, text/event-stream")
                    .putHeader("MCP-Protocol-Version", "2025-11-25")
                    .putHeader("Authorization", "Bearer bench-wait-" + (index / WAITS_PER_KEY));
            client.request(options)
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(b -> response.statusCode() + " " + b))
                    .onComplete(answer -> {
                        held.decrementAndGet();
                        String text = answer.succeeded() ? answer.result() : "no answer: " + answer.cause();
                        if (text.startsWith("200 ") && text.contains("\"isError\":false")) {
                            send(index); // finished: false after 75 s: wait again, as the model would
                        } else {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, text.length() > 300 ? text.substring(0, 300) : text);
                        }
                    });
        }
    }

    /** Latencies of the successful probes, sorted once when the probe ends. */
    record Probe(long[] nanos, int count, int failures) {
        Probe {
            Arrays.sort(nanos, 0, count);
        }

        double percentile(int p) {
            if (count == 0) {
                return Double.NaN;
            }
            int i = Math.min(count - 1, (int) Math.ceil(p / 100.0 * count) - 1);
            return nanos[Math.max(0, i)] / 1e6;
        }
    }

    /** list_tasks one at a time for the given seconds; latencies of the successful ones. */
    static Probe probe(java.net.http.HttpClient http, URI mcp, int seconds) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(mcp).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25").header("Authorization", "Bearer bench-probe")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"list_tasks\",\"arguments\":{}}}"))
                .build();
        List<Long> samples = new ArrayList<>();
        int failures = 0;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long t = System.nanoTime() - t0;
                if (response.statusCode() == 200 && response.body().contains("\"isError\":false")) {
                    samples.add(t);
                } else {
                    failures++;
                }
            } catch (java.io.IOException e) {
                failures++;
            }
        }
        return new Probe(samples.stream().mapToLong(Long::longValue).toArray(), samples.size(), failures);
    }

    static long taskReads(java.net.http.HttpClient http, URI standIn) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(standIn.resolve("/_bench/task-reads")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.body().trim());
    }

    static long kb(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
