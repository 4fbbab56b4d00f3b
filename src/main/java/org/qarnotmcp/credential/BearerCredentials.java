package org.qarnotmcp.credential;

import org.qarnotmcp.ToolException;

/**
 * Reads the caller's Qarnot key from the HTTP {@code Authorization: Bearer <key>} header, refusing anything
 * malformed with a message that says what to send. The rejected value is never echoed.
 */
public final class BearerCredentials {

    /** Longer than any Qarnot key; guards against pasted files and header stuffing. */
    public static final int MAX_KEY_LENGTH = 512;

    static final String HOW_TO = "Send the HTTP header 'Authorization: Bearer <your Qarnot API key>' "
            + "(the key is in Tasq, https://tasq.qarnot.com, under Settings > Access token).";

    private BearerCredentials() {
    }

    public static QarnotKey parse(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ToolException("No Qarnot API key was sent with this request. " + HOW_TO);
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer")) {
            throw new ToolException("The Authorization header does not use the Bearer scheme. " + HOW_TO);
        }
        String key = space < 0 ? "" : authorization.substring(space + 1);
        if (key.isEmpty()) {
            throw new ToolException("The Authorization header has an empty Bearer token. " + HOW_TO);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new ToolException("The Bearer token is " + key.length() + " characters long; a Qarnot API key has at most "
                    + MAX_KEY_LENGTH + ". " + HOW_TO);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new ToolException("The Bearer token contains whitespace, control or non-ASCII characters. "
                        + "Send the key exactly as Tasq shows it, on one line. " + HOW_TO);
            }
        }
        return new QarnotKey(key);
    }
}
