package org.qarnotmcp.transport;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * DNS-rebinding protection and CORS for the MCP endpoint: a Host outside the allow-list gets 421, an Origin
 * outside it gets 403 (a request without Origin, from a non-browser client, passes). Allowed browser origins get
 * CORS headers, and their preflight (OPTIONS) is answered here.
 */
public final class RequestGuard {

    // Mcp-Method, Mcp-Name and Mcp-Param-*: the 2026-07-28 request headers a browser client must be allowed to send.
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, MCP-Protocol-Version, "
            + "Mcp-Session-Id, Last-Event-ID, Mcp-Method, Mcp-Name, Mcp-Param-Task-Uuid";

    private final AllowList hosts;
    private final AllowList origins;

    RequestGuard(List<String> allowedHosts, List<String> allowedOrigins) {
        this.hosts = new AllowList(allowedHosts);
        this.origins = new AllowList(allowedOrigins);
    }

    /** Host header (HTTP/1.1) or :authority (HTTP/2), as host[:port]. */
    public static String authority(RoutingContext rc) {
        HostAndPort authority = rc.request().authority();
        if (authority == null) {
            return rc.request().getHeader(HttpHeaders.HOST);
        }
        String host = authority.host();
        return authority.port() > 0 ? host + ":" + authority.port() : host;
    }

    void handle(RoutingContext rc) {
        if (!hosts.allowsHost(authority(rc))) {
            JsonRpcErrors.send(rc, 421, JsonRpcErrors.INVALID_REQUEST, "Host not allowed. Add this server's public "
                    + "host name to MCP_ALLOWED_HOSTS (DNS-rebinding protection).");
            return;
        }
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            if (!origins.allowsOrigin(origin)) {
                JsonRpcErrors.send(rc, 403, JsonRpcErrors.INVALID_REQUEST, "Origin not allowed. Add it to "
                        + "MCP_ALLOWED_ORIGINS if this browser client should reach the server.");
                return;
            }
            HttpServerResponse response = rc.response();
            response.putHeader("Access-Control-Allow-Origin", origin);
            response.putHeader("Vary", "Origin");
            response.putHeader("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate");
            if (rc.request().method() == HttpMethod.OPTIONS) {
                response.putHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
                response.putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                response.putHeader("Access-Control-Max-Age", "600");
                response.setStatusCode(204).end();
                return;
            }
        }
        rc.next();
    }
}
