package org.qarnotmcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.model.Model;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.qarnotmcp.oauth.ClientIdMetadata;
import org.qarnotmcp.oauth.OAuthEndpoints;
import org.qarnotmcp.oauth.TokenSealer;
import org.qarnotmcp.observe.CallLog;
import org.qarnotmcp.observe.ReadinessCheck;
import org.qarnotmcp.observe.MetricsAccept;
import org.qarnotmcp.observe.ToolMetrics;
import org.qarnotmcp.observe.Tracing;
import org.qarnotmcp.observe.TracingService;
import org.qarnotmcp.observe.UpstreamTiming;
import org.qarnotmcp.policy.AuditLog;
import org.qarnotmcp.policy.CallPolicy;
import org.qarnotmcp.policy.SpendingLimits;
import org.qarnotmcp.policy.ToolSelection;
import org.qarnotmcp.qarnot.PathTemplate;
import org.qarnotmcp.qarnot.QarnotRequest;
import org.qarnotmcp.qarnot.QarnotResponse;
import org.qarnotmcp.qarnot.QarnotRetryStrategy;
import org.qarnotmcp.storage.QarnotStorage;
import org.qarnotmcp.storage.StorageSettings;
import org.qarnotmcp.tool.CheckedRouteReloadStrategy;
import org.qarnotmcp.tool.McpProgressComponent;
import org.qarnotmcp.tool.McpToolComponent;
import org.qarnotmcp.tool.OutputSchemaValidator;
import org.qarnotmcp.tool.ToolDispatcher;
import org.qarnotmcp.tool.SynchronousDelays;
import org.qarnotmcp.tool.ToolRegistry;
import org.qarnotmcp.tool.UnknownToolAnswer;
import org.qarnotmcp.tool.ToolThreads;
import org.qarnotmcp.tool.Warmup;
import io.vertx.core.Vertx;
import org.apache.camel.support.service.ServiceSupport;
import org.qarnotmcp.transport.ConnectionLimits;
import org.qarnotmcp.transport.McpHttpService;
import org.qarnotmcp.transport.StatelessTransport;
import org.slf4j.LoggerFactory;

/**
 * Wires the Java core before the routes load: the MCP server and its HTTP endpoint, the {@code mcp-tool:}
 * component that turns routes into tools, and the beans of the shared Qarnot route.
 */
public class ServerConfiguration implements CamelConfiguration {

    static final String INSTRUCTIONS = "Tools for the Qarnot computing platform: list, submit and watch tasks, "
            + "read their logs, and move files in and out of Qarnot storage buckets (upload inputs, read and link "
            + "results). Task uuids come from list_tasks or submit_job. Errors say what to do next.";

