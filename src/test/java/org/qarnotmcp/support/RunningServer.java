package org.qarnotmcp.support;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.qarnotmcp.App;

/** The real server (Camel Main, Vert.x HTTP on a free port, routes from disk) started in the test JVM. */
public final class RunningServer implements AutoCloseable {

    private final Main main;
    private final int port;

    private RunningServer(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Starts with the repository's routes/ and the given overrides (property names as in application.properties). */
    public static RunningServer start(Map<String, String> overrides) throws Exception {
        return start(overrides, Map.of());
    }

    /** Also binds beans by name in Camel's registry before start (the server looks some up, see ServerConfiguration). */
    public static RunningServer start(Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        return start(overrides, beans, null);
    }

    /**
     * As {@link #start(Map)}, with {@code extra} configuring the context before it starts. (Not a CamelConfiguration:
     * Camel Main instantiates every one it finds under org.qarnotmcp, so a test's own would apply to every test.)
     */
    public static RunningServer startConfigured(Map<String, String> overrides, Consumer<CamelContext> extra) throws Exception {
        return start(overrides, Map.of(), extra);
    }

    private static RunningServer start(Map<String, String> overrides, Map<String, Object> beans,
            Consumer<CamelContext> extra) throws Exception {
        int port = overrides.containsKey("camel.server.port") ? Integer.parseInt(overrides.get("camel.server.port"))
                : AvailablePortFinder.getNextAvailable();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.server.port", String.valueOf(port));
        props.put("camel.management.port", String.valueOf(port));
        props.put("mcp.routes-reload", "false");
        props.put("qarnot.retry-base-delay", "10ms");
        props.putAll(overrides);
        Main main = new Main(App.class);
        props.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        if (extra != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    extra.accept(configured.getCamelContext());
                }
            });
        }
        main.start();
        return new RunningServer(main, port);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String mcpUrl() {
        return baseUrl() + "/mcp";
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** An initialized MCP Java SDK client sending {@code Authorization: <authorization>} (null: no header). */
    public McpSyncClient client(String authorization) {
        return clientWithHeaders(authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    /** An initialized MCP Java SDK client sending these headers on every request. */
    public McpSyncClient clientWithHeaders(Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        headers.forEach(request::header);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl())
                .endpoint("/mcp")
                .requestBuilder(request)
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    public McpSyncClient clientWithKey(String key) {
        return client("Bearer " + key);
    }

    @Override
    public void close() {
        main.stop();
    }
}
