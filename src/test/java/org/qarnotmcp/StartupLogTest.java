package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.support.LogCapture;
import org.qarnotmcp.support.RunningServer;

/** The start-up log says where the server really listens. */
class StartupLogTest {

    @Test
    void theStartLinePrintsTheBoundAddressAndNothingPrints0000() throws Exception {
        try (LogCapture log = LogCapture.of("");
                RunningServer server = RunningServer.start(Map.of())) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(log.lines()).contains("Listening on " + base + ": MCP " + base + "/mcp, health " + base
                    + "/observe/health, metrics " + base + "/observe/metrics");
            assertThat(log.lines()).noneMatch(l -> l.contains("0.0.0.0"));
        }
    }
}
