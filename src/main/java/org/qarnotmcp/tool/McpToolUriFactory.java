package org.qarnotmcp.tool;

import java.util.Set;

/**
 * URI options of {@code mcp-tool}. Camel still strips line breaks when it normalizes the URI, which is why
 * {@link ToolOptions} reads the schema options from the route's {@code from} as written.
 */
public class McpToolUriFactory extends RawOptionsUriFactory {

    public McpToolUriFactory() {
        super("mcp-tool", "", Set.of("title", "description", "argSchema", "outputSchema", "readOnlyHint",
                "destructiveHint", "idempotentHint", "openWorldHint", "timeout"),
                Set.of("title", "description", "argSchema", "outputSchema"));
    }
}
