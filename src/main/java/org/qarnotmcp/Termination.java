package org.qarnotmcp;

import sun.misc.Signal;

/**
 * SIGTERM (docker stop, Kubernetes) as an ordinary stop: the JVM's own handler would run the shutdown hooks and end
 * with 143 even after a clean drain. Here SIGTERM asks Camel Main to finish; it stops the context (new requests get
 * 503, calls in flight finish, see {@link ShutdownDrain}) and {@link App} then exits 0, or 143 if calls were still
 * running when {@code MCP_SHUTDOWN_TIMEOUT} ran out. Only the real start ({@code App.main}) installs it.
 */
final class Termination {

    /** The exit code of a stop whose drain had to give up, the same as the JVM's for SIGTERM. */
    static final int DRAIN_GAVE_UP = 143;

    private static volatile boolean requested;

    private Termination() {
    }

    static void onSigterm(Runnable stop) {
        Signal.handle(new Signal("TERM"), signal -> {
            requested = true;
            stop.run();
        });
    }

    static boolean requested() {
        return requested;
    }
}
