package org.qarnotmcp;

/**
 * A failure whose message is written for the caller (the model): it says what went wrong and what to do
 * next, and never carries a secret. The dispatcher returns it as an {@code isError} tool result verbatim;
 * any other exception is reported generically and logged.
 *
 * <p>Routes throw it with {@code throwException: {exceptionType: org.qarnotmcp.ToolException, message: ...}}.
 */
public class ToolException extends RuntimeException {

    public ToolException(String message) {
        super(message, null, false, false);
    }
}
