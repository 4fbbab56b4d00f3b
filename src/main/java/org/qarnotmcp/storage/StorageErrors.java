package org.qarnotmcp.storage;

import java.io.IOException;
import java.util.Locale;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns a failed storage request into a message a model can act on, the way {@code QarnotErrors} does for the
 * API: wrong key, no such bucket, no such file, quota reached, storage unreachable. Only S3's error code goes into
 * the text (never S3's own message, a header or a signature), so nothing of the caller's credential can leak.
 */
final class StorageErrors {

    private final String host;

    StorageErrors(String host) {
        this.host = host;
    }

    StorageException describe(SdkException error, String bucket, String key) {
        if (error instanceof S3Exception s3) {
            return fromS3(s3.statusCode(), s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode(),
                    bucket, key);
        }
        if (error instanceof ApiCallTimeoutException || error instanceof ApiCallAttemptTimeoutException
                || causedBy(error, java.net.SocketTimeoutException.class)) {
            return new StorageException(0, "Qarnot storage at " + host + " did not answer in time. It may be busy: "
                    + "try again, or ask for less (a smaller page, fewer bytes).");
        }
        if (error instanceof SdkClientException && causedBy(error, IOException.class)) {
            return new StorageException(0, "Could not reach Qarnot storage at " + host + " (connection refused, "
                    + "reset or unreachable). Check QARNOT_STORAGE_URL and the network, then try again.");
        }
        return new StorageException(0, "The request to Qarnot storage at " + host + " failed ("
                + error.getClass().getSimpleName() + "). Try again.");
    }

    StorageException fromS3(int status, String code, String bucket, String key) {
        String c = code == null ? "" : code;
        String where = key == null ? "bucket '" + bucket + "'" : "'" + key + "' in bucket '" + bucket + "'";
        switch (c) {
            case "NoSuchBucket":
                return new StorageException(status, "No bucket '" + bucket + "' in this account's Qarnot storage. "
                        + "list_buckets shows the buckets; create_bucket makes one.");
            case "NoSuchKey":
                return new StorageException(status, "No file '" + key + "' in bucket '" + bucket + "'. list_files "
                        + "shows what the bucket holds (keys are case-sensitive and include their folder path).");
            case "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidToken", "ExpiredToken":
                return wrongKey(status);
            case "QuotaExceeded", "TooManyBuckets":
                return new StorageException(status, "The account's Qarnot storage quota is reached (" + c + "). "
                        + "Delete files or buckets you no longer need (delete_files, delete_bucket), or ask Qarnot for "
                        + "more storage; get_account shows the quota.");
            case "BucketNotEmpty":
                return new StorageException(status, "Bucket '" + bucket + "' is not empty. Call delete_bucket again "
                        + "with empty: true to delete its files too.");
            case "BucketAlreadyExists":
                return new StorageException(status, "The bucket name '" + bucket + "' is taken by another account; "
                        + "bucket names are global, so choose another one (for example with your project's prefix).");
            case "InvalidBucketName":
                return new StorageException(status, "'" + bucket + "' is not a valid bucket name: use 3 to 63 "
                        + "lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.");
            case "InvalidRange":
                return new StorageException(status, "The byte range asked for is outside " + where + "; ask for an "
                        + "offset smaller than the file's size (list_files shows sizes).");
            case "AccessDenied":
                return new StorageException(status, "Qarnot storage denied access to " + where + " for this key. Is "
                        + "the bucket this account's? list_buckets shows the buckets you own.");
            default:
                break;
        }
        // HEAD answers carry no error body, so only the status is known.
        return switch (status) {
            case 401, 403 -> wrongKey(status);
            case 404 -> key == null
                    ? fromS3(status, "NoSuchBucket", bucket, null)
                    : new StorageException(status, "No file '" + key + "' in bucket '" + bucket + "' (or no such "
                            + "bucket). list_files shows what the bucket holds; list_buckets shows the buckets.");
            case 503, 429 -> new StorageException(status, "Qarnot storage is busy (HTTP " + status + ") and retrying "
                    + "did not help. Wait a little, then try again.");
            default -> status >= 500
                    ? new StorageException(status, "Qarnot storage had a server error (HTTP " + status
                            + (c.isEmpty() ? "" : ", " + c) + ") that persisted after retries. Try again in a minute.")
                    : new StorageException(status, "Qarnot storage refused the request for " + where + " (HTTP "
                            + status + (c.isEmpty() ? "" : ", " + c.toLowerCase(Locale.ROOT)) + ").");
        };
    }

    private static StorageException wrongKey(int status) {
        return new StorageException(status, "Qarnot storage rejected the credentials (the account email and API key). "
                + "Send your current Qarnot API key as 'Authorization: Bearer <key>' (Tasq, https://tasq.qarnot.com, "
                + "Settings > Access token); if it works for tasks but not storage, check QARNOT_STORAGE_URL.");
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
