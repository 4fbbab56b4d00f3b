package org.qarnotmcp.policy;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.qarnotmcp.Settings;
import org.qarnotmcp.observe.CallLog.Outcome;

/**
 * What the dispatcher asks of the platform's rules for each call, once the caller is known: may it run now (the
 * per-caller rate limits), and, for a tool that changes something, the audit line once it has ended. A tool
 * "changes something" unless its own annotations say {@code readOnlyHint: true}, so a new tool needs no list.
 */
public final class CallPolicy {

    private final RateLimiter reads;
    private final RateLimiter changes;
    private final AuditLog audit;
    private final Clock clock;

    public CallPolicy(RateLimiter reads, RateLimiter changes, AuditLog audit, Clock clock) {
        this.reads = reads;
        this.changes = changes;
        this.audit = audit;
        this.clock = clock;
    }

    public static CallPolicy from(CamelContext context, AuditLog audit) {
        return new CallPolicy(
                limiter(context, "mcp.rate-limit", "MCP_RATE_LIMIT", "mcp.rate-burst", "MCP_RATE_BURST", "20"),
                limiter(context, "mcp.rate-limit-changes", "MCP_RATE_LIMIT_CHANGES", "mcp.rate-burst-changes",
                        "MCP_RATE_BURST_CHANGES", "5"),
                audit, Clock.systemUTC());
    }

    private static RateLimiter limiter(CamelContext context, String rate, String rateVar, String burst, String burstVar,
            String defaultBurst) {
        int perMinute = Settings.number(context, rate, rateVar, "0");
        int size = Settings.number(context, burst, burstVar, defaultBurst);
        if (perMinute > 0 && size < 1) {
            throw new IllegalArgumentException(burstVar + " must be at least 1 when " + rateVar + " is set.");
        }
        return new RateLimiter(perMinute, size, System::nanoTime);
    }

    /** The per-call part; {@link Call#refusal()} says whether it may run. {@code userId} is the key's pseudonym. */
    public Call open(McpSchema.Tool tool, String userId, String client, Map<String, Object> arguments, long startNanos) {
        boolean changing = !ToolSelection.isReadOnly(tool);
        RateLimiter limiter = changing ? changes : reads;
        long waitSeconds = limiter.acquire(userId);
        String refusal = waitSeconds == 0 ? null : "Rate limit: this server lets each caller make " + limiter.perMinute()
                + " calls per minute (bursts of " + limiter.burst() + ") to tools that " + (changing
                        ? "change something (MCP_RATE_LIMIT_CHANGES, MCP_RATE_BURST_CHANGES)"
                        : "change nothing (MCP_RATE_LIMIT, MCP_RATE_BURST)")
                + ". Nothing was done; try again in " + waitSeconds + " s.";
        if (!changing) {
            return refusal == null ? Call.ALLOWED : new Call(refusal);
        }
        return new AuditedCall(refusal, tool.name(), userId, client, arguments, startNanos);
    }

    /** A read-only call: only the rate-limit answer. */
    public static class Call {
        static final Call ALLOWED = new Call(null);
        private final String refusal;

        Call(String refusal) {
            this.refusal = refusal;
        }

        /** The rate-limit answer, or null when the call may run. */
        public String refusal() {
            return refusal;
        }

        /** Qarnot's HTTP status of the call's last request, read from the exchange when the route ends. */
        public void qarnotStatus(Object status) {
        }

        /** What the dispatcher answered the caller. */
        public void answered(Outcome outcome, CallToolResult result) {
        }

        /** How the route really ended, {@code error} unwrapped (a timed-out call's route may still finish later). */
        public void routeEnded(CallToolResult result, Throwable error) {
        }
    }

    /**
     * A call of a tool that changes something: one audit line when both the answer is given and, if the route ran,
     * the route has ended; for a timeout, the line tells what the route really did and that the caller was told
     * "timeout".
     */
    private final class AuditedCall extends Call {
        private final String tool;
        private final String userId;
        private final String client;
        private final Map<String, Object> arguments;
        private final long startNanos;
        private Integer qarnotStatus;
        private Outcome answer;
        private CallToolResult answerResult;
        private boolean routeEnded;
        private Outcome routeOutcome;
        private CallToolResult routeResult;
        private boolean written;

        AuditedCall(String refusal, String tool, String userId, String client, Map<String, Object> arguments,
                long startNanos) {
            super(refusal);
            this.tool = tool;
            this.userId = userId;
            this.client = client;
            this.arguments = arguments;
            this.startNanos = startNanos;
        }

        @Override
        public synchronized void qarnotStatus(Object status) {
            qarnotStatus = status instanceof Number n ? n.intValue() : null;
        }

        @Override
        public synchronized void answered(Outcome outcome, CallToolResult result) {
            answer = outcome;
            answerResult = result;
            if (outcome != Outcome.TIMEOUT || routeEnded) {
                write();
            }
        }

        @Override
        public synchronized void routeEnded(CallToolResult result, Throwable error) {
            routeEnded = true;
            routeOutcome = error == null ? Outcome.OK : Outcome.of(error);
            routeResult = result;
            if (answer == Outcome.TIMEOUT) {
                write();
            }
        }

        private void write() {
            if (written) {
                return;
            }
            written = true;
            boolean late = answer == Outcome.TIMEOUT && routeEnded;
            Outcome outcome = late ? routeOutcome : answer;
            CallToolResult result = late ? routeResult : answerResult;
            Object structured = result == null || Boolean.TRUE.equals(result.isError()) ? null : result.structuredContent();
            audit.write(new AuditLog.Entry(clock.instant(), userId, client, tool, arguments, structured, outcome.label(),
                    late ? Outcome.TIMEOUT.label() : null, qarnotStatus, (System.nanoTime() - startNanos) / 1_000_000));
        }
    }
}
