package org.qarnotmcp.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.opentelemetry.context.Scope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.BearerCredentials;
import org.qarnotmcp.credential.KeyMask;
import org.qarnotmcp.credential.QarnotKey;
import org.qarnotmcp.observe.CallLog;
import org.qarnotmcp.observe.CallLog.Outcome;
import org.qarnotmcp.observe.ToolSpan;
import org.qarnotmcp.observe.Tracing;
import org.qarnotmcp.policy.CallPolicy;
import org.qarnotmcp.qarnot.QarnotApiException;
import org.qarnotmcp.qarnot.QarnotResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs one {@code tools/call}: checks the caller's key and the arguments, takes a place under the replica's and
 * the caller's concurrency limits ({@link Admission}), runs the tool's route on its own thread ({@link ToolThreads},
 * never the Vert.x event loop) under the call timeout, and turns the outcome into a tool result.
 * Failures become {@code isError} results with a clear message, never a stack trace or a secret.
 */
public final class ToolDispatcher {

    /** Transport-context keys the HTTP layer fills from the request headers. */
    public static final String AUTHORIZATION = "authorization";
    public static final String USER_AGENT = "user-agent";
    /** Transport-context key: the request's W3C trace headers ({@code traceparent}, {@code tracestate}). */
    public static final String TRACE_HEADERS = "trace-headers";

    private static final Logger LOG = LoggerFactory.getLogger(ToolDispatcher.class);

    private final ExecutorService workers;
    private final Duration defaultTimeout;
    private final ToolResults results;
    private final CallLog callLog;
    private final Tracing tracing;
    private final Admission admission;
    private final CallPolicy policy;
    private volatile Duration maxCallTime = Duration.ofDays(1);
    private final java.util.Set<CompletableFuture<CallToolResult>> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param maxCalls          calls running at once on this replica
     * @param maxCallsPerCaller calls running at once for one caller (one Qarnot key)
     * @param policy            rate limits and the audit line (policy/)
     */
    public ToolDispatcher(ExecutorService workers, int maxCalls, int maxCallsPerCaller, Duration defaultTimeout,
            int resultMaxChars, ObjectMapper mapper, CallLog callLog, CallPolicy policy, Tracing tracing) {
        this.tracing = tracing;
        this.policy = policy;
        this.workers = workers;
        this.admission = new Admission(maxCalls, maxCallsPerCaller);
        this.defaultTimeout = defaultTimeout;
        this.results = new ToolResults(mapper, resultMaxChars);
        this.callLog = callLog;
    }

