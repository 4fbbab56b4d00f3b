package org.qarnotmcp.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;

/**
 * The S3 access key of a caller: Qarnot storage takes the account's email as access key and the API key as
 * secret, so the email is looked up with {@code GET /info} once per key and kept for a few minutes. The cache is
 * bounded (least recently used entries go first) and keyed by a SHA-256 of the key, never the key itself.
 */
final class AccountEmails {

    // Not named Entry: inside the LinkedHashMap subclass below, javac 25 resolves that name to Map.Entry.
    private record Cached(String email, long expiresAt) {}

    private final Function<QarnotKey, Object> lookup;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Cached> byKeyHash;

    /** @param lookup asks Qarnot for the key's account email (GET /info) */
    AccountEmails(Function<QarnotKey, Object> lookup, Duration ttl, int maxEntries, LongSupplier clock) {
        this.lookup = lookup;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.byKeyHash = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > AccountEmails.this.maxEntries;
            }
        };
    }

    String emailOf(QarnotKey key) {
        String hash = sha256(key.reveal());
        long now = clock.getAsLong();
        synchronized (byKeyHash) {
            Cached e = byKeyHash.get(hash);
            if (e != null && e.expiresAt - now > 0) {
                return e.email;
            }
        }
        // Looked up outside the lock: a slow Qarnot answer must not hold up other callers.
        Object email = lookup.apply(key);
        if (!(email instanceof String s) || s.isBlank()) {
            throw new ToolException("Qarnot's account information has no email, which Qarnot storage needs as the "
                    + "access key; check the account in Tasq (https://tasq.qarnot.com).");
        }
        synchronized (byKeyHash) {
            byKeyHash.put(hash, new Cached(s, now + ttlNanos));
        }
        return s;
    }

    int size() {
        synchronized (byKeyHash) {
            return byKeyHash.size();
        }
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
