package org.qarnotmcp;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up line that says where the server listens, with the address it is really bound to (Camel's own
 * endpoint summary always prints 0.0.0.0, so it is silenced in log4j2.xml).
 */
final class ServerAddress {

    private static final Logger LOG = LoggerFactory.getLogger(ServerAddress.class);

    private ServerAddress() {
    }

    static void log(CamelContext context, String mcpPath) {
        String host = Settings.get(context, "camel.server.host", "0.0.0.0");
        String port = Settings.get(context, "camel.server.port", "8080");
        String base = "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        boolean metrics = Boolean.parseBoolean(Settings.get(context, "camel.metrics.enabled", "false"));
        LOG.info("Listening on {}{}: MCP {}{}, health {}/observe/health{}", base,
                host.equals("0.0.0.0") || host.equals("::") ? " (all interfaces)" : "", base, mcpPath, base,
                metrics ? ", metrics " + base + "/observe/metrics" : "");
    }
}
