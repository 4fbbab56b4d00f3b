package org.qarnotmcp.policy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.qarnotmcp.Settings;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;

/**
 * The spending limits a platform sets for tools that create tasks (README "Limits"), as bean {@code spendingLimits}
 * of the shared route {@code direct:spending-limits}: most instances per task, the profiles and Docker image
 * prefixes allowed, and the most tasks one caller may create per hour. A tool route calls that route next to the
 * request it guards; a request over a limit ends the call with a {@link LimitExceeded} naming the limit and its
 * setting, before Qarnot sees it. The hourly count is kept in this replica's memory.
 */
public final class SpendingLimits {

    /** Route variable of a re-run: which instances of the source task it runs (all, failed, cancelled, failed,cancelled). */
    public static final String RERUN = "rerunInstances";

    static final Duration HOUR = Duration.ofHours(1);

    private final int maxInstances;
    private final List<String> profiles;
    private final List<String> imagePrefixes;
    private final int tasksPerHour;
    private final LongSupplier clock;
    private final Map<String, Deque<Long>> created = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;

    /** A limit of 0, or an empty list, is no limit. */
    public SpendingLimits(int maxInstances, List<String> profiles, List<String> imagePrefixes, int tasksPerHour,
            LongSupplier nanoClock) {
        this.maxInstances = maxInstances;
        this.profiles = List.copyOf(profiles);
        this.imagePrefixes = List.copyOf(imagePrefixes);
        this.tasksPerHour = tasksPerHour;
        this.clock = nanoClock;
    }

    public static SpendingLimits from(CamelContext context) {
        return new SpendingLimits(
                Settings.number(context, "mcp.limits.max-instances-per-task", "MCP_MAX_INSTANCES_PER_TASK", "0"),
                Settings.list(Settings.get(context, "mcp.limits.allowed-profiles", "")),
                Settings.list(Settings.get(context, "mcp.limits.allowed-image-prefixes", "")),
                Settings.number(context, "mcp.limits.max-tasks-per-hour", "MCP_MAX_TASKS_PER_HOUR", "0"),
                System::nanoTime);
    }

    /** A limit refused the call; Qarnot was not called. */
    public static final class LimitExceeded extends ToolException {
        LimitExceeded(String message) {
            super("Refused before reaching Qarnot: " + message);
        }
    }

    /** Whether the source task of a re-run must be read first: only when a limit depends on what it runs. */
    boolean needsSourceTask(Exchange exchange) {
        if (exchange.getVariable(RERUN) == null) {
            return false;
        }
        return !profiles.isEmpty() || !imagePrefixes.isEmpty() || (maxInstances > 0 && instancesAsked(body(exchange)) == null);
    }

    /**
     * Checks the task the exchange is about to create (its body is the Qarnot request; for a re-run, variable
     * {@link #RERUN} says which instances and the source task is read from Qarnot with the caller's key, through
     * the shared Qarnot route, if a limit needs it); counts it against the caller's hour unless it is a dry run.
     */
    public void check(Exchange exchange) {
        Map<?, ?> request = body(exchange);
        Object rerun = exchange.getVariable(RERUN);
        Map<?, ?> task = rerun == null ? request : needsSourceTask(exchange) ? sourceTask(exchange) : Map.of();
        if (maxInstances > 0) {
            Long instances = rerun == null || "all".equals(rerun) ? instancesAsked(request) : null;
            if (instances == null) {
                instances = rerun == null ? Long.valueOf(1) : instancesOf(task, String.valueOf(rerun));
            }
            if (instances > maxInstances) {
                throw new LimitExceeded("this task would run " + instances + " instances, and this server allows at most "
                        + maxInstances + " per task (MCP_MAX_INSTANCES_PER_TASK). Ask for " + maxInstances
                        + " or fewer (instanceCount or advancedRanges), or ask the server's operator to raise the limit.");
            }
        }
        if (!profiles.isEmpty() && task.get("profile") instanceof String profile && !profiles.contains(profile)) {
            throw new LimitExceeded("the profile '" + profile + "' is not one this server allows (MCP_ALLOWED_PROFILES: "
                    + String.join(", ", profiles) + "). Use one of those.");
        }
        if (!imagePrefixes.isEmpty()) {
            for (String image : images(task)) {
                if (imagePrefixes.stream().noneMatch(image::startsWith)) {
                    throw new LimitExceeded("the Docker image '" + image + "' is not from a source this server allows "
                            + "(MCP_ALLOWED_IMAGE_PREFIXES: " + String.join(", ", imagePrefixes) + "). Use an image "
                            + "whose name starts with one of those.");
                }
            }
        }
        if (tasksPerHour > 0 && !Boolean.TRUE.equals(exchange.getVariable("dryRun"))) {
            count(exchange.getMessage().getHeader(QarnotKey.HEADER, QarnotKey.class));
        }
    }

