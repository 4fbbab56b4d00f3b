package org.qarnotmcp.credential;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The caller's Qarnot API key. It travels in the exchange header {@link #HEADER} as this object, not as a
 * String, so that anything printing headers (Camel tracing, error logs, a route's {@code log}) prints the
 * pseudonym instead of the key. Only {@link #reveal()} gives the key, and only the Qarnot request uses it.
 */
public final class QarnotKey {

    /** Exchange header that carries the caller's key into a tool route. */
    public static final String HEADER = "QarnotApiKey";

    private static final byte[] PSEUDONYM_SALT = "qarnot-mcp/user-id/v1".getBytes(StandardCharsets.UTF_8);

    private final String value;
    private final String userId;

    QarnotKey(String value) {
        this.value = value;
        this.userId = pseudonym(value);
    }

    /** The key itself, for the upstream request headers only. */
    public String reveal() {
        return value;
    }

    /** A stable pseudonymous id for logs: the same key gives the same id on every replica; it cannot be reversed. */
    public String userId() {
        return userId;
    }

    @Override
    public String toString() {
        return "QarnotKey[" + userId + "]";
    }

    private static String pseudonym(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PSEUDONYM_SALT, "HmacSHA256"));
            byte[] digest = mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
            return "u-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
