package org.qarnotmcp.tool;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A route may answer with the shape of an MCP result, {@code {content: [...]}}, when it needs more than one text:
 * items {@code {type: text, text}} and {@code {type: image, data, mimeType}} (base64 data) are passed on as MCP
 * content, so a client can show an image (read_file of a rendered frame). Texts together stay within the result cap.
 */
final class ToolContent {

    private ToolContent() {}

    /** True when the body is exactly {@code {content: [items with a type]}}. */
    static boolean isContent(Object body) {
        if (!(body instanceof Map<?, ?> map) || map.size() != 1 || !(map.get("content") instanceof List<?> items)
                || items.isEmpty()) {
            return false;
        }
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m) || !("text".equals(m.get("type")) || "image".equals(m.get("type")))) {
                return false;
            }
        }
        return true;
    }

    static CallToolResult result(Object body, int maxChars) {
        List<McpSchema.Content> content = new ArrayList<>();
        int left = maxChars;
        for (Object item : (List<?>) ((Map<?, ?>) body).get("content")) {
            Map<?, ?> m = (Map<?, ?>) item;
            if ("image".equals(m.get("type"))) {
                content.add(new McpSchema.ImageContent(null, String.valueOf(m.get("data")),
                        String.valueOf(m.get("mimeType"))));
                continue;
            }
            String text = String.valueOf(m.get("text"));
            if (text.length() > left) {
                text = text.substring(0, Math.max(0, left)) + "\n\n[Result truncated at the server's " + maxChars
                        + "-character limit; ask for less.]";
            }
            left -= Math.min(left, text.length());
            content.add(new McpSchema.TextContent(text));
        }
        return CallToolResult.builder().content(content).isError(false).build();
    }
}
