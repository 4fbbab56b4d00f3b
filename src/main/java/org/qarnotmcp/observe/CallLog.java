package org.qarnotmcp.observe;

import java.util.concurrent.TimeUnit;
import org.qarnotmcp.CallerText;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.qarnot.QarnotApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every finished tool call goes through here: one line on logger {@code qarnotmcp.calls} (tool, pseudonymous user,
 * client User-Agent, outcome and duration) and the per-tool metrics. The user id is derived from the key and cannot
 * be turned back into it; it is logged, never used as a metric label.
 */
public final class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger("qarnotmcp.calls");

    /** How a call ended; also the label for metrics. */
    public enum Outcome {
        OK, INVALID_ARGUMENTS, NO_CREDENTIAL, UPSTREAM_4XX, UPSTREAM_5XX, UPSTREAM_UNREACHABLE, TOOL_ERROR, TIMEOUT,
        BUSY, CANCELLED, RATE_LIMITED, RESTARTING, INTERNAL_ERROR;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** How a route that threw ended. */
        public static Outcome of(Throwable error) {
            if (error instanceof QarnotApiException upstream) {
                return upstream.status() == 0 ? UPSTREAM_UNREACHABLE : upstream.status() >= 500 ? UPSTREAM_5XX : UPSTREAM_4XX;
            }
            if (error instanceof ToolException) {
                return TOOL_ERROR;
            }
            return error instanceof java.util.concurrent.TimeoutException ? TIMEOUT : INTERNAL_ERROR;
        }

        public String label() {
            return label;
        }
    }

    private final ToolMetrics metrics;

    public CallLog(ToolMetrics metrics) {
        this.metrics = metrics;
    }

    public void record(String tool, String userId, String userAgent, Outcome outcome, long durationNanos) {
        metrics.toolCall(tool, outcome, durationNanos);
        if (LOG.isInfoEnabled()) {
            LOG.info("tool={} user={} client=\"{}\" outcome={} duration_ms={}", tool, userId == null ? "-" : userId,
                    clean(userAgent), outcome.label(), TimeUnit.NANOSECONDS.toMillis(durationNanos));
        }
    }

    /** The User-Agent is caller-controlled: one line, no quotes, bounded. */
    static String clean(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "-";
        }
        return CallerText.oneLine(userAgent.replace('"', '?'), 120);
    }
}