    Mono<CallToolResult> call(ToolDefinition tool, McpToolConsumer consumer, McpTransportContext context,
            CallToolRequest request) {
        long start = System.nanoTime();
        @SuppressWarnings("unchecked")
        ToolSpan span = tracing.toolCall(tool.name(), request.meta(), (Map<String, String>) context.get(TRACE_HEADERS));
        String userAgent = (String) context.get(USER_AGENT);
        QarnotKey key;
        try {
            key = BearerCredentials.parse((String) context.get(AUTHORIZATION));
        } catch (ToolException e) {
            return Mono.just(finish(span, tool, null, userAgent, start, Outcome.NO_CREDENTIAL, ToolResults.error(e.getMessage()), null));
        }
        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
        // Rate limits and the audit line (policy/): the one place the platform's rules see a call.
        CallPolicy.Call governed = policy.open(tool.tool(), key.userId(), userAgent, arguments, start);
        if (governed.refusal() != null) {
            return Mono.just(finish(span, tool, key, userAgent, start, Outcome.RATE_LIMITED, ToolResults.error(governed.refusal()), governed));
        }
        List<String> violations = tool.violations(arguments);
        if (!violations.isEmpty()) {
            String message = "Invalid arguments for " + tool.name() + " (fix them and call again; tools/list has the "
                    + "input schema):\n- " + String.join("\n- ", violations);
            return Mono.just(finish(span, tool, key, userAgent, start, Outcome.INVALID_ARGUMENTS, ToolResults.error(message), governed));
        }
        Map<String, Object> effective = tool.withDefaults(arguments);
        CallControl control = context.get(CallControl.KEY) instanceof CallControl c ? c : new CallControl();
        Duration declared = tool.timeout() != null ? tool.timeout() : defaultTimeout;
        Duration timeout = declared.compareTo(maxCallTime) > 0 ? maxCallTime : declared;
        String caller = key.userId();
        Admission.Verdict verdict = admission.enter(caller);
        if (verdict != Admission.Verdict.ADMITTED) {
            return Mono.just(finish(span, tool, key, userAgent, start, Outcome.BUSY, ToolResults.error(busyMessage(verdict)), governed));
        }
        CompletableFuture<CallToolResult> run;
        try {
            CompletableFuture<CallToolResult> route = CompletableFuture.supplyAsync(
                    () -> runRoute(tool, consumer, effective, key, control, governed, span), workers);
            route.whenComplete((result, error) -> {
                admission.leave(caller);
                governed.routeEnded(result, error == null ? null : unwrap(error));
            });
            run = answerable(route.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            admission.leave(caller);
            return Mono.just(finish(span, tool, key, userAgent, start, Outcome.BUSY,
                    ToolResults.error("The server could not start the call; try again in a few seconds."), governed));
        }
        return Mono.fromFuture(run)
                .map(result -> finish(span, tool, key, userAgent, start, control.cancelled() ? Outcome.CANCELLED : Outcome.OK, result, governed))
                .onErrorResume(e -> Mono.just(control.cancelled()
                        ? finish(span, tool, key, userAgent, start, Outcome.CANCELLED, ToolResults.error(new CallControl.Cancelled().getMessage()), governed)
                        : failure(span, tool, key, userAgent, start, timeout, unwrap(e), governed)));
    }

    /**
     * The longest any call may take, whatever its tool declares: an answer that has not started by then is cut by
     * proxies on the way (Cloudflare drops it after about 120 s with a 524), so long work is split into calls.
     */
    public void maxCallTime(Duration limit) {
        this.maxCallTime = limit;
    }

    /** Thrown into the calls still running when the shutdown drain is over. */
    static final class ServerRestarting extends RuntimeException {
        ServerRestarting() {
            super("server restarting", null, false, false);
        }
    }

    /** A call's answer, kept until it is given so that the shutdown can still give one. */
    private CompletableFuture<CallToolResult> answerable(CompletableFuture<CallToolResult> run) {
        unanswered.add(run);
        run.whenComplete((result, error) -> unanswered.remove(run));
        return run;
    }

    /**
     * At the end of the shutdown drain: every call still running is answered now ("the server is restarting; call
     * again"), before the HTTP server closes its connection; its route is left to be stopped with the context.
     */
    public int answerRunningCalls() {
        int answered = 0;
        for (CompletableFuture<CallToolResult> run : List.copyOf(unanswered)) {
            if (run.completeExceptionally(new ServerRestarting())) {
                answered++;
            }
        }
        return answered;
    }

    /** Routes still running (a timed-out call counts until its route ends). */
    public int inFlight() {
        return admission.running();
    }

    /** Waits until no route runs, up to the given time; true when idle. */
    public boolean awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (admission.running() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(25);
        }
        return true;
    }

    private String busyMessage(Admission.Verdict verdict) {
        if (verdict == Admission.Verdict.CALLER_FULL) {
            return "You already have " + admission.perCaller() + " calls running on this server, the most one caller "
                    + "may (MCP_MAX_CALLS_PER_CALLER); wait for some to finish (a wait_for_task call holds its place "
                    + "while it waits) and call again.";
        }
        return "The server is handling " + admission.limit() + " calls at once, its limit (MCP_MAX_CALLS); try again "
                + "in a few seconds.";
    }

