package org.qarnotmcp.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per tool call on logger {@code qarnotmcp.calls}: tool, pseudonymous user, client User-Agent, outcome
 * and duration. The user id is derived from the key and cannot be turned back into it.
 */
public final class CallLog {

    private static final Logger LOG = LoggerFactory.getLogger("qarnotmcp.calls");

    /** How a call ended; also the label for metrics. */
    public enum Outcome {
        OK, INVALID_ARGUMENTS, NO_CREDENTIAL, UPSTREAM_4XX, UPSTREAM_5XX, UPSTREAM_UNREACHABLE, TOOL_ERROR, TIMEOUT,
        BUSY, INTERNAL_ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public void record(String tool, String userId, String userAgent, Outcome outcome, long durationMs) {
        LOG.info("tool={} user={} client=\"{}\" outcome={} duration_ms={}", tool, userId == null ? "-" : userId,
                clean(userAgent), outcome.label(), durationMs);
    }

    /** The User-Agent is caller-controlled: one line, no quotes, bounded. */
    static String clean(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "-";
        }
        String oneLine = userAgent.replaceAll("[\\p{Cntrl}\"]", "?");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...";
    }
}
