package org.qarnotmcp.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.qarnotmcp.tool.CallControl;

/**
 * The tool calls running on this replica, by caller and request id, so that a legacy-era {@code
 * notifications/cancelled} (which names only the request id) reaches the call it means. Keyed by the caller's
 * credential too: request ids are only unique per client, and no caller can cancel another's call.
 */
final class InFlightCalls {

    private final Map<String, CallControl> calls = new ConcurrentHashMap<>();

    static String key(String caller, Object requestId) {
        String id = requestId instanceof Number n ? "n:" + n : "s:" + requestId;
        return (caller == null ? "" : caller) + '\n' + id;
    }

    void add(String key, CallControl control) {
        calls.put(key, control);
    }

    void remove(String key, CallControl control) {
        calls.remove(key, control);
    }

    /** True when a running call was found (an unknown or finished id is ignored, as the spec asks). */
    boolean cancel(String key) {
        CallControl control = calls.get(key);
        if (control != null) {
            control.cancel();
        }
        return control != null;
    }
}
