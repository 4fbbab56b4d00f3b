package org.qarnotmcp.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Threads for the blocking calls tests run in the background (an MCP client's call, a server's start or stop).
 * Not the common pool: on Java 25 {@code CompletableFuture.supplyAsync} without an executor runs on the common pool
 * even when it has one worker (2 cores), where Java 17 started a thread per task; a blocking client call there
 * starved the MCP client's own asynchronous steps, and every later client in the JVM hung at initialize.
 */
public final class TestThreads {

    /** A new daemon thread per task, reused while idle. */
    public static final ExecutorService BLOCKING = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-blocking-call");
        thread.setDaemon(true);
        return thread;
    });

    private TestThreads() {
    }
}
