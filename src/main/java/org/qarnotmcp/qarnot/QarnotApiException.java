package org.qarnotmcp.qarnot;

import org.qarnotmcp.ToolException;

/** Qarnot refused or failed a request; the message says why in words a model can act on. */
public class QarnotApiException extends ToolException {

    private final int status;

    public QarnotApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The upstream HTTP status, or 0 when no answer came (connection refused, timeout). */
    public int status() {
        return status;
    }
}
