package org.qarnotmcp.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;
import org.qarnotmcp.observe.ToolMetrics;
import org.qarnotmcp.qarnot.QarnotRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The storage bridge (bean {@code qarnotStorage} of the shared {@code qarnot-storage} route): runs the S3 operation
 * a storage tool names in the variable {@code storageOperation}, with the caller's credentials, and leaves a Map
 * the tool route shapes. The variables each operation reads are listed in {@code routes/qarnot-storage.camel.yaml}.
 *
 * <p>Nothing is read whole into memory beyond the inline limits: file reads ask S3 for a byte range and stop
 * there; files larger than that move through presigned links, straight between storage and the person.
 */
public final class QarnotStorage extends ServiceSupport {

    public static final String OPERATION = "storageOperation";
    private static final int DELETE_BATCH = 1000;
    private static final int LISTED_KEYS_MAX = 100;

    private final StorageSettings settings;
    private final StorageEndpoint endpoint;
    private final AccountEmails emails;
    private final StorageTiming timing;
    private volatile StorageClient client;
    private volatile StorageErrors errors;
    /** False once the storage refused a bulk delete: keys are then deleted one request each. */
    private volatile boolean bulkDelete = true;

    public QarnotStorage(org.apache.camel.CamelContext context, StorageSettings settings, ToolMetrics metrics) {
        QarnotLookup qarnot = new QarnotLookup(context);
        this.settings = settings;
        this.endpoint = new StorageEndpoint(settings.url(), qarnot);
        this.emails = new AccountEmails(key -> qarnot.get("/info", key, null).get("email"), settings.emailCacheTtl(), settings.emailCacheSize(), System::nanoTime);
        this.timing = new StorageTiming(metrics);
    }

    public void perform(Exchange exchange) {
        Object op = exchange.getVariable(OPERATION);
        if (op == null) {
            throw new IllegalArgumentException("The tool route must set the variable " + OPERATION);
        }
        Call call = new Call(exchange);
        try {
            exchange.getMessage().setBody(switch (op.toString()) {
                case "listBuckets" -> listBuckets(call);
                case "createBucket" -> createBucket(call);
                case "deleteBucket" -> deleteBucket(call);
                case "listFiles" -> listFiles(call);
                case "uploadFile" -> uploadFile(call);
                case "uploadLink" -> uploadLink(call);
                case "downloadLink" -> downloadLink(call);
                case "readFile" -> readFile(call);
                case "deleteFiles" -> deleteFiles(call);
                default -> throw new IllegalArgumentException("Unknown " + OPERATION + " '" + op + "'");
            });
        } catch (SdkException e) {
            throw errors().describe(e, call.bucketOrNull(), call.keyOrNull());
        }
    }

    // --- operations ---------------------------------------------------------------------------------------------

    private Object listBuckets(Call c) {
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (Bucket b : c.client().s3().listBuckets(r -> r.overrideConfiguration(c.credentials())).buckets()) {
            buckets.add(entry("name", b.name(), "creationDate", iso(b.creationDate())));
        }
        return entry("buckets", buckets, "count", buckets.size());
    }

