package org.qarnotmcp.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.qarnotmcp.observe.CallLog.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own Prometheus series, registered in the Micrometer registry that Camel creates for
 * {@code /observe/metrics} (so Camel's route metrics and these share one endpoint):
 * <ul>
 *   <li>{@code mcp_tool_calls_seconds{tool,outcome}}: a histogram of tool-call durations; its {@code _count} is the
 *       number of calls per tool and outcome ({@code ok} or an error kind, see {@link Outcome});</li>
 *   <li>{@code mcp_tool_errors_total{tool,kind}}: failed calls per tool and error kind;</li>
 *   <li>{@code qarnot_requests_seconds{method,status}}: a histogram of Qarnot HTTP requests, each attempt on its own,
 *       timed to the response head; status is {@code 2xx}..{@code 5xx}, or {@code io_error} when no answer came;</li>
 *   <li>{@code qarnot_retries_total}: retries of transient Qarnot failures;</li>
 *   <li>{@code qarnot_storage_requests_seconds{operation,status}}: the same for Qarnot storage (S3), by S3 operation
 *       (ListObjectsV2, GetObject, ...), each attempt on its own.</li>
 * </ul>
 * Labels never carry a key, a user or an argument: only tool names (from the routes), outcomes, methods and status
 * classes, so the number of series stays small. Without {@code camel.metrics.enabled} nothing is recorded.
 */
public final class ToolMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ToolMetrics.class);

    /** Histogram buckets: from a fast cached answer to the longest tool timeout. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final CamelContext context;
    private final Map<String, Timer> callTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errorCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstreamTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> storageTimers = new ConcurrentHashMap<>();
    private final List<Consumer<MeterRegistry>> counted = new CopyOnWriteArrayList<>();
    private volatile MeterRegistry registry;
    private volatile boolean countsLost;

    public ToolMetrics(CamelContext context) {
        this.context = context;
    }

    /** Camel's registry exists once its metrics service has started, which is before this service starts. */
    @Override
    protected void doStart() {
        MeterRegistry found = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (found == null) {
            LOG.info("Metrics are off (camel.metrics.enabled=false): tool calls are only logged");
            return;
        }
        // Camel clears its registry when routes reload: forget the removed meters so they are registered again.
        found.config().onMeterRemoved(this::forget);
        registry = found;
        counted.forEach(register -> register.accept(found));
    }

    @Override
    protected void doStop() {
        registry = null;
    }

    /** One finished tool call. */
    public void toolCall(String tool, Outcome outcome, long durationNanos) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        restoreCounts(r);
        timer(callTimers, tool + '\0' + outcome.label(), key -> Timer.builder("mcp.tool.calls")
                .description("Tool calls by tool and outcome (ok or an error kind), with their duration")
                .tag("tool", tool).tag("outcome", outcome.label())
                .serviceLevelObjectives(BUCKETS)
                .register(r)).record(durationNanos, TimeUnit.NANOSECONDS);
        if (outcome != Outcome.OK) {
            errorCounters.computeIfAbsent(tool + '\0' + outcome.label(), key -> Counter.builder("mcp.tool.errors")
                    .description("Failed tool calls by tool and error kind")
                    .tag("tool", tool).tag("kind", outcome.label())
                    .register(r)).increment();
        }
    }

    /** One attempt of an HTTP request to Qarnot; status 0 when no answer came. */
    public void upstreamRequest(String method, int status, long durationNanos) {
        attempt(upstreamTimers, "qarnot.requests", "HTTP requests to the Qarnot API (each attempt), timed to the "
                + "response head", "method", method, status, durationNanos);
    }

    /** One attempt of a request to Qarnot storage (S3); status 0 when no answer came. */
    public void storageRequest(String operation, int status, long durationNanos) {
        attempt(storageTimers, "qarnot.storage.requests", "Requests to Qarnot storage (S3, each attempt) by "
                + "operation, timed to the response head", "operation", operation, status, durationNanos);
    }

    private void attempt(Map<String, Timer> timers, String name, String description, String label, String value,
            int status, long durationNanos) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String statusClass = statusClass(status);
        timer(timers, value + '\0' + statusClass, key -> Timer.builder(name)
                .description(description)
                .tag(label, value).tag("status", statusClass)
                .serviceLevelObjectives(BUCKETS)
                .register(r)).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** A monotonic count kept elsewhere (the retry strategy's), exposed as {@code <name>_total}. */
    public <T> void countFrom(String name, String description, T source, ToDoubleFunction<T> count) {
        counted.add(registry -> FunctionCounter.builder(name, source, count).description(description).register(registry));
        MeterRegistry r = registry;
        if (r != null) {
            counted.get(counted.size() - 1).accept(r);
        }
    }

    private static Timer timer(Map<String, Timer> cache, String key, Function<String, Timer> create) {
        Timer timer = cache.get(key);
        return timer != null ? timer : cache.computeIfAbsent(key, create);
    }

    /** Camel clears its registry on route reload (camel.metrics.clearOnReload): drop cached meters, re-add counts. */
    private void forget(Meter meter) {
        callTimers.values().remove(meter);
        errorCounters.values().remove(meter);
        upstreamTimers.values().remove(meter);
        storageTimers.values().remove(meter);
        if (meter instanceof FunctionCounter) {
            countsLost = true;
        }
    }

    private void restoreCounts(MeterRegistry r) {
        if (countsLost) {
            countsLost = false;
            counted.forEach(register -> register.accept(r));
        }
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "io_error";
    }
}
