package org.qarnotmcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qarnotmcp.support.LogCapture;
import org.qarnotmcp.support.RawHttp;
import org.qarnotmcp.support.RunningServer;

/**
 * Issue 13, "slow or idle clients": half-sent requests are closed (head) or answered 408 (body), connections over
 * the limit get a 503, and the event loop is never blocked while it happens (Vert.x's checker at 500 ms).
 */
class ConnectionLimitsTest {

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
    static RunningServer server;
    static LogCapture blocked;

    @BeforeAll
    static void start() throws Exception {
        blocked = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker");
        server = RunningServer.start(Map.of("qarnot.base-url", "http://127.0.0.1:9", "mcp.header-timeout", "1s",
                "mcp.body-timeout", "1s", "mcp.idle-timeout", "30s", "mcp.max-connections", "4",
                "mcp.event-loop-max-block", "500ms"));
    }

    @AfterAll
    static void stop() {
        server.close();
        blocked.close();
    }

    static Socket open(String sent) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Everything the server sends until it closes the connection (bounded by the socket timeout). */
    static String untilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
            in.transferTo(all);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open 15 s; it sent: " + all, e);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHalfSentHeadIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket socket = open("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl")) {
            long start = System.nanoTime();
            assertThat(untilClosed(socket)).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
    }

    @Test
    void aHalfSentBodyGets408() throws Exception {
        try (Socket socket = open("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\n\r\n{\"jsonrpc\":")) {
            String answer = untilClosed(socket);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("MCP_BODY_TIMEOUT");
        }
    }

    @Test
    void connectionsOverTheLimitGet503AndTheServerRecovers() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(open(""));
            }
            try (Socket extra = open("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + PING.length() + "\r\n\r\n" + PING)) {
                assertThat(untilClosed(extra)).startsWith("HTTP/1.1 503").contains("MCP_MAX_CONNECTIONS");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // The held connections are gone (closed here, or by the header timeout): new requests are served again.
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = RawHttp.send(server.port(), "POST", "/mcp", Map.of("Content-Type", "application/json"), PING).status();
            if (status != 200) {
                Thread.sleep(100);
            }
        }
        assertThat(status).isEqualTo(200);
    }

    @Test
    void theEventLoopIsNeverBlocked() throws Exception {
        int before = blocked.lines().size();
        for (int i = 0; i < 50; i++) {
            assertThat(RawHttp.send(server.port(), "POST", "/mcp", Map.of("Content-Type", "application/json"), PING).status())
                    .isEqualTo(200);
        }
        assertThat(blocked.lines().subList(before, blocked.lines().size())).as("Vert.x blocked-thread warnings").isEmpty();
    }
}