    private void count(QarnotKey key) {
        String user = key == null ? "-" : key.userId();
        long now = clock.getAsLong();
        long hourAgo = now - HOUR.toNanos();
        if (created.size() > RateLimiter.SWEEP_AT) {
            created.values().removeIf(times -> {
                synchronized (times) {
                    return times.isEmpty() || times.peekLast() < hourAgo;
                }
            });
        }
        Deque<Long> times = created.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() < hourAgo) {
                times.pollFirst();
            }
            if (times.size() >= tasksPerHour) {
                long minutes = Math.max(1, (long) Math.ceil((times.peekFirst() - hourAgo) / 60e9));
                throw new LimitExceeded("you have created " + times.size() + " tasks in the last hour, the most this "
                        + "server allows per caller (MCP_MAX_TASKS_PER_HOUR=" + tasksPerHour + "). The next one is "
                        + "possible in " + minutes + " min.");
            }
            times.addLast(now);
        }
    }

    /** instanceCount or the size of advancedRanges in a request; null when it names neither. */
    static Long instancesAsked(Map<?, ?> request) {
        if (request.get("instanceCount") instanceof Number n) {
            return n.longValue();
        }
        return request.get("advancedRanges") instanceof String ranges ? rangeSize(ranges) : null;
    }

    /** How many instances a re-run of the source task runs: all of them, or its failed and/or cancelled ones. */
    static long instancesOf(Map<?, ?> task, String which) {
        if (which.equals("all")) {
            Long asked = instancesAsked(task);
            return asked == null ? 1 : asked;
        }
        Map<?, ?> status = asMap(task.get("status"));
        long count = 0;
        for (String kind : which.split(",")) {
            Object range = status.get(kind.trim() + "Range");
            count += range instanceof String r ? rangeSize(r) : 0;
        }
        return count;
    }

    /** "0-9,15" is 11 instances. */
    static long rangeSize(String ranges) {
        long count = 0;
        for (String part : ranges.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            try {
                count += dash < 0 ? 1 : Math.abs(Long.parseLong(p.substring(dash + 1).trim()) - Long.parseLong(p.substring(0, dash).trim())) + 1;
            } catch (NumberFormatException e) {
                count += 1;
            }
        }
        return count;
    }

    /** The Docker images a task runs: its DOCKER_REPO constants. */
    static List<String> images(Map<?, ?> task) {
        if (!(task.get("constants") instanceof List<?> constants)) {
            return List.of();
        }
        return constants.stream().map(SpendingLimits::asMap)
                .filter(c -> "DOCKER_REPO".equals(c.get("key")) && c.get("value") instanceof String)
                .map(c -> (String) c.get("value")).toList();
    }

    /** GET /tasks/{uuid} on a copy of the exchange, so that the tool's own request is left as it was. */
    private Map<?, ?> sourceTask(Exchange exchange) {
        Exchange read = exchange.copy();
        read.setVariable("qarnotMethod", "GET");
        read.setVariable("qarnotPath", "/tasks/{uuid}");
        read.getMessage().setBody(null);
        ProducerTemplate qarnot = template;
        if (qarnot == null) {
            qarnot = template = exchange.getContext().createProducerTemplate();
        }
        qarnot.send("direct:qarnot-api", read);
        if (read.getException() instanceof RuntimeException e) {
            throw e;
        }
        if (read.getException() != null) {
            throw new IllegalStateException(read.getException());
        }
        return asMap(read.getMessage().getBody());
    }

    private static Map<?, ?> body(Exchange exchange) {
        return asMap(exchange.getMessage().getBody());
    }

    private static Map<?, ?> asMap(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }
}