    private Object createBucket(Call c) {
        String bucket = c.bucket();
        try {
            c.client().s3().createBucket(r -> r.bucket(bucket).overrideConfiguration(c.credentials()));
            return entry("bucket", bucket, "created", true);
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null && "BucketAlreadyOwnedByYou".equals(e.awsErrorDetails().errorCode())) {
                return entry("bucket", bucket, "created", false, "note", "The bucket already exists in this account.");
            }
            throw e;
        }
    }

    private Object deleteBucket(Call c) {
        String bucket = c.bucket();
        boolean empty = c.bool("empty");
        long files = 0;
        long bytes = 0;
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = c.client().s3().listObjectsV2(r -> r.bucket(bucket).continuationToken(t)
                    .overrideConfiguration(c.credentials()));
            if (!empty && !page.contents().isEmpty()) {
                for (S3Object o : page.contents()) {
                    bytes += o.size();
                }
                files += page.contents().size();
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    break;
                }
                token = page.nextContinuationToken();
                continue;
            }
            if (empty && !page.contents().isEmpty()) {
                files += deleteKeys(c, bucket, page.contents().stream().map(S3Object::key).toList(), null);
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        if (!empty && files > 0) {
            throw new ToolException("Bucket '" + bucket + "' holds " + files + " file" + (files == 1 ? "" : "s") + " ("
                    + bytes + " bytes), so it was not deleted. To delete the bucket and those " + files + " files for "
                    + "good, call delete_bucket again with empty: true; list_files shows them first.");
        }
        c.client().s3().deleteBucket(r -> r.bucket(bucket).overrideConfiguration(c.credentials()));
        return entry("bucket", bucket, "deleted", true, "filesDeleted", files);
    }

    private Object listFiles(Call c) {
        String bucket = c.bucket();
        String prefix = c.string("prefix");
        boolean folders = !Boolean.FALSE.equals(c.raw("folders"));
        int pageSize = c.integer("pageSize", 100);
        String token = c.string("pageToken");
        ListObjectsV2Response page = c.client().s3().listObjectsV2(r -> r.bucket(bucket)
                .prefix(prefix == null || prefix.isEmpty() ? null : prefix)
                .delimiter(folders ? "/" : null)
                .maxKeys(pageSize)
                .continuationToken(token == null || token.isEmpty() ? null : token)
                .overrideConfiguration(c.credentials()));
        List<Map<String, Object>> files = new ArrayList<>();
        for (S3Object o : page.contents()) {
            files.add(entry("key", o.key(), "size", o.size(), "lastModified", iso(o.lastModified())));
        }
        List<String> dirs = page.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
        Map<String, Object> result = entry("bucket", bucket, "prefix", prefix == null ? "" : prefix, "files", files,
                "folders", dirs);
        if (Boolean.TRUE.equals(page.isTruncated())) {
            result.put("nextPageToken", page.nextContinuationToken());
        }
        return result;
    }

    private Object uploadFile(Call c) {
        String bucket = c.bucket();
        String key = c.key();
        String text = c.string("content");
        String base64 = c.string("contentBase64");
        if ((text == null) == (base64 == null)) {
            throw new ToolException("Send the file's content either as 'content' (text) or as 'contentBase64' "
                    + "(binary, base64-encoded), not " + (text == null ? "neither" : "both") + ".");
        }
        byte[] bytes;
        if (text != null) {
            bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            try {
                bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new ToolException("'contentBase64' is not valid base64 (" + e.getMessage() + "); send the bytes "
                        + "base64-encoded, or send text as 'content'.");
            }
        }
        if (bytes.length > settings.uploadMaxBytes()) {
            throw new ToolException("The file is " + bytes.length + " bytes, over the " + settings.uploadMaxBytes()
                    + "-byte limit for upload_file (setting QARNOT_STORAGE_UPLOAD_MAX_BYTES). For a file this size, "
                    + "call get_upload_link and upload it from the machine that has it (the link comes with a curl "
                    + "command).");
        }
        String type = c.string("contentType");
        if (type == null) {
            type = text != null ? "text/plain" : "application/octet-stream";
        }
        String contentType = type;
        PutObjectResponse put = c.client().s3().putObject(r -> r.bucket(bucket).key(key).contentType(contentType)
                .overrideConfiguration(c.credentials()), RequestBody.fromBytes(bytes));
        return entry("bucket", bucket, "key", key, "size", bytes.length, "contentType", contentType,
                "etag", put.eTag() == null ? null : put.eTag().replace("\"", ""));
    }

    private Object uploadLink(Call c) {
        String bucket = c.bucket();
        String key = c.key();
        Duration expiry = c.expiry(settings);
        URI url = URI.create(c.client().presigner().presignPutObject(p -> p.signatureDuration(expiry)
                .putObjectRequest(r -> r.bucket(bucket).key(key).overrideConfiguration(c.credentials())))
                .url().toString());
        String name = key.substring(key.lastIndexOf('/') + 1);
        return entry("bucket", bucket, "key", key, "method", "PUT", "url", url.toString(),
                "expiresAt", iso(Instant.now().plus(expiry)),
                "curl", "curl --fail -T '" + shellQuoted(name) + "' '" + shellQuoted(url.toString()) + "'",
                "next", "Run the curl command where the file is (replace '" + name + "' by its local path). The link "
                        + "works once or many times until it expires; then list_files shows the file.");
    }

    private Object downloadLink(Call c) {
        String bucket = c.bucket();
        String key = c.key();
        HeadObjectResponse head = head(c, bucket, key);
        Duration expiry = c.expiry(settings);
        return entry("bucket", bucket, "key", key, "size", head.contentLength(), "contentType", head.contentType(),
                "url", presignGet(c, bucket, key, expiry), "expiresAt", iso(Instant.now().plus(expiry)));
    }

    private Object readFile(Call c) throws SdkException {
        String bucket = c.bucket();
        String key = c.key();
        HeadObjectResponse head = head(c, bucket, key);
        long size = head.contentLength() == null ? 0 : head.contentLength();
        String type = head.contentType();
        if (size > 0 && size <= settings.imageMaxBytes() && FileKind.looksLikeImage(key, type)) {
            byte[] whole = get(c, bucket, key, 0, size);
            String imageType = FileKind.imageType(whole);
            if (imageType != null) {
                return Map.of("content", List.of(
                        Map.of("type", "image", "data", Base64.getEncoder().encodeToString(whole), "mimeType", imageType),
                        Map.of("type", "text", "text", bucket + "/" + key + ": " + imageType + " image, " + size
                                + " bytes. Download link (valid " + settings.linkExpiry().toMinutes() + " min): "
                                + presignGet(c, bucket, key, settings.linkExpiry()))));
            }
        }
        int maxBytes = Math.min(c.integer("maxBytes", settings.readMaxBytes()), settings.readMaxBytes() * 2);
        Integer tailLines = c.raw("tailLines") == null ? null : c.integer("tailLines", 0);
        long from;
        if (tailLines != null) {
            from = Math.max(0, size - maxBytes);
        } else {
            from = c.raw("offset") == null ? 0 : ((Number) c.raw("offset")).longValue();
            if (from > 0 && from >= size) {
                throw new ToolException("offset " + from + " is at or past the end of '" + key + "' (" + size
                        + " bytes); ask for an offset below " + size + ", or tailLines for the end.");
            }
        }
        long to = Math.min(size, from + maxBytes);
        byte[] bytes = size == 0 ? new byte[0] : get(c, bucket, key, from, to);
        String text = FileKind.text(bytes, bytes.length, from > 0, to < size);
        if (text == null) {
            return entry("bucket", bucket, "key", key, "size", size, "contentType", type, "binary", true,
                    "imageLimitBytes", FileKind.looksLikeImage(key, type) ? settings.imageMaxBytes() : null,
                    "downloadUrl", presignGet(c, bucket, key, settings.linkExpiry()),
                    "note", "This file is binary, so it is not shown as text"
                            + (FileKind.looksLikeImage(key, type) && size > settings.imageMaxBytes()
                                    ? " (an image over the " + settings.imageMaxBytes() + "-byte inline limit)" : "")
                            + ". Open the download link (valid " + settings.linkExpiry().toMinutes() + " min) to get it.");
        }
        boolean dropFirst = false;
        if (tailLines != null) {
            List<String> lines = text.lines().toList();
            dropFirst = from > 0 && lines.size() > 1; // the first line is cut by the range
            List<String> kept = lines.subList(dropFirst ? 1 : 0, lines.size());
            text = String.join("\n", kept.subList(Math.max(0, kept.size() - tailLines), kept.size()));
        }
        StringBuilder about = new StringBuilder().append(bucket).append('/').append(key).append(": ");
        if (tailLines != null) {
            about.append("the last ").append(text.lines().count()).append(" lines");
        } else if (from == 0 && to == size) {
            about.append("the whole file");
        } else {
            about.append("bytes ").append(from).append(" to ").append(to).append(" of ").append(size);
        }
        about.append(" (").append(size).append(" bytes").append(type == null ? "" : ", " + type).append(").");
        if (tailLines == null && to < size) {
            about.append(" More: call read_file with offset ").append(to).append(", or tailLines for the end.");
        } else if (tailLines != null && from > 0 && text.lines().count() < tailLines) {
            about.append(" Only the last ").append(maxBytes).append(" bytes were read; raise maxBytes for more lines.");
        }
        return Map.of("content", List.of(Map.of("type", "text", "text", about.toString()),
                Map.of("type", "text", "text", text)));
    }

    private Object deleteFiles(Call c) {
        String bucket = c.bucket();
        Object keysArg = c.raw("keys");
        String prefix = c.string("prefix");
        if ((keysArg == null) == (prefix == null)) {
            throw new ToolException("Name the files to delete either by 'keys' (a list) or by 'prefix' (every file "
                    + "whose key starts with it), not " + (keysArg == null ? "neither" : "both") + ".");
        }
        List<String> deletedKeys = new ArrayList<>();
        long deleted = 0;
        if (keysArg != null) {
            List<String> keys = ((List<?>) keysArg).stream().map(String::valueOf).toList();
            deleted = deleteKeys(c, bucket, keys, deletedKeys);
        } else {
            String token = null;
            do {
                String t = token;
                ListObjectsV2Response page = c.client().s3().listObjectsV2(r -> r.bucket(bucket).prefix(prefix)
                        .continuationToken(t).overrideConfiguration(c.credentials()));
                deleted += deleteKeys(c, bucket, page.contents().stream().map(S3Object::key).toList(), deletedKeys);
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        }
        Map<String, Object> result = entry("bucket", bucket, "deleted", deleted, "keys", deletedKeys);
        if (deleted > deletedKeys.size()) {
            result.put("note", "The first " + deletedKeys.size() + " of " + deleted + " deleted keys are listed.");
        }
        if (deleted == 0) {
            result.put("note", "Nothing matched, so nothing was deleted; list_files shows the bucket's files.");
        }
        return result;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /**
     * Deletes keys with S3's bulk delete, 1000 a request. A server that does not take the bulk request as this SDK
     * sends it (it adds a CRC32 checksum header that some S3 servers answer with 501 or 400) gets one DELETE per key
     * from then on. S3 reports keys that were already gone as deleted too.
     */
    private long deleteKeys(Call c, String bucket, List<String> keys, List<String> listed) {
        long count = 0;
        for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
            List<String> batch = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH));
            List<String> deleted = bulkDelete ? bulkDelete(c, bucket, batch, count) : null;
            if (deleted == null) {
                deleted = new ArrayList<>();
                for (String key : batch) {
                    c.client().s3().deleteObject(r -> r.bucket(bucket).key(key).overrideConfiguration(c.credentials()));
                    deleted.add(key);
                }
            }
            count += deleted.size();
            if (listed != null) {
                deleted.stream().limit(Math.max(0, LISTED_KEYS_MAX - listed.size())).forEach(listed::add);
            }
        }
        return count;
    }

    /** The deleted keys, or null when the server does not take bulk deletes. */
    private List<String> bulkDelete(Call c, String bucket, List<String> batch, long deletedSoFar) {
        DeleteObjectsResponse answer;
        try {
            answer = c.client().s3().deleteObjects(r -> r.bucket(bucket)
                    .delete(Delete.builder().objects(batch.stream().map(k -> ObjectIdentifier.builder().key(k).build())
                            .toList()).quiet(false).build())
                    .overrideConfiguration(c.credentials()));
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || (e.statusCode() == 400 && !"NoSuchBucket".equals(code(e)))) {
                bulkDelete = false;
                return null;
            }
            throw e;
        }
        if (!answer.errors().isEmpty()) {
            var first = answer.errors().get(0);
            throw new ToolException(answer.errors().size() + " of " + batch.size() + " files could not be deleted "
                    + "from bucket '" + bucket + "' (first: '" + first.key() + "', " + first.code() + "); "
                    + (deletedSoFar + answer.deleted().size()) + " were deleted. Check them with list_files.");
        }
        return answer.deleted().stream().map(d -> d.key()).toList();
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private HeadObjectResponse head(Call c, String bucket, String key) {
        try {
            return c.client().s3().headObject(r -> r.bucket(bucket).key(key).overrideConfiguration(c.credentials()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                // HEAD has no body to say which is missing: ask the bucket.
                throw bucketExists(c, bucket) ? errors().fromS3(404, "NoSuchKey", bucket, key)
                        : errors().fromS3(404, "NoSuchBucket", bucket, null);
            }
            throw e;
        }
    }

    private boolean bucketExists(Call c, String bucket) {
        try {
            c.client().s3().headBucket(r -> r.bucket(bucket).overrideConfiguration(c.credentials()));
            return true;
        } catch (S3Exception e) {
            return e.statusCode() != 404;
        }
    }

    /** Bytes [from, to) of a file, read from a range request and never more than that. */
    private byte[] get(Call c, String bucket, String key, long from, long to) {
        try (ResponseInputStream<GetObjectResponse> in = c.client().s3().getObject(r -> r.bucket(bucket).key(key)
                .range("bytes=" + from + "-" + (to - 1)).overrideConfiguration(c.credentials()))) {
            byte[] bytes = in.readNBytes((int) (to - from));
            if (in.read() >= 0) {
                in.abort(); // a server that ignored the range: stop the transfer instead of draining it
            }
            return bytes;
        } catch (IOException e) {
            throw errors().describe(software.amazon.awssdk.core.exception.SdkClientException.create(
                    "reading the file failed", e), bucket, key);
        }
    }

    private String presignGet(Call c, String bucket, String key, Duration expiry) {
        return c.client().presigner().presignGetObject(p -> p.signatureDuration(expiry)
                .getObjectRequest(r -> r.bucket(bucket).key(key).overrideConfiguration(c.credentials())))
                .url().toString();
    }

    private StorageClient clientFor(QarnotKey key) {
        StorageClient c = client;
        if (c == null) {
            URI uri = endpoint.uri(key); // may ask Qarnot: outside the lock
            synchronized (this) {
                if (client == null) {
                    errors = new StorageErrors(uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
                    client = new StorageClient(uri, settings, timing);
                }
                c = client;
            }
        }
        return c;
    }

    private StorageErrors errors() {
        StorageErrors e = errors;
        return e != null ? e : new StorageErrors("the storage host");
    }

    /** Closes the S3 client with the Camel context. */
    @Override
    protected void doStop() {
        StorageClient c = client;
        if (c != null) {
            c.close();
            client = null;
        }
    }

    private static String shellQuoted(String s) {
        return s.replace("'", "'\\''");
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** An ordered map of the given pairs, leaving out null values. */
    private static Map<String, Object> entry(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    /** One storage call: the caller's credentials and the tool's arguments (route variables). */
    private final class Call {
        private final Exchange exchange;
        private AwsRequestOverrideConfiguration credentials;

        Call(Exchange exchange) {
            this.exchange = exchange;
        }

        StorageClient client() {
            return clientFor(QarnotRequest.keyOf(exchange));
        }

        AwsRequestOverrideConfiguration credentials() {
            if (credentials == null) {
                QarnotKey key = QarnotRequest.keyOf(exchange);
                credentials = StorageClient.as(emails.emailOf(key), key);
            }
            return credentials;
        }

        Object raw(String name) {
            return exchange.getVariable(name);
        }

        String string(String name) {
            Object v = raw(name);
            return v == null ? null : v.toString();
        }

        boolean bool(String name) {
            return Boolean.TRUE.equals(raw(name)) || "true".equals(string(name));
        }

        int integer(String name, int otherwise) {
            Object v = raw(name);
            return v instanceof Number n ? n.intValue() : otherwise;
        }

        String bucket() {
            String b = string("bucket");
            if (b == null || b.isEmpty()) {
                throw new IllegalArgumentException("The tool route must set the variable bucket");
            }
            return b;
        }

        String bucketOrNull() {
            return string("bucket");
        }

        String key() {
            String k = string("key");
            if (k == null || k.isEmpty()) {
                throw new IllegalArgumentException("The tool route must set the variable key");
            }
            return k;
        }

        String keyOrNull() {
            return string("key");
        }

        Duration expiry(StorageSettings s) {
            Object v = raw("expiresSeconds");
            Duration d = v instanceof Number n ? Duration.ofSeconds(n.longValue()) : s.linkExpiry();
            if (d.compareTo(s.linkMaxExpiry()) > 0) {
                throw new ToolException("expiresSeconds " + d.toSeconds() + " is longer than this server allows ("
                        + s.linkMaxExpiry().toSeconds() + " s, setting QARNOT_STORAGE_LINK_MAX_EXPIRY); ask for less.");
            }
            return d;
        }
    }
}
