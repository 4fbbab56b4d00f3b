package org.qarnotmcp.oauth;

import io.vertx.ext.web.RoutingContext;
import org.qarnotmcp.transport.RequestGuard;

/**
 * The server's public base URL (issuer) and MCP resource URL: MCP_PUBLIC_URL when set; else, behind a proxy or
 * tunnel and when trusted, X-Forwarded-Proto and X-Forwarded-Host; else the request's own scheme and Host.
 */
final class PublicUrl {

    private final String configured;
    private final boolean trustForwarded;
    private final String mcpPath;

    PublicUrl(String configured, boolean trustForwarded, String mcpPath) {
        String c = configured == null ? "" : configured.trim();
        this.configured = c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
        this.trustForwarded = trustForwarded;
        this.mcpPath = mcpPath;
    }

    String base(RoutingContext rc) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String proto = rc.request().scheme();
        String host = RequestGuard.authority(rc);
        if (trustForwarded) {
            String fProto = first(rc.request().getHeader("X-Forwarded-Proto"));
            String fHost = first(rc.request().getHeader("X-Forwarded-Host"));
            proto = fProto != null ? fProto : proto;
            host = fHost != null ? fHost : host;
        }
        return proto + "://" + host;
    }

    String resource(RoutingContext rc) {
        return base(rc) + mcpPath;
    }

    private static String first(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int comma = value.indexOf(',');
        return (comma < 0 ? value : value.substring(0, comma)).trim();
    }
}
