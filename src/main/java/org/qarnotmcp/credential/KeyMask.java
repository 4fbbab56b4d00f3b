package org.qarnotmcp.credential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces the caller's own key by {@code ***} in text that came from Qarnot (an error body that quotes it, data
 * that contains it) before that text reaches a tool result or a log line. The usual text does not contain the key:
 * that is checked with one search, and nothing is copied.
 */
public final class KeyMask {

    public static final String MASK = "***";

    private KeyMask() {
    }

    public static String mask(String text, QarnotKey key) {
        if (text == null || key == null) {
            return text;
        }
        String raw = key.reveal();
        String escaped = jsonEscaped(raw);
        String out = text.contains(raw) ? text.replace(raw, MASK) : text;
        return escaped.equals(raw) || !out.contains(escaped) ? out : out.replace(escaped, MASK);
    }

    public static boolean appearsIn(String text, QarnotKey key) {
        return text != null && key != null && (text.contains(key.reveal()) || text.contains(jsonEscaped(key.reveal())));
    }

    /** Strings in a JSON-like value (maps, lists, strings), keys included; the value itself if nothing changes. */
    public static Object maskAll(Object value, QarnotKey key) {
        if (value instanceof String s) {
            return mask(s, key);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(maskAll(k, key), maskAll(v, key)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(maskAll(v, key)));
            return copy;
        }
        return value;
    }

    /** The key as it appears inside a JSON string ({@code "} and {@code \} are escaped). */
    private static String jsonEscaped(String raw) {
        return raw.indexOf('"') < 0 && raw.indexOf('\\') < 0 ? raw : raw.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
