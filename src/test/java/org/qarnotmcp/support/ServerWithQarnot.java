package org.qarnotmcp.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: WireMock standing in for Qarnot, the real server pointed at it, and an MCP SDK client holding a
 * key; one of each per test class, WireMock reset before each test.
 * <pre>{@code @RegisterExtension static ServerWithQarnot env = new ServerWithQarnot("qk-test");}</pre>
 */
public final class ServerWithQarnot implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final String key;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private WireMockServer qarnot;
    private RunningServer server;
    private McpSyncClient client;

    public ServerWithQarnot(String key) {
        this.key = key;
    }

    /** A server setting for this class (property names as in application.properties). */
    public ServerWithQarnot with(String property, String value) {
        overrides.put(property, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        qarnot = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort());
        qarnot.start();
        Map<String, String> settings = new LinkedHashMap<>(overrides);
        settings.put("qarnot.base-url", qarnot.baseUrl());
        server = RunningServer.start(settings);
        client = server.clientWithKey(key);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        qarnot.resetAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (qarnot != null) {
            qarnot.stop();
        }
    }

    public WireMockServer qarnot() {
        return qarnot;
    }

    public RunningServer server() {
        return server;
    }

    public McpSyncClient client() {
        return client;
    }
}
