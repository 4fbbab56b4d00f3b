package org.qarnotmcp.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.qarnotmcp.Readiness;
import org.qarnotmcp.Settings;
import org.qarnotmcp.oauth.OAuthEndpoints;
import org.qarnotmcp.tool.ToolDefinition;
import org.qarnotmcp.tool.ToolRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the MCP endpoint as raw Vert.x handlers on Camel's main HTTP server (the platform-http consumer cannot
 * give MCP's exact status codes): guard (Host/Origin/CORS), then POST, then 405 for every other method.
 */
public final class McpHttpService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(McpHttpService.class);
    /** tools/list caching hints: the list changes only when a route file is reloaded (announced on listen streams). */
    static final long TOOLS_TTL_RELOADING_MS = 300_000;
    /** With reload off the list changes only when the server is redeployed. */
    static final long TOOLS_TTL_FIXED_MS = 3_600_000;

    private final CamelContext camelContext;
    private final Settings settings;
    private final StatelessTransport transport;
    private final McpJsonMapper jsonMapper;
    private final ObjectMapper mapper;
    private final List<Route> routes = new ArrayList<>();
    private final Readiness readiness;
    private final OAuthEndpoints oauth;
    private volatile McpPostHandler post;
    private final ToolRegistry tools;
    private final String instructions;
    private ListenStreams listens;

    /** {@code oauth} is null in bearer mode; {@code /mcp} answers 503 while {@code readiness} says not ready. */
    public McpHttpService(CamelContext camelContext, Settings settings, StatelessTransport transport,
            McpJsonMapper jsonMapper, ObjectMapper mapper, OAuthEndpoints oauth, ToolRegistry tools, String instructions,
            Readiness readiness) {
        this.oauth = oauth;
        this.tools = tools;
        this.instructions = instructions;
        this.readiness = readiness;
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
        ResultShapes shapes = new ResultShapes(mapper, instructions,
                settings.routesReload() ? TOOLS_TTL_RELOADING_MS : TOOLS_TTL_FIXED_MS);
        listens = new ListenStreams(router.vertx(), settings.maxListenStreams(), shapes);
        tools.onChange(listens::toolsChanged);
        post = new McpPostHandler(transport, jsonMapper, new JsonRpcParser(mapper, settings.maxBatch()), mapper, shapes, name -> {
            ToolDefinition tool = tools.definition(name);
            return tool == null ? Map.of() : tool.headerParams();
        }, listens, readiness);
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
                ProtocolEra.SUPPORTED, oauth == null ? "bearer" : "oauth");
    }

    /** At the start of the drain (new requests already get 503 from the readiness): end the listen streams. */
    public void refuseNewRequests() {
        if (listens != null) {
            listens.closeAll();
        }
    }

    /** Waits (bounded) until every MCP request taken has its answer written; true if none is left. */
    public boolean awaitAnswered(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (post != null && post.unanswered() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    protected void doStop() {
        if (listens != null) {
            listens.closeAll();
        }
        routes.forEach(Route::remove);
        routes.clear();
    }
}
