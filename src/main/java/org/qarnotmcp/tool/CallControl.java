package org.qarnotmcp.tool;

import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.qarnotmcp.ToolException;

/**
 * The link between one running tool call and the request that asked for it: the route reports progress through
 * it (the {@code mcp-progress:} step), and the transport cancels through it when the client closes the answer's
 * stream or sends {@code notifications/cancelled}. A cancelled call makes no further Qarnot request (checked before
 * each one) and its worker is interrupted out of any wait.
 */
public final class CallControl {

    /** Key of this object in the MCP transport context, and name of the exchange property the route sees. */
    public static final String KEY = "mcpCall";

    /** Thrown into the route when it reaches a step after the call was cancelled. */
    public static final class Cancelled extends ToolException {
        Cancelled() {
            super("The call was cancelled by the client.");
        }
    }

    private volatile boolean cancelled;
    private volatile Consumer<String> progressListener;
    private Thread runner;

    /** The transport listens here when the answer is a stream; without a listener progress is dropped. */
    public void onProgress(Consumer<String> listener) {
        this.progressListener = listener;
    }

    /** A readable progress line from the route ("task render-42: FullyExecuting, 37%"). */
    public void progress(String message) {
        throwIfCancelled();
        Consumer<String> listener = progressListener;
        if (listener != null && message != null && !message.isBlank()) {
            listener.accept(message);
        }
    }

    public boolean streaming() {
        return progressListener != null;
    }

    public synchronized void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (runner != null) {
            runner.interrupt(); // ends a delay or an upstream read at once
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void throwIfCancelled() {
        if (cancelled) {
            throw new Cancelled();
        }
    }

    /** The call's control as the route sees it, or null outside a tool call. */
    public static CallControl of(Exchange exchange) {
        return exchange.getProperty(KEY, CallControl.class);
    }

    synchronized void bind(Thread thread) {
        runner = thread;
        if (cancelled) {
            thread.interrupt();
        }
    }

    /** After this no interrupt can come; a stray one from a cancel just before is cleared. */
    void unbind() {
        synchronized (this) {
            runner = null;
        }
        Thread.interrupted();
    }
}
