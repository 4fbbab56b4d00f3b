package org.qarnotmcp;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStopping;
import org.qarnotmcp.tool.ToolDispatcher;
import org.qarnotmcp.transport.McpHttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On SIGTERM, before Camel stops any route: new MCP requests get 503 (and readiness says DOWN), and the tool calls in
 * flight get up to {@code MCP_SHUTDOWN_TIMEOUT} to finish; those still running then are answered "the server is
 * restarting; call again" before the connections close, so no caller is left with a closed connection. (Camel's own
 * per-route graceful shutdown can stop a route that a running tool is about to call, such as the shared Qarnot route.)
 */
final class ShutdownDrain implements OnCamelContextStopping {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

    private final Readiness readiness;
    private static volatile boolean gaveUp;

    private final McpHttpService http;
    private final ToolDispatcher dispatcher;
    private final Duration limit;
    /** Time the answers of the calls cut short get to be written before the HTTP server closes. */
    private static final Duration ANSWER_WRITE_TIME = Duration.ofSeconds(3);

    ShutdownDrain(Readiness readiness, McpHttpService http, ToolDispatcher dispatcher, Duration limit) {
        this.readiness = readiness;
        this.http = http;
        this.dispatcher = dispatcher;
        this.limit = limit;
    }

    /** Whether a stop of this JVM left calls running when its time ran out (App's exit code says so). */
    static boolean gaveUp() {
        return gaveUp;
    }

    @Override
    public void onContextStopping(CamelContext context) {
        readiness.drain(); // /mcp answers 503, readiness reports DOWN
        http.refuseNewRequests();
        int running = dispatcher.inFlight();
        if (running == 0) {
            return;
        }
        LOG.info("Shutting down: waiting up to {} s for {} tool call(s) in flight", limit.toSeconds(), running);
        try {
            if (!dispatcher.awaitIdle(limit)) {
                gaveUp = true;
                int answered = dispatcher.answerRunningCalls();
                boolean written = http.awaitAnswered(ANSWER_WRITE_TIME);
                LOG.warn("Shutting down with {} tool call(s) still running after {} s: {} answered \"the server is "
                        + "restarting; call again\"{}", dispatcher.inFlight(), limit.toSeconds(), answered,
                        written ? "" : " (some answers were not written in time)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
