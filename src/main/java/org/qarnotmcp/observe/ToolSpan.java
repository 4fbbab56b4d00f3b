package org.qarnotmcp.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/** The span of one tool call: current on the worker thread while the route runs, ended with the call's outcome. */
public final class ToolSpan {

    static final ToolSpan NONE = new ToolSpan(null);

    private final Span span;

    ToolSpan(Span span) {
        this.span = span;
    }

    /** Makes the span the parent of the Qarnot requests made on this thread until the scope closes. */
    public Scope makeCurrent() {
        return span == null ? Scope.noop() : span.makeCurrent();
    }

    /** {@code outcome} is CallLog's kind ({@code ok}, {@code upstream_4xx}, ...); anything but ok marks an error. */
    public void end(String outcome) {
        if (span == null) {
            return;
        }
        span.setAttribute(Tracing.OUTCOME, outcome);
        if (!"ok".equals(outcome)) {
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
