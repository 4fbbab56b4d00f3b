package org.qarnotmcp.tool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads tool routes run on: one new virtual thread per call when the JVM has them (Java 21+), so that a call
 * waiting on Qarnot or in {@code wait_for_task}'s pause holds no platform thread; on Java 17 one platform thread per
 * call, reused when idle. How many calls run at once is {@link Admission}'s job, not the pool's. The jar is built
 * with {@code --release 17}, so the Java 21 API is found at run time through method handles.
 */
public final class ToolThreads {

    private static final ThreadFactory VIRTUAL = virtualFactory();

    private ToolThreads() {
    }

    /** True when tool calls run on virtual threads. */
    public static boolean virtual() {
        return VIRTUAL != null;
    }

    /** A thread per call: virtual on Java 21+, pooled platform threads (unbounded, 60 s idle) before. */
    public static ExecutorService create() {
        if (VIRTUAL != null) {
            try {
                MethodHandle perTask = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                        "newThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class, ThreadFactory.class));
                return (ExecutorService) perTask.invokeExact(VIRTUAL);
            } catch (Throwable e) {
                throw new IllegalStateException("Java " + Runtime.version().feature()
                        + " has virtual threads but no thread-per-task executor", e);
            }
        }
        AtomicLong counter = new AtomicLong();
        ThreadFactory platform = task -> {
            Thread thread = new Thread(task, "mcp-tool-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), platform);
    }

    /** {@code Thread.ofVirtual().name("mcp-tool-", 1).factory()}, or null before Java 21. */
    private static ThreadFactory virtualFactory() {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder)).invoke();
            Object named = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class))
                    .invoke(ofVirtual, "mcp-tool-", 1L);
            return (ThreadFactory) lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(named);
        } catch (ClassNotFoundException e) {
            return null; // Java 17 to 20
        } catch (Throwable e) {
            throw new IllegalStateException("Java " + Runtime.version().feature() + " has Thread.Builder.OfVirtual "
                    + "but it could not be used", e);
        }
    }
}
