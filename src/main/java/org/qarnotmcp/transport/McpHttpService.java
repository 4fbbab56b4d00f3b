package org.qarnotmcp.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.qarnotmcp.Settings;
import org.qarnotmcp.oauth.OAuthEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the MCP endpoint as raw Vert.x handlers on Camel's main HTTP server (the platform-http consumer cannot
 * give MCP's exact status codes): guard (Host/Origin/CORS), then POST, then 405 for every other method.
 */
public final class McpHttpService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(McpHttpService.class);

    private final CamelContext camelContext;
    private final Settings settings;
    private final StatelessTransport transport;
    private final McpJsonMapper jsonMapper;
    private final ObjectMapper mapper;
    private final List<Route> routes = new ArrayList<>();
    private McpPostHandler post;

    private final OAuthEndpoints oauth;

    /** {@code oauth} is null in bearer mode. */
    public McpHttpService(CamelContext camelContext, Settings settings, StatelessTransport transport,
            McpJsonMapper jsonMapper, ObjectMapper mapper, OAuthEndpoints oauth) {
        this.oauth = oauth;
        this.camelContext = camelContext;
        this.settings = settings;
        this.transport = transport;
        this.jsonMapper = jsonMapper;
        this.mapper = mapper;
    }

    @Override
    protected void doStart() {
        VertxPlatformHttpRouter router = camelContext.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(r -> !r.getName().contains("management"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No Camel HTTP server: set camel.server.enabled=true"));
        String path = settings.mcpPath();
        RequestGuard guard = new RequestGuard(settings.allowedHosts(), settings.allowedOrigins());
        post = new McpPostHandler(transport, jsonMapper, new JsonRpcParser(mapper, settings.maxBatch()));
        routes.add(router.route(path).handler(guard::handle));
        if (oauth != null) {
            routes.add(router.route(path).handler(oauth::gate));
            routes.addAll(oauth.mount(router));
        }
        routes.add(router.route(path).method(HttpMethod.POST)
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(post));
        routes.add(router.route(path).handler(rc -> rc.response().setStatusCode(405).putHeader("Allow", "POST, OPTIONS").end()));
        LOG.info("MCP endpoint ready at {} (stateless Streamable HTTP, protocol versions {}, auth {})", path,
                StatelessTransport.PROTOCOL_VERSIONS, oauth == null ? "bearer" : "oauth");
    }

    /** Refuse new MCP requests with 503 while the calls in flight finish (graceful shutdown). */
    public void refuseNewRequests() {
        if (post != null) {
            post.drain();
        }
    }

    @Override
    protected void doStop() {
        routes.forEach(Route::remove);
        routes.clear();
    }
}
