package org.qarnotmcp.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.InputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns a route's final body into the tool result: a String as text; a Map or List as compact JSON text, plus
 * {@code structuredContent} when the tool declares an output schema. Text over the cap is cut, with a note that
 * tells the model how to get the rest.
 */
final class ToolResults {

    private final ObjectMapper mapper;
    private final int maxChars;

    ToolResults(ObjectMapper mapper, int maxChars) {
        this.mapper = mapper;
        this.maxChars = maxChars;
    }

    CallToolResult success(ToolDefinition tool, Object body) throws JsonProcessingException, IOException {
        Object value = plain(body instanceof InputStream in ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                : body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body);
        if (ToolContent.isContent(value)) {
            return ToolContent.result(value, maxChars);
        }
        if (value == null) {
            return CallToolResult.builder().addTextContent("Done (Qarnot returned no content).").isError(false).build();
        }
        if (value instanceof CharSequence text) {
            String s = text.toString();
            if (tool.hasOutputSchema() && looksLikeJsonObject(s)) {
                value = mapper.readValue(s, Map.class);
            } else {
                return capped(s, false);
            }
        }
        String json = mapper.writeValueAsString(value);
        if (json.length() > maxChars) {
            // A cut JSON document cannot be structured content: with an output schema the result is an error.
            return capped(json, tool.hasOutputSchema());
        }
        CallToolResult.Builder result = CallToolResult.builder().addTextContent(json).isError(false);
        if (tool.hasOutputSchema() && value instanceof Map<?, ?>) {
            result.structuredContent(value);
        }
        return result.build();
    }

    /**
     * Text built by a route's script may be a Groovy GString or another CharSequence, which JSON would write as an
     * object: make every such value a String, in nested maps and lists too.
     */
    static Object plain(Object value) {
        return isPlain(value) ? value : copyPlain(value);
    }

    /** True when nothing needs converting: the usual case, checked without copying the (often large) value. */
    private static boolean isPlain(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String) || !isPlain(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof java.util.Collection<?> list) {
            for (Object v : list) {
                if (!isPlain(v)) {
                    return false;
                }
            }
            return true;
        }
        return !(value instanceof CharSequence) || value instanceof String;
    }

    private static Object copyPlain(Object value) {
        if (value instanceof String || value == null) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copyPlain(v)));
            return copy;
        }
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().map(ToolResults::copyPlain).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }

    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    private CallToolResult capped(String text, boolean isError) {
        if (text.length() <= maxChars) {
            return CallToolResult.builder().addTextContent(text).isError(isError).build();
        }
        String note = "\n\n[Result truncated: showing the first " + maxChars + " of " + text.length()
                + " characters. To see the rest, ask for less: a smaller page size, a filter, the next page token, "
                + "or fewer log lines.]";
        return CallToolResult.builder().addTextContent(text.substring(0, maxChars) + note).isError(isError).build();
    }

    private static boolean looksLikeJsonObject(String s) {
        String t = s.strip();
        return t.startsWith("{") && t.endsWith("}");
    }
}
