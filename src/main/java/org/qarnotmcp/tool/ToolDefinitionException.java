package org.qarnotmcp.tool;

/** A tool route whose options are wrong; the message names the tool, its file and the problem. */
public class ToolDefinitionException extends IllegalArgumentException {

    public ToolDefinitionException(String message) {
        super(message);
    }

    public ToolDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