    /** The Client ID Metadata Document fetcher: a bean named clientIdMetadata if one is bound (tests), else the standard one. */
    private static ClientIdMetadata clientDocuments(CamelContext context, ObjectMapper mapper) {
        ClientIdMetadata bound = context.getRegistry().lookupByNameAndType("clientIdMetadata", ClientIdMetadata.class);
        return bound != null ? bound : ClientIdMetadata.standard(mapper);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.from(context);
        if (!settings.oauth() && !"bearer".equals(settings.auth())) {
            throw new IllegalArgumentException("MCP_AUTH must be bearer or oauth, not '" + settings.auth() + "'.");
        }
        ObjectMapper mapper = new ObjectMapper();
        // Camel's HTTP server is created on the Vert.x instance it finds here: with the connection limits.
        Vertx vertx = ConnectionLimits.vertx(settings.connectionLimits());
        context.getRegistry().bind("vertx", vertx);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        });

        // A failed call is answered as a tool error by the dispatcher; Camel's error handler would only add an
        // ERROR log with a stack trace for every Qarnot 404.
        context.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerDefinition());

        QarnotRetryStrategy retries = new QarnotRetryStrategy(settings.qarnotMaxRetries(),
                settings.qarnotRetryBaseDelay(), settings.qarnotRetryMaxWait());
        ToolMetrics metrics = new ToolMetrics(context);
        Tracing tracing = Tracing.fromEnvironment(); // off unless OTEL_* names an exporter
        context.addService(new TracingService(tracing));
        metrics.countFrom("qarnot.retries", "Retries of transient Qarnot failures", retries, QarnotRetryStrategy::retries);
        context.addService(metrics);
        context.addService(new MetricsAccept(context));
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setHttpClientConfigurer(builder -> {
                builder.setRetryStrategy(retries);
                UpstreamTiming.instrument(builder, metrics);
                tracing.instrument(builder);
                PathTemplate.keepTilde(builder);
            });
            http.setConnectTimeout(settings.qarnotConnectTimeoutMs());
            // Waiting for a pooled connection is queueing behind other calls to Qarnot (a burst of wait_for_task
            // polls), not a connection failure: it may take as long as an answer may.
            http.setConnectionRequestTimeout(settings.qarnotReadTimeoutMs());
            http.setResponseTimeout(settings.qarnotReadTimeoutMs());
            http.setSoTimeout(settings.qarnotReadTimeoutMs());
            http.setFollowRedirects(false);
            // Calls hold a connection only while Qarnot answers (not while wait_for_task pauses); the default pool
            // (20 per host) would make calls queue for one under load.
            http.setConnectionsPerRoute(settings.qarnotMaxConnections());
            http.setMaxTotalConnections(settings.qarnotMaxConnections() * 2);
        }
        context.getRegistry().bind("qarnotRetries", retries);
        context.getRegistry().bind("spendingLimits", SpendingLimits.from(context));
        context.getRegistry().bind("qarnotRequest",
                new QarnotRequest(settings.qarnotBaseUrl(), settings.qarnotKeyHeaders(), mapper));
        context.getRegistry().bind("qarnotResponse",
                new QarnotResponse(mapper, settings.qarnotBaseUrl(), settings.qarnotReadTimeoutMs(),
                        settings.qarnotMaxJsonBytes()));
        // The storage bridge of routes/qarnot-storage.camel.yaml: one S3 client, the caller's credentials per request.
        QarnotStorage storage = new QarnotStorage(context, StorageSettings.from(context), metrics);
        context.addService(storage);
        context.getRegistry().bind("qarnotStorage", storage);

        StatelessTransport transport = new StatelessTransport();
        JacksonMcpJsonMapper jsonMapper = new JacksonMcpJsonMapper(mapper);
        UnknownToolAnswer unknownTools = new UnknownToolAnswer(transport);
        McpStatelessAsyncServer server = McpServer.async(unknownTools)
                .serverInfo(Versions.SERVER_NAME, Versions.PROJECT)
                .instructions(INSTRUCTIONS)
                .jsonMapper(jsonMapper)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .validateToolInputs(false) // ToolDispatcher validates and lists every violation
                .jsonSchemaValidator(new OutputSchemaValidator()) // output schemas compiled once, found by identity
                .build();

        if (settings.maxCallsPerCaller() > settings.maxCalls()) {
            throw new IllegalArgumentException("MCP_MAX_CALLS_PER_CALLER (" + settings.maxCallsPerCaller()
                    + ") must not be more than MCP_MAX_CALLS (" + settings.maxCalls() + ").");
        }
        if (settings.connectionLimits().maxConnections() < settings.maxCalls()) {
            LoggerFactory.getLogger(ServerConfiguration.class).warn("MCP_MAX_CONNECTIONS ({}) is below "
                    + "MCP_MAX_CALLS ({}): every running call holds a connection, so at most {} calls can run; unset "
                    + "MCP_MAX_CONNECTIONS to follow MCP_MAX_CALLS.", settings.connectionLimits().maxConnections(),
                    settings.maxCalls(), settings.connectionLimits().maxConnections());
        }
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(new SynchronousDelays());
        // Nothing to shut down at stop: idle, it holds no thread (platform threads on Java 17 expire after 60 s).
        ExecutorService workers = ToolThreads.create();
        ToolDispatcher dispatcher = new ToolDispatcher(workers, settings.maxCalls(), settings.maxCallsPerCaller(),
                settings.toolTimeout(), settings.resultMaxChars(), mapper, new CallLog(metrics),
                CallPolicy.from(context, new AuditLog(mapper)), tracing);
        dispatcher.maxCallTime(Settings.duration(context.getPropertiesComponent().resolveProperty("mcp.max-call-time")
                .orElse("90s")));
        ToolRegistry registry = new ToolRegistry(server, dispatcher, ToolSelection.from(context));
        unknownTools.answerFrom(registry);
        context.addComponent("mcp-tool", new McpToolComponent(registry));
        context.addComponent("mcp-progress", new McpProgressComponent());
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(
                (org.apache.camel.spi.OnCamelContextStarted) started -> {
                    registry.logSelection();
                    ServerAddress.log(started, settings.mcpPath());
                }));
        OAuthEndpoints oauth = settings.oauth()
                ? new OAuthEndpoints(new TokenSealer(settings.tokenSecret()), settings.publicUrl(),
                        settings.trustForwardedHeaders(), settings.mcpPath(), settings.qarnotBaseUrl(),
                        settings.accessTokenTtl(), settings.refreshTokenTtl(), mapper, clientDocuments(context, mapper),
                        settings.oauthRedirectUris())
                : null;
        Readiness readiness = new Readiness();
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(readiness));
        context.getRegistry().bind("qarnotMcpReadiness", new ReadinessCheck(readiness)); // /observe/health/ready
        McpHttpService http = new McpHttpService(context, settings, transport, jsonMapper, mapper, oauth, registry,
                INSTRUCTIONS, readiness);
        context.addService(http);
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(
                new ShutdownDrain(readiness, http, dispatcher, Duration.ofSeconds(context.getShutdownStrategy().getTimeout()))));
        Warmup.startJson(jsonMapper, mapper);
        if (settings.routesReload()) {
            context.addService(new CheckedRouteReloadStrategy(settings.routesDir(), registry::logSelection));
        }
    }
}
