package org.qarnotmcp;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStarted;

/**
 * Whether this replica should get MCP traffic. Camel opens the HTTP port before it starts the routes, and each
 * tool is listed as its route starts, so a request in that window would see part of the tool list (and clients
 * keep the list they first got for the whole conversation). Ready only once the context has started every route
 * from every route file; not ready again once the shutdown drain begins.
 */
public final class Readiness implements OnCamelContextStarted {

    /** Where the replica is in its life: only {@link #READY} takes MCP requests. */
    public enum State {
        STARTING("the server is starting and its tools are still loading"),
        READY("ready"),
        DRAINING("the server is shutting down");

        private final String reason;

        State(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private volatile State state = State.STARTING;

    @Override
    public void onContextStarted(CamelContext context) {
        if (state == State.STARTING) {
            state = State.READY;
        }
    }

    /** From now on new MCP requests get 503 (a load balancer retries them on another replica). */
    public void drain() {
        state = State.DRAINING;
    }

    public State state() {
        return state;
    }

    public boolean isReady() {
        return state == State.READY;
    }
}
