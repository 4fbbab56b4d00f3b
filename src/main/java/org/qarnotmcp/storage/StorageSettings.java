package org.qarnotmcp.storage;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.qarnotmcp.Settings;

/**
 * The storage bridge's settings ({@code qarnot.storage.*} in application.properties, each from an environment
 * variable; README "Files and results").
 *
 * @param url             the S3 endpoint; empty means "ask Qarnot" ({@code GET /settings}, once per process)
 * @param pathStyle       path-style addressing ({@code https://host/bucket/key}), which Ceph RGW serves
 * @param region          the SigV4 signing region; RGW accepts any
 * @param uploadMaxBytes  largest file {@code upload_file} takes inline; larger ones go through an upload link
 * @param readMaxBytes    most bytes {@code read_file} returns as text in one call
 * @param imageMaxBytes   largest image {@code read_file} returns as image content
 * @param linkExpiry      default lifetime of a presigned link
 * @param linkMaxExpiry   longest lifetime a caller may ask for (SigV4 allows 7 days)
 * @param emailCacheTtl   how long a caller's account email (the S3 access key) is kept
 * @param emailCacheSize  how many callers' emails are kept at most
 */
public record StorageSettings(String url, boolean pathStyle, String region, long uploadMaxBytes, int readMaxBytes,
        long imageMaxBytes, Duration linkExpiry, Duration linkMaxExpiry, Duration emailCacheTtl, int emailCacheSize,
        Duration connectTimeout, Duration readTimeout, int maxAttempts) {

    public static StorageSettings from(CamelContext context) {
        return new StorageSettings(
                get(context, "qarnot.storage.url", ""),
                Boolean.parseBoolean(get(context, "qarnot.storage.path-style", "true")),
                get(context, "qarnot.storage.region", "us-east-1"),
                Long.parseLong(get(context, "qarnot.storage.upload-max-bytes", "1048576")),
                Integer.parseInt(get(context, "qarnot.storage.read-max-bytes", "50000")),
                Long.parseLong(get(context, "qarnot.storage.image-max-bytes", "1048576")),
                duration(get(context, "qarnot.storage.link-expiry", "1h")),
                duration(get(context, "qarnot.storage.link-max-expiry", "7d")),
                duration(get(context, "qarnot.storage.email-cache-ttl", "5m")),
                Integer.parseInt(get(context, "qarnot.storage.email-cache-size", "10000")),
                duration(get(context, "qarnot.connect-timeout", "5s")),
                duration(get(context, "qarnot.read-timeout", "30s")),
                Integer.parseInt(get(context, "qarnot.max-retries", "3")) + 1);
    }

    private static String get(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(defaultValue);
    }

    private static Duration duration(String text) {
        return Settings.duration(text);
    }
}
