package org.qarnotmcp.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Calls per minute per caller, as a token bucket: a caller may send {@code burst} calls at once, then one more each
 * {@code 60 / perMinute} seconds. Keyed by the pseudonymous user id; kept in this replica's memory only (with N
 * replicas behind a load balancer, a caller gets up to N times the rate). Idle callers are dropped so that the
 * map stays small.
 */
public final class RateLimiter {

    /** Buckets kept before the idle (full) ones are swept out. */
    static final int SWEEP_AT = 10_000;

    private final int perMinute;
    private final int burst;
    private final double tokensPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perMinute} 0 turns the limit off. */
    public RateLimiter(int perMinute, int burst, LongSupplier nanoClock) {
        if (perMinute < 0 || burst < 0 || (perMinute > 0 && burst < 1)) {
            throw new IllegalArgumentException("A rate limit needs calls per minute >= 0 and a burst >= 1, not "
                    + perMinute + " and " + burst + ".");
        }
        this.perMinute = perMinute;
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.clock = nanoClock;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    public int perMinute() {
        return perMinute;
    }

    public int burst() {
        return burst;
    }

    /** Takes one call from the caller's bucket: 0 when allowed, else the whole seconds to wait before the next. */
    public long acquire(String userId) {
        if (!enabled()) {
            return 0;
        }
        long now = clock.getAsLong();
        if (buckets.size() >= SWEEP_AT) {
            buckets.values().removeIf(b -> b.isFullAt(now));
        }
        return buckets.computeIfAbsent(userId, id -> new Bucket(now)).take(now);
    }

    /** Callers remembered now (for tests). */
    int buckets() {
        return buckets.size();
    }

    private final class Bucket {
        private double tokens = burst;
        private long updated;

        Bucket(long now) {
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9));
        }

        synchronized boolean isFullAt(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
            updated = now;
        }
    }
}
