package org.qarnotmcp.tool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many tool calls may run at once: at most {@code limit} on the replica and {@code perCaller} for one caller
 * (keyed by the pseudonymous user id, so that one user's runaway loop cannot take every place). A place is held
 * until the call's route ends, timed out or not, because that is what uses the memory and the Qarnot connections.
 */
final class Admission {

    /** Why a call was turned away, or that it was let in. */
    enum Verdict { ADMITTED, REPLICA_FULL, CALLER_FULL }

    private final int limit;
    private final int perCaller;
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byCaller = new ConcurrentHashMap<>();

    Admission(int limit, int perCaller) {
        this.limit = limit;
        this.perCaller = perCaller;
    }

    /** Takes a place for the caller, or says why not; every ADMITTED must be followed by one {@link #leave}. */
    Verdict enter(String caller) {
        if (running.incrementAndGet() > limit) {
            running.decrementAndGet();
            return Verdict.REPLICA_FULL;
        }
        boolean[] admitted = {false};
        byCaller.compute(caller, (id, count) -> {
            int n = count == null ? 0 : count;
            if (n >= perCaller) {
                return count;
            }
            admitted[0] = true;
            return n + 1;
        });
        if (!admitted[0]) {
            running.decrementAndGet();
            return Verdict.CALLER_FULL;
        }
        return Verdict.ADMITTED;
    }

    void leave(String caller) {
        byCaller.computeIfPresent(caller, (id, count) -> count <= 1 ? null : count - 1);
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }

    int limit() {
        return limit;
    }

    int perCaller() {
        return perCaller;
    }

    /** Callers holding at least one place (the map forgets a caller as their last call ends). */
    int callers() {
        return byCaller.size();
    }
}
