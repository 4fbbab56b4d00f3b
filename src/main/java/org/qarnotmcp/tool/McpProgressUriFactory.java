package org.qarnotmcp.tool;

import java.util.Set;

/** URI options of {@code mcp-progress}: the message template is kept as written. */
public class McpProgressUriFactory extends RawOptionsUriFactory {

    public McpProgressUriFactory() {
        super("mcp-progress", "progress", Set.of("message"), Set.of("message"));
    }
}
