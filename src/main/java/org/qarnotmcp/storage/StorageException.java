package org.qarnotmcp.storage;

import org.qarnotmcp.qarnot.QarnotApiException;

/**
 * Qarnot storage refused or failed a request; the message says why and what to do next. The status is the S3
 * answer's (0 when none came), so the call log and metrics count it like a Qarnot API error.
 */
public final class StorageException extends QarnotApiException {

    public StorageException(int status, String message) {
        super(status, message);
    }
}
