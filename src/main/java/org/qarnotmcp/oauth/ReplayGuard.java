package org.qarnotmcp.oauth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the ids of single-use tokens (authorization codes, rotated refresh tokens) until they expire, so that
 * a second use is refused. Kept in memory: with several replicas, a token replayed to another replica within its
 * lifetime is not caught (codes live 60 s; put sticky routing on /token if that matters).
 */
final class ReplayGuard {

    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    /** True the first time an id is seen, false for every later use. */
    boolean firstUse(String id, Instant expiry) {
        Instant now = Instant.now();
        if (used.size() > 10_000) {
            used.values().removeIf(e -> e.isBefore(now));
        }
        return used.putIfAbsent(id, expiry) == null;
    }
}