    private CallToolResult runRoute(ToolDefinition tool, McpToolConsumer consumer, Map<String, Object> arguments,
            QarnotKey key, CallControl control, CallPolicy.Call governed, ToolSpan span) {
        Exchange exchange = consumer.createExchange(false);
        control.bind(Thread.currentThread());
        try (Scope traced = span.makeCurrent()) { // the Qarnot requests of this route are its children
            exchange.setProperty(CallControl.KEY, control);
            arguments.forEach(exchange::setVariable);
            exchange.getMessage().setBody(arguments);
            exchange.getMessage().setHeader(QarnotKey.HEADER, key);
            consumer.getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            return results.success(tool, exchange.getMessage().getBody());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        } finally {
            control.unbind();
            governed.qarnotStatus(exchange.getVariable(QarnotResponse.STATUS));
            consumer.releaseExchange(exchange, false);
        }
    }

    private CallToolResult failure(ToolSpan span, ToolDefinition tool, QarnotKey key, String userAgent, long start, Duration timeout,
            Throwable error, CallPolicy.Call governed) {
        if (error instanceof TimeoutException) {
            return finish(span, tool, key, userAgent, start, Outcome.TIMEOUT, ToolResults.error("The tool " + tool.name()
                    + " did not finish within " + timeout.toSeconds() + " s, so the call was given up. Qarnot may be "
                    + "slow: try again, or ask for less."), governed);
        }
        if (error instanceof ServerRestarting) {
            return finish(span, tool, key, userAgent, start, Outcome.RESTARTING, ToolResults.error("The server is restarting, "
                    + "so this call was stopped before it finished; call again in a few seconds. (If the call creates or "
                    + "changes something, check first with a list or get tool: it may have been done.)"), governed);
        }
        if (error instanceof QarnotApiException upstream) {
            return finish(span, tool, key, userAgent, start, Outcome.of(upstream), ToolResults.error(upstream.getMessage()), governed);
        }
        if (error instanceof ToolException expected) {
            return finish(span, tool, key, userAgent, start, Outcome.TOOL_ERROR, ToolResults.error(expected.getMessage()), governed);
        }
        String reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        // The message may quote Qarnot's data (a script's error), so the caller's key is masked in it, stack included.
        LOG.warn("Tool {} failed (reference {}): {}: {}", tool.name(), reference, error.getClass().getName(),
                KeyMask.mask(firstLine(error.getMessage()), key));
        if (LOG.isDebugEnabled()) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            LOG.debug("Tool {} failure {} detail: {}", tool.name(), reference, KeyMask.mask(trace.toString(), key));
        }
        return finish(span, tool, key, userAgent, start, Outcome.INTERNAL_ERROR, ToolResults.error("The tool " + tool.name()
                + " failed with an internal error (reference " + reference + "; the server log has the details). "
                + "Retrying will probably not help; report it to the server operator."), governed);
    }

    private CallToolResult finish(ToolSpan span, ToolDefinition tool, QarnotKey key, String userAgent, long start,
            Outcome outcome, CallToolResult result, CallPolicy.Call governed) {
        span.end(outcome.label());
        callLog.record(tool.name(), key == null ? null : key.userId(), userAgent, outcome, System.nanoTime() - start);
        CallToolResult shown = key == null ? result : masked(result, key);
        if (governed != null) {
            governed.answered(outcome, shown);
        }
        return shown;
    }

    /** Qarnot's data or error text may quote the caller's key (an echoing proxy, a task named after it): masked. */
    static CallToolResult masked(CallToolResult result, QarnotKey key) {
        boolean found = false;
        for (McpSchema.Content content : result.content()) {
            found |= content instanceof McpSchema.TextContent text && KeyMask.appearsIn(text.text(), key);
        }
        if (!found && result.structuredContent() == null) {
            return result;
        }
        Object structured = result.structuredContent() == null ? null : KeyMask.maskAll(result.structuredContent(), key);
        if (!found && structured != null && structured.equals(result.structuredContent())) {
            return result;
        }
        CallToolResult.Builder builder = CallToolResult.builder().isError(result.isError());
        for (McpSchema.Content content : result.content()) {
            if (content instanceof McpSchema.TextContent text) {
                builder.addTextContent(KeyMask.mask(text.text(), key));
            } else {
                builder.addContent(content);
            }
        }
        if (structured != null) {
            builder.structuredContent(structured);
        }
        return builder.build();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof RuntimeCamelException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
