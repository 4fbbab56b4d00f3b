package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Settings read through application.properties, as at a real start (the environment variables are not set here). */
class SettingsTest {

    static Settings settings(String... overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        Properties props = new Properties();
        for (int i = 0; i < overrides.length; i += 2) {
            props.setProperty(overrides[i], overrides[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(props);
        return Settings.from(context);
    }

    @Test
    void connectionLimitFollowsTheCallLimitUnlessSet() {
        // Every running call holds its connection: the default must let MCP_MAX_CALLS calls run (it was 4096 < 10000).
        assertThat(settings().maxCalls()).isEqualTo(10_000);
        assertThat(settings().connectionLimits().maxConnections()).isEqualTo(11_024);
        assertThat(settings("mcp.max-calls", "500").connectionLimits().maxConnections()).isEqualTo(1_524);
        assertThat(settings("mcp.max-connections", "64").connectionLimits().maxConnections()).isEqualTo(64);
        assertThatThrownBy(() -> settings("mcp.max-connections", "many"))
                .hasMessageContaining("MCP_MAX_CONNECTIONS must be a whole number of 1 or more, not 'many'");
    }
}
