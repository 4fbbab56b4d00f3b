package org.qarnotmcp.storage;

import java.net.URI;
import org.qarnotmcp.ToolException;
import org.qarnotmcp.credential.QarnotKey;

/**
 * Where Qarnot storage is: {@code QARNOT_STORAGE_URL} when set (as in Qarnot's own SDKs), else the {@code storage}
 * field of the API's {@code GET /settings}, asked once per process on the first storage call.
 */
final class StorageEndpoint {

    private final String configured;
    private final QarnotLookup qarnot;
    private volatile URI discovered;

    StorageEndpoint(String configured, QarnotLookup qarnot) {
        this.configured = configured == null ? "" : configured.trim();
        this.qarnot = qarnot;
    }

    URI uri(QarnotKey key) {
        if (!configured.isEmpty()) {
            return parse(configured, "QARNOT_STORAGE_URL");
        }
        URI d = discovered;
        if (d == null) {
            Object storage = qarnot.get("/settings", key, null).get("storage");
            if (!(storage instanceof String s) || s.isBlank()) {
                throw new ToolException("Qarnot's GET /settings names no storage host; set QARNOT_STORAGE_URL "
                        + "(for example https://storage.qarnot.com).");
            }
            d = parse(s, "the storage URL from Qarnot's /settings");
            discovered = d;
        }
        return d;
    }

    private static URI parse(String url, String source) {
        try {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ToolException(source + " is not an http(s) URL; set QARNOT_STORAGE_URL to the storage host, "
                    + "for example https://storage.qarnot.com.");
        }
    }
}
